import { loadBackend } from '../src/protocol/index.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { freshDatabase } from './lib/database.js';
import { runLoad, type LoadResult } from './lib/load.js';
import type { BackendName, BenchOptions } from './lib/options.js';
import { done, progress } from './lib/progress.js';
import { fmt, ratioRow, type ResultRow } from './lib/report.js';
import { presealCases, seedAgency, type PresealedCase } from './lib/seed.js';
import { startServer, type ServerProcess } from './lib/server.js';

// Submission and status-by-receipt throughput, tipline against a bare Fastify route
// doing the one query each needs, on the same database, in the same run.

/** tipline as configured in production, except proof of work (a client cost) and the global limit. */
export const tiplineBenchEnv = {
  TIPLINE_POW_DIFFICULTY: '0',
  TIPLINE_RATE_LIMIT_PER_MINUTE: '100000000',
  LOG_LEVEL: 'info',
};

interface Figures { submit: LoadResult; status: LoadResult }

async function measure(server: ServerProcess, label: string, cases: PresealedCase[], warm: number, options: BenchOptions, routes: {
  submit: (c: PresealedCase) => { method: 'POST'; path: string; headers: Record<string, string>; body: string };
  status: (c: PresealedCase) => { method: 'GET'; path: string; headers: Record<string, string> };
}): Promise<Figures> {
  const base = { baseUrl: server.baseUrl, connections: options.connections };
  const warmCases = cases.slice(0, warm);
  const measured = cases.slice(warm);
  await runLoad({ ...base, label: `${label} submit (warm-up)`, amount: warmCases.length, next: (i) => routes.submit(warmCases[i % warmCases.length]!) });
  const submit = await runLoad({ ...base, label: `${label} submit`, amount: measured.length, next: (i) => routes.submit(measured[i % measured.length]!) });
  await runLoad({ ...base, label: `${label} status (warm-up)`, amount: warm, next: (i) => routes.status(cases[i % cases.length]!) });
  const status = await runLoad({ ...base, label: `${label} status`, amount: options.requests, next: (i) => routes.status(cases[(i * 7919) % cases.length]!) });
  return { submit, status };
}

export async function benchCases(backend: BackendName, options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const be = await loadBackend('sodium');
  const database = await freshDatabase(backend, options.databaseUrl);
  try {
    progress(`${backend}: migrating and seeding`);
    const db = await connectDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? 'unused' });
    await migrateToLatest(db);
    const agency = await seedAgency(db, be);
    await db.destroy();

    const warm = Math.max(200, Math.floor(options.requests / 10));
    const cases = await presealCases(be, agency, options.requests + warm, (n) => progress(`${backend}: pre-sealing cases ${n}/${options.requests + warm}`));
    done(`${backend}: ${cases.length} cases pre-sealed`);

    const ceilingServer = await startServer({ kind: 'ceiling', env: database.env });
    const ceiling = await measure(ceilingServer, `${backend} ceiling`, cases, warm, options, {
      submit: (c) => ({ method: 'POST', path: '/ceiling/cases', headers: { 'content-type': 'application/json', 'x-auth-key': c.authKey }, body: c.body }),
      status: (c) => ({ method: 'GET', path: '/ceiling/case', headers: { authorization: `Receipt ${c.authKey}` } }),
    }).finally(() => ceilingServer.stop());

    const tiplineServer = await startServer({ kind: 'tipline', env: { ...database.env, ...tiplineBenchEnv } });
    const tipline = await measure(tiplineServer, `${backend} tipline`, cases, warm, options, {
      submit: (c) => ({ method: 'POST', path: '/v1/cases', headers: { 'content-type': 'application/json' }, body: c.body }),
      status: (c) => ({ method: 'GET', path: '/v1/case', headers: { authorization: `Receipt ${c.authKey}` } }),
    }).finally(() => tiplineServer.stop());

    return { rows: rowsFor(backend, tipline, ceiling), notes: notesFor(backend, tipline, ceiling) };
  } finally {
    await database.drop();
  }
}

function rowsFor(backend: string, t: Figures, c: Figures): ResultRow[] {
  const name = backend === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)';
  const latency = (what: string, a: LoadResult, b: LoadResult): ResultRow => ({
    benchmark: `${what}, ${name}`,
    measure: 'latency p50 / p99',
    tipline: `${fmt.ms(a.p50)} / ${fmt.ms(a.p99)}`,
    ceiling: `${fmt.ms(b.p50)} / ${fmt.ms(b.p99)}`,
    ratio: '',
    target: 'info',
    verdict: 'n/a',
  });
  // A run whose requests failed measured the wrong thing: its ratio says nothing.
  const valid = (row: ResultRow, r: LoadResult): ResultRow => (r.failures > r.requests / 100 ? { ...row, verdict: 'short', ratio: `${row.ratio} (failures)` } : row);
  return [
    valid(ratioRow(`submit, ${name}`, 'sealed cases accepted', t.submit.perSecond, c.submit.perSecond, 0.7, fmt.rate), t.submit),
    latency('submit', t.submit, c.submit),
    valid(ratioRow(`status by receipt, ${name}`, 'look-ups', t.status.perSecond, c.status.perSecond, 0.7, fmt.rate), t.status),
    latency('status by receipt', t.status, c.status),
  ];
}

function notesFor(backend: string, t: Figures, c: Figures): string[] {
  const notes: string[] = [];
  for (const [what, r] of [['tipline submit', t.submit], ['tipline status', t.status], ['ceiling submit', c.submit], ['ceiling status', c.status]] as const) {
    if (r.failures > 0) notes.push(`${backend} ${what}: ${r.failures} failed requests (statuses ${JSON.stringify(r.statuses)}).`);
  }
  return notes;
}
