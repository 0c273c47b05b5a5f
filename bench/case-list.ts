import { sql } from 'kysely';
import { loadBackend } from '../src/protocol/index.js';
import { connectDatabase, type Database } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { tiplineBenchEnv } from './cases.js';
import { freshDatabase } from './lib/database.js';
import { sampleLatency } from './lib/load.js';
import type { BackendName, BenchOptions } from './lib/options.js';
import { done, progress } from './lib/progress.js';
import { fmt, type ResultRow } from './lib/report.js';
import { seedAgency, type SeededAgency } from './lib/seed.js';
import { staffLogin } from './lib/staff-login.js';
import { startServer } from './lib/server.js';

// The staff case list with a large agency: p95 latency of the first page and of a
// page deep in the list, for the whole-agency view (intake) and the granted view
// (investigator), and the first page of unread cases. Cases are bulk-inserted with SQL;
// their bytes are random filler. One case in ten has a thread (the denouncer wrote, one in
// two of those also has a reply), and both staff members have read half the threads, so
// one case in twenty is unread to them.

const samples = 300;
const concurrency = 4;

export async function bulkInsertCases(db: Database, agency: SeededAgency, count: number): Promise<void> {
  const investigator = agency.staff.find((s) => s.roles.includes('investigator'))!;
  const intake = agency.staff.find((s) => s.roles.includes('intake'))!;
  const batch = 20_000;
  for (let from = 0; from < count; from += batch) {
    const n = Math.min(batch, count - from);
    progress(`list: inserting cases ${from + n}/${count}`);
    // Spread over three years of days, mostly 'new' and some further along.
    await sql`
      insert into cases (id, agency_id, public_number, kind, status, has_identity, received_on, bundle_serial, verifier, submission_digest, envelope)
      select gen_random_uuid(), ${agency.agencyId}, 'TL-BENCH-' || (${from} + i), 'denunciation',
             (array['new', 'accepted', 'investigating', 'concluded'])[1 + i % 4], i % 5 = 0,
             current_date - (i % 1000), 1, sha256(convert_to(gen_random_uuid()::text, 'UTF8')),
             sha256(convert_to(i::text, 'UTF8')), decode(repeat(md5(i::text), 128), 'hex')
      from generate_series(1, ${n}) as i`.execute(db);
  }
  // Each case sealed to the intake officer at submission, and granted to the investigator.
  progress('list: keys for the intake officer and the investigator');
  for (const staffId of [intake.staffId, investigator.staffId]) {
    await sql`
      insert into case_keys (id, case_id, recipient, staff_id, wrapped)
      select gen_random_uuid(), c.id, 'staff', ${staffId}, substring(decode(repeat(md5(c.id::text), 8), 'hex') from 1 for 114) from cases c`.execute(db);
  }
  await insertThreads(db, investigator.staffId, [intake.staffId, investigator.staffId]);
  await sql`analyze`.execute(db);
}

async function insertThreads(db: Database, investigatorId: string, readers: string[]): Promise<void> {
  progress('list: writing threads and read points');
  await sql`
    create table bench_numbered as select id, row_number() over (order by received_on, id) as n from cases`.execute(db);
  await sql`
    insert into messages (id, case_id, direction, ciphertext)
    select gen_random_uuid(), id, 'from_denouncer', decode(md5(id::text), 'hex') from bench_numbered where n % 10 = 0`.execute(db);
  await sql`
    insert into messages (id, case_id, direction, author_id, ciphertext, signature)
    select gen_random_uuid(), id, 'to_denouncer', ${investigatorId}, decode(md5(id::text), 'hex'), decode(repeat(md5(id::text), 4), 'hex')
    from bench_numbered where n % 20 = 10`.execute(db);
  for (const staffId of readers) {
    await sql`
      insert into message_reads (staff_id, case_id, read_seq)
      select ${staffId}, m.case_id, max(m.seq) from messages m join bench_numbered c on c.id = m.case_id where c.n % 20 = 0 group by m.case_id`.execute(db);
  }
  await sql`drop table bench_numbered`.execute(db);
}

/** One figure set per backend asked for (--backend); PGlite runs in the server process. */
export async function benchCaseList(options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const rows: ResultRow[] = [];
  for (const backend of options.backends) rows.push(...(await benchCaseListOn(backend, options)));
  return { rows, notes: [] };
}

async function benchCaseListOn(backend: BackendName, options: BenchOptions): Promise<ResultRow[]> {
  const be = await loadBackend('sodium');
  const database = await freshDatabase(backend, options.databaseUrl);
  const server = { stop: async () => {} };
  try {
    const db = await connectDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? 'unused' });
    await migrateToLatest(db);
    const agency = await seedAgency(db, be);
    await bulkInsertCases(db, agency, options.cases);
    await db.destroy();
    done(`list: ${options.cases} cases in the database`);

    const running = await startServer({ kind: 'tipline', env: { ...database.env, ...tiplineBenchEnv } });
    server.stop = running.stop;
    const rows: ResultRow[] = [];
    for (const role of ['intake', 'investigator'] as const) {
      const member = agency.staff.find((s) => s.roles.includes(role))!;
      const token = await staffLogin(running.baseUrl, be, member);
      const get = async (query: string) => {
        const res = await fetch(`${running.baseUrl}/v1/staff/cases?${query}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        return res.status;
      };
      const deep = await cursorAt(running.baseUrl, token, Math.floor(options.cases * 0.9), `list (${role}): walking to a deep page`);
      const first = await sampleLatency(`list (${role}): first page`, samples, concurrency, () => get('limit=50'));
      const far = await sampleLatency(`list (${role}): page at 90 %`, samples, concurrency, () => get(`limit=50&cursor=${encodeURIComponent(deep)}`));
      const unread = await sampleLatency(`list (${role}): unread`, samples, concurrency, () => get('limit=50&unread=true'));
      const scope = role === 'intake' ? 'whole agency (intake)' : 'granted cases (investigator)';
      for (const [label, r] of [['first page', first], ['page at 90 % depth', far], ['first page of unread', unread]] as const) {
        rows.push({
          benchmark: `staff case list, ${options.cases.toLocaleString('en-US')} cases${backend === 'pglite' ? ', PGlite (embedded)' : ''}`,
          measure: `${scope}, ${label}, p95 (p50)`,
          tipline: `${fmt.ms(r.p95)} (${fmt.ms(r.p50)})`,
          ceiling: '',
          ratio: '',
          target: '< 50 ms',
          verdict: r.p95 < 50 && r.failures === 0 ? 'met' : 'short',
        });
      }
    }
    return rows;
  } finally {
    await server.stop();
    await database.drop();
  }
}

/** Follows nextCursor, 200 cases a page, until `depth` cases are behind. */
async function cursorAt(baseUrl: string, token: string, depth: number, label: string): Promise<string> {
  let cursor = '';
  for (let seen = 0; seen < depth; seen += 200) {
    progress(`${label}: ${seen}/${depth}`);
    const res = await fetch(`${baseUrl}/v1/staff/cases?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`case list answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { nextCursor: string | null };
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return cursor;
}
