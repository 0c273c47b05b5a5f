import { parseArgs } from 'node:util';

// Command-line options of `npm run bench`. Defaults are the figures reported in
// docs/PERFORMANCE.md; the smaller scales exist for a quick look on a busy machine.

export const benchmarkNames = ['submit', 'status', 'list', 'reports', 'attachments', 'sealing', 'console', 'page-load', 'pow', 'wraps'] as const;
export type BenchmarkName = (typeof benchmarkNames)[number];
export const backendNames = ['postgres', 'pglite'] as const;
export type BackendName = (typeof backendNames)[number];

export interface BenchOptions {
  only: BenchmarkName[];
  backends: BackendName[];
  connections: number;
  /** Submissions per measured run (each a case sealed ahead of time); bounded so every run ends. */
  requests: number;
  /** Status look-ups per measured run: cheap requests, so more of them, for rounds long enough to settle. */
  lookups: number;
  /** Cases bulk-inserted for the staff list and report benchmarks. */
  cases: number;
  /** Attachment size for the upload / download benchmark, in MiB. */
  attachmentMiB: number;
  /** Bytes sealed per sealing measurement, in MiB. */
  sealMiB: number;
  /** Timed rounds of the staff console's inbox and case view (p95 over these). */
  consoleRuns: number;
  /** Attachment size decrypted in the staff console's page, in MiB. */
  consoleMiB: number;
  databaseUrl: string;
  write: boolean;
  json: boolean;
}

export const helpText = `Usage: npm run bench -- [options]

Measures tipline against the machine's ceiling (bare Fastify + one query) and writes
the ratios. Needs PostgreSQL (trust auth) for the postgres backend; headless Chromium
at /usr/bin/chromium for the browser sealing and page-load figures (skipped when absent).

Options:
  --only <list>         benchmarks, comma-separated: ${benchmarkNames.join(', ')} (default: all)
  --backend <list>      databases for submit/status/list/reports: ${backendNames.join(', ')} (default: both)
  --connections <n>     concurrent clients for submit/status (default 32)
  --requests <n>        submissions per submit run (default 20000)
  --lookups <n>         look-ups per status run (default 60000)
  --cases <n>           cases in the database for the list and report benchmarks
                        (default 100000)
  --attachment-mib <n>  attachment size in MiB (default 1024)
  --seal-mib <n>        bytes sealed per sealing figure, MiB (default 256)
  --console-runs <n>    timed inbox and case-view rounds in the console (default 40)
  --console-mib <n>     attachment decrypted in the console's page, MiB (default 64)
  --database-url <url>  PostgreSQL server; a fresh database is created and dropped
                        (default postgres://postgres@127.0.0.1:5432/postgres)
  --quick               small scale: 4000 requests, 12000 look-ups, 10000 cases,
                        64 MiB files, 20 console rounds, 16 MiB in the console
  --write               update the results table in docs/PERFORMANCE.md
  --json                print the results as JSON on stdout
  -h, --help            this text
`;

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] {
  if (!value) return [...allowed];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new Error(`unknown ${what} "${item}"; expected one of ${allowed.join(', ')}`);
  }
  return items as T[];
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

/** Returns undefined when help was asked for. */
export function parseBenchOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      backend: { type: 'string' },
      connections: { type: 'string' },
      requests: { type: 'string' },
      lookups: { type: 'string' },
      cases: { type: 'string' },
      'attachment-mib': { type: 'string' },
      'seal-mib': { type: 'string' },
      'console-runs': { type: 'string' },
      'console-mib': { type: 'string' },
      'database-url': { type: 'string' },
      quick: { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  return {
    only: list(values.only, benchmarkNames, 'benchmark'),
    backends: list(values.backend, backendNames, 'backend'),
    connections: Math.floor(positive(values.connections, 32, 'connections')),
    requests: Math.floor(positive(values.requests, quick ? 4000 : 20000, 'requests')),
    lookups: Math.floor(positive(values.lookups, quick ? 12000 : 60000, 'lookups')),
    cases: Math.floor(positive(values.cases, quick ? 10000 : 100000, 'cases')),
    attachmentMiB: positive(values['attachment-mib'], quick ? 64 : 1024, 'attachment-mib'),
    sealMiB: positive(values['seal-mib'], quick ? 32 : 256, 'seal-mib'),
    consoleRuns: Math.max(20, Math.floor(positive(values['console-runs'], quick ? 20 : 40, 'console-runs'))),
    consoleMiB: positive(values['console-mib'], quick ? 16 : 64, 'console-mib'),
    databaseUrl: values['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    write: values.write === true,
    json: values.json === true,
  };
}
