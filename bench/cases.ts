import { loadBackend } from '../src/protocol/index.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { freshDatabase } from './lib/database.js';
import { runLoad, type LoadRequest, type LoadResult } from './lib/load.js';
import type { BackendName, BenchOptions } from './lib/options.js';
import { done, progress } from './lib/progress.js';
import { fmt, ratioRow, type ResultRow } from './lib/report.js';
import { presealCases, seedAgency, type PresealedCase } from './lib/seed.js';
import { startServer, type ServerProcess } from './lib/server.js';

// Submission and status-by-receipt throughput, tipline against a bare Fastify route
// doing the one query each needs, on the same database server, in the same run.

/** tipline as configured in production, except proof of work (a client cost) and the budgets. */
export const tiplineBenchEnv = {
  TIPLINE_POW_DIFFICULTY: '0',
  TIPLINE_RATE_LIMIT_PER_MINUTE: '100000000',
  TIPLINE_RATE_LIMIT_RECEIPTS_PER_MINUTE: '100000000',
  TIPLINE_RATE_LIMIT_PER_RECEIPT_PER_MINUTE: '100000000',
  TIPLINE_RATE_LIMIT_RECEIPT_CREATES_PER_HOUR: '100000000',
  TIPLINE_RATE_LIMIT_POW_PER_MINUTE: '100000000',
  TIPLINE_RATE_LIMIT_STAFF_PER_MINUTE: '100000000',
  TIPLINE_RATE_LIMIT_STAFF_TOTAL_PER_MINUTE: '100000000',
  LOG_LEVEL: 'info',
};

interface Figures { submit: LoadResult; status: LoadResult }

type Routes = {
  submit: (c: PresealedCase) => LoadRequest;
  status: (c: PresealedCase) => LoadRequest;
};

interface Side { name: 'ceiling' | 'tipline'; server: ServerProcess; routes: Routes }

/** Rounds per measured figure: each side runs one slice of the requests per round, in turn. */
const ROUNDS = 5;

// The ceiling and tipline run side by side, each on a database of its own, and take turns
// on the same load: round r gives slice r of the requests to one, then to the other, the
// order swapping every round. The machine drifts during a run (checkpoints, autovacuum
// after the submission phase, other processes); measured one after the other, that drift
// lands on one side of the ratio only. Taking turns spreads it over both.
async function measure(sides: [Side, Side], backend: string, cases: PresealedCase[], warm: number, options: BenchOptions): Promise<Record<Side['name'], Figures>> {
  const warmCases = cases.slice(0, warm);
  const measured = cases.slice(warm);
  const load = (side: Side, what: string, amount: number, next: (i: number) => LoadRequest) =>
    runLoad({ baseUrl: side.server.baseUrl, connections: options.connections, label: `${backend} ${side.name} ${what}`, amount, next });

  for (const side of sides) await load(side, 'submit (warm-up)', warmCases.length, (i) => side.routes.submit(warmCases[i % warmCases.length]!));
  const submit = await inTurns(sides, measured.length, (side, round, from, to) => {
    const slice = measured.slice(from, to);
    return load(side, `submit, round ${round + 1}/${ROUNDS}`, slice.length, (i) => side.routes.submit(slice[i % slice.length]!));
  });
  for (const side of sides) await load(side, 'status (warm-up)', warm, (i) => side.routes.status(cases[i % cases.length]!));
  const status = await inTurns(sides, options.lookups, (side, round, from) =>
    load(side, `status, round ${round + 1}/${ROUNDS}`, Math.floor(options.lookups / ROUNDS), (i) => side.routes.status(cases[((from + i) * 7919) % cases.length]!)),
  );
  return {
    ceiling: { submit: submit.ceiling, status: status.ceiling },
    tipline: { submit: submit.tipline, status: status.tipline },
  };
}

async function inTurns(
  sides: [Side, Side],
  amount: number,
  run: (side: Side, round: number, from: number, to: number) => Promise<LoadResult>,
): Promise<Record<Side['name'], LoadResult>> {
  const results: Record<Side['name'], LoadResult[]> = { ceiling: [], tipline: [] };
  const per = Math.floor(amount / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? sides : ([sides[1], sides[0]] as const);
    for (const side of order) results[side.name].push(await run(side, round, round * per, (round + 1) * per));
  }
  return { ceiling: combine(results.ceiling), tipline: combine(results.tipline) };
}

/** One figure from the rounds: throughput over their summed time, latency as the rounds' median. */
function combine(rounds: LoadResult[]): LoadResult {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const requests = rounds.reduce((n, r) => n + r.requests, 0);
  const seconds = rounds.reduce((n, r) => n + r.requests / r.perSecond, 0);
  const statuses: Record<string, number> = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    requests,
    perSecond: requests / seconds,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    failures: rounds.reduce((n, r) => n + r.failures, 0),
    statuses,
  };
}

export async function benchCases(backend: BackendName, options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const be = await loadBackend('sodium');
  // The ceiling's table lives in a database of its own, so both servers can run at once
  // (an embedded database is one process's alone).
  const database = await freshDatabase(backend, options.databaseUrl);
  const ceilingDatabase = await freshDatabase(backend, options.databaseUrl);
  const servers: ServerProcess[] = [];
  try {
    progress(`${backend}: migrating and seeding`);
    const db = await connectDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? 'unused' });
    await migrateToLatest(db);
    const agency = await seedAgency(db, be);
    await db.destroy();

    const warm = Math.max(200, Math.floor(options.requests / 10));
    const cases = await presealCases(be, agency, options.requests + warm, (n) => progress(`${backend}: pre-sealing cases ${n}/${options.requests + warm}`));
    done(`${backend}: ${cases.length} cases pre-sealed`);

    const ceilingServer = await startServer({ kind: 'ceiling', env: ceilingDatabase.env });
    servers.push(ceilingServer);
    const tiplineServer = await startServer({ kind: 'tipline', env: { ...database.env, ...tiplineBenchEnv } });
    servers.push(tiplineServer);
    const figures = await measure(
      [
        {
          name: 'ceiling',
          server: ceilingServer,
          routes: {
            submit: (c) => ({ method: 'POST', path: '/ceiling/cases', headers: { 'content-type': 'application/json', 'x-auth-key': c.authKey }, body: c.body }),
            status: (c) => ({ method: 'GET', path: '/ceiling/case', headers: { authorization: `Receipt ${c.authKey}` } }),
          },
        },
        {
          name: 'tipline',
          server: tiplineServer,
          routes: {
            submit: (c) => ({ method: 'POST', path: '/v1/cases', headers: { 'content-type': 'application/json' }, body: c.body }),
            status: (c) => ({ method: 'GET', path: '/v1/case', headers: { authorization: `Receipt ${c.authKey}` } }),
          },
        },
      ],
      backend,
      cases,
      warm,
      options,
    );
    return { rows: rowsFor(backend, figures.tipline, figures.ceiling), notes: notesFor(backend, figures.tipline, figures.ceiling) };
  } finally {
    for (const server of servers) await server.stop();
    await database.drop();
    await ceilingDatabase.drop();
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
