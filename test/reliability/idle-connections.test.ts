import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import t from 'tap';
import { loadBackend } from '../../src/protocol/index.js';
import { presealCases, seedAgency } from '../../bench/lib/seed.js';
import { startServer } from '../../bench/lib/server.js';
import { createTestDatabase, testServerUrl } from '../helpers/db.js';

// A failover, a restart or a proxy's `shutdown-sessions` kills the server's idle pooled
// connections under it. Each dead connection emits an 'error' event with no query to
// carry it; unheard, that event ends the process. A real `tipline serve` process must
// live through it and answer from fresh connections, without a restart.

const skip = testServerUrl ? false : 'PostgreSQL only: the embedded database has no connection pool';

t.test('the server outlives its idle pooled connections being killed, and reconnects', { skip }, async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const be = await loadBackend('sodium');
  const agency = await seedAgency(database.db, be);
  const [before, after] = await presealCases(be, agency, 2);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  t.teardown(() => admin.end());
  const name = new URL(database.url!).pathname.slice(1);
  const backends = async () => (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name])).rows.map((r) => r.pid);
  // This test's own connections, so that only the server's are killed below.
  const ours = new Set(await backends());
  const server = await startServer({ kind: 'tipline', env: { DATABASE_URL: database.url!, TIPLINE_POW_DIFFICULTY: '0', LOG_LEVEL: 'warn' } });
  t.teardown(() => server.kill());
  const submit = (body: string) => fetch(`${server.baseUrl}/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.status);

  // Several requests at once open several pooled connections, idle once answered.
  const warm = await Promise.all([submit(before!.body), ...Array.from({ length: 6 }, () => fetch(`${server.baseUrl}/readyz`).then((r) => r.status))]);
  t.same(warm, [201, 200, 200, 200, 200, 200, 200], 'the server answers on a warm pool');

  const servers = (await backends()).filter((pid) => !ours.has(pid));
  const killed = await admin.query<{ gone: boolean }>('select pg_terminate_backend(pid) as gone from unnest($1::int[]) as pid', [servers]);
  t.ok(killed.rows.length >= 2 && killed.rows.every((r) => r.gone), `the server's ${killed.rows.length} idle connections were terminated`);

  // The first request may still draw a connection whose death has not arrived yet (a 500 or 503);
  // the pool drops it and the next one connects afresh.
  let ready = 0;
  for (let attempt = 0; attempt < 50 && ready !== 200; attempt++) {
    ready = await fetch(`${server.baseUrl}/readyz`).then((r) => r.status, () => 0);
    if (ready !== 200) await sleep(100);
  }
  t.equal(ready, 200, 'ready again on fresh connections');
  t.equal(await submit(after!.body), 201, 'a new submission is stored');
  t.equal(await submit(before!.body), 200, 'the one from before the loss is still there, answered as already stored');
  t.doesNotThrow(() => process.kill(server.pid, 0), 'the same server process is still running');
  t.notMatch(server.stderr(), /Unhandled|uncaught|ECONNRESET|terminating connection/i, 'and wrote no crash to its error stream');
});
