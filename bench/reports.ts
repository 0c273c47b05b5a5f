import { sql } from 'kysely';
import { loadBackend } from '../src/protocol/index.js';
import { connectDatabase, type Database } from '../src/server/db/connect.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { tiplineBenchEnv } from './cases.js';
import { freshDatabase, type BenchDatabase } from './lib/database.js';
import { sampleLatency } from './lib/load.js';
import type { BackendName, BenchOptions } from './lib/options.js';
import { done, progress } from './lib/progress.js';
import { fmt, type ResultRow } from './lib/report.js';
import { expectedReport, reportHistorySql, type ReportPeriod } from './lib/report-history.js';
import { seedAgency } from './lib/seed.js';
import { staffLogin } from './lib/staff-login.js';
import { startServer } from './lib/server.js';
import { timeReportView } from './report-view.js';

// The periodic report over a large agency, a year holding every case: p95 latency of
// `GET /v1/staff/reports` for the year and for a quarter, with the figures checked
// against the history's own arithmetic so a fast wrong answer cannot pass; of
// `GET /v1/staff/reports/series` (the charts) for the year; and, on PostgreSQL, the
// console's report view for the year in Chromium (bench/report-view.ts).

const samples = 100;
const concurrency = 2;
// The bar for the report view: the figures and the series each answer a year of
// 100,000 cases within 1 s at p95, and the view draws them within 1 s.
const targetMs = 1000;
const seriesTargetMs = 1000;
const viewTargetMs = 1000;
const viewRuns = 20;

const periods: ReportPeriod[] = [
  { label: 'year 2025', from: '2025-01-01', to: '2025-12-31' },
  { label: 'quarter 2025-Q2', from: '2025-04-01', to: '2025-06-30' },
];

async function seedHistory(db: Database, agencyId: string, count: number): Promise<void> {
  const batch = 20_000;
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count, from + batch - 1);
    progress(`reports: writing case histories ${to}/${count}`);
    for (const statement of reportHistorySql(agencyId, from, to)) await statement.execute(db);
  }
  // What autovacuum leaves on a live server: the visibility map set, so index-only
  // scans need no heap visits.
  await sql`vacuum analyze`.execute(db);
}

export async function benchReports(backend: BackendName, options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const be = await loadBackend('sodium');
  const database: BenchDatabase = await freshDatabase(backend, options.databaseUrl);
  const server = { stop: async () => {} };
  try {
    const db = await connectDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? 'unused' });
    await migrateToLatest(db);
    const agency = await seedAgency(db, be);
    await seedHistory(db, agency.agencyId, options.cases);
    await db.destroy();
    done(`reports (${backend}): ${options.cases} case histories in the database`);

    const running = await startServer({ kind: 'tipline', env: { ...database.env, ...tiplineBenchEnv } });
    server.stop = running.stop;
    const supervisor = agency.staff.find((s) => s.roles.includes('supervisor'))!;
    const token = await staffLogin(running.baseUrl, be, supervisor);
    const rows: ResultRow[] = [];
    const benchmark = `report, ${options.cases.toLocaleString('en-US')} cases in a year, ${backend === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'}`;
    const row = (measure: string, r: { p50: number; p95: number }, target: number, ok = true): ResultRow => ({
      benchmark, measure: `${measure}, p95 (p50)`, tipline: `${fmt.ms(r.p95)} (${fmt.ms(r.p50)})`,
      ceiling: '', ratio: '', target: `< ${target} ms`, verdict: r.p95 < target && ok ? 'met' : 'short',
    });
    const get = async (path: string) => fetch(running.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
    const sample = (label: string, path: string) => sampleLatency(`reports (${backend}, ${label})`, samples, concurrency, async () => {
      const reply = await get(path);
      await reply.arrayBuffer();
      return reply.status;
    });
    for (const period of periods) {
      const path = `/v1/staff/reports?from=${period.from}&to=${period.to}`;
      const res = await get(path);
      if (!res.ok) throw new Error(`reports answered ${res.status}: ${await res.text()}`);
      const mismatch = compareFigures(await res.json(), expectedReport(options.cases, period));
      if (mismatch) throw new Error(`reports (${period.label}): ${mismatch}`);
      const r = await sample(period.label, path);
      rows.push(row(`figures, ${period.label}`, r, targetMs, r.failures === 0));
    }
    const year = periods[0]!;
    const seriesPath = `/v1/staff/reports/series?from=${year.from}&to=${year.to}`;
    const series = await (await get(seriesPath)).json() as { arrivals: { count: number }[] };
    const arrived = series.arrivals.reduce((sum, a) => sum + a.count, 0);
    if (arrived !== options.cases) throw new Error(`the series counts ${arrived} arrivals in ${year.label}, the history ${options.cases}`);
    const s = await sample(`series, ${year.label}`, seriesPath);
    rows.push(row(`chart series, ${year.label}`, s, seriesTargetMs, s.failures === 0));
    await server.stop();
    server.stop = async () => {};
    if (backend === 'postgres') {
      const view = await timeReportView(be, agency, database.env, year.from.slice(0, 4), viewRuns);
      done(`report view (${backend}): p95 ${view.p95.toFixed(0)} ms`);
      rows.push({ ...row(`console report view in Chromium, ${year.label}, click to form and 6 charts in the DOM, of ${viewRuns}`, view, viewTargetMs) });
    }
    return { rows, notes: [`Report figures matched the seeded history's own counts for ${periods.map((p) => p.label).join(' and ')}, and the series its arrivals (${backend}).`] };
  } finally {
    await server.stop();
    await database.drop();
  }
}

/** The first figure that differs, or null; compares every figure the history defines. */
function compareFigures(actual: unknown, expected: Record<string, number>): string | null {
  for (const [path, want] of Object.entries(expected)) {
    const got = path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], actual);
    if (got !== want) return `${path} is ${String(got)}, the history has ${want}`;
  }
  return null;
}
