import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadBackend } from '../src/protocol/index.js';
import { connectDatabase } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { tiplineBenchEnv } from './cases.js';
import { summariseProfile } from './lib/cpu-profile.js';
import { freshDatabase } from './lib/database.js';
import { runLoad } from './lib/load.js';
import { presealCases, seedAgency } from './lib/seed.js';
import { startServer } from './lib/server.js';

// Where a submission and a status look-up spend the server's CPU: the same load as
// bench/cases.ts against `tipline serve` under `node --cpu-prof`, one server process per
// route so each profile holds one route's work, then a summary by function and package.
//
//   npx tsx bench/profile-cases.ts [postgres|pglite] [requests] [profile dir]

const backend = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
const requests = Number(process.argv[3] ?? 3000);
const dir = process.argv[4] ?? '/tmp/tipline-profile';
const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** User + system CPU time of a process so far, ms (Linux /proc, 100 ticks a second). */
const cpuMillis = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** CPU time of every PostgreSQL process so far, ms: the database's share of a request. */
const postgresCpuMillis = () => {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuMillis(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
};

const be = await loadBackend('sodium');
const database = await freshDatabase(backend, databaseUrl);
try {
  const db = await connectDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? 'unused' });
  await migrateToLatest(db);
  const agency = await seedAgency(db, be);
  await db.destroy();
  const cases = await presealCases(be, agency, requests);
  // PROFILE_CEILING=1 profiles bench/ceiling-server.ts on the same load, for comparison.
  const ceiling = process.env['PROFILE_CEILING'] === '1';
  const path = (route: 'submit' | 'status') => (ceiling ? `/ceiling/${route === 'submit' ? 'cases' : 'case'}` : route === 'submit' ? '/v1/cases' : '/v1/case');
  for (const route of ['submit', 'status'] as const) {
    const out = join(dir, route);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const server = await startServer({
      kind: ceiling ? 'ceiling' : 'tipline',
      env: { ...database.env, ...(ceiling ? {} : tiplineBenchEnv) },
      // PROFILE_CPU_ONLY=1: no profiler, only the server's CPU time per request (/proc).
      nodeArgs: process.env['PROFILE_CPU_ONLY'] === '1' ? [] : ['--cpu-prof', `--cpu-prof-dir=${out}`],
    });
    const cpuBefore = cpuMillis(server.pid);
    const dbCpuBefore = postgresCpuMillis();
    const clientCpuBefore = process.cpuUsage();
    try {
      const base = { baseUrl: server.baseUrl, connections: 32, amount: requests };
      if (route === 'status') {
        // The submit run before this one stored every case.
        await runLoad({ ...base, label: 'status', next: (i) => ({ method: 'GET', path: path('status'), headers: { authorization: `Receipt ${cases[(i * 7919) % cases.length]!.authKey}` } }) });
      } else {
        await runLoad({ ...base, label: 'submit', next: (i) => ({ method: 'POST', path: path('submit'), headers: { 'content-type': 'application/json', 'x-auth-key': cases[i]!.authKey }, body: cases[i]!.body }) });
      }
      const used = cpuMillis(server.pid) - cpuBefore;
      const dbUsed = postgresCpuMillis() - dbCpuBefore;
      const clientCpu = process.cpuUsage(clientCpuBefore);
      const clientUsed = (clientCpu.user + clientCpu.system) / 1000;
      process.stdout.write(`${route}: server CPU ${(used / requests).toFixed(3)} ms per request (${(used / 1000).toFixed(1)} s for ${requests})`);
      process.stdout.write(backend === 'postgres' ? `, PostgreSQL CPU ${(dbUsed / requests).toFixed(3)} ms per request` : '');
      process.stdout.write(`, load generator CPU ${(clientUsed / requests).toFixed(3)} ms per request\n`);
    } finally {
      await server.stop();
    }
    // The main thread's profile; tsx's loader thread writes a second one.
    const file = readdirSync(out).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
    if (file) process.stdout.write(`\n== ${route} (${join(out, file)})\n${summariseProfile(join(out, file))}\n`);
  }
} finally {
  // PROFILE_KEEP_DATABASE=1 keeps it for EXPLAIN or pgbench afterwards.
  if (process.env['PROFILE_KEEP_DATABASE'] === '1') process.stdout.write(`kept ${database.url ?? database.dataDir}\n`);
  else await database.drop();
}
