import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// Every measured run gets a database of its own, dropped afterwards: a fresh
// PostgreSQL database on the given server, or a fresh PGlite data directory.

export interface BenchDatabase {
  /** Environment for a server process: DATABASE_URL or TIPLINE_DATA_DIR. */
  env: Record<string, string>;
  /** PostgreSQL URL of the database itself (undefined for PGlite). */
  url: string | undefined;
  dataDir: string | undefined;
  drop(): Promise<void>;
}

export async function freshDatabase(backend: 'postgres' | 'pglite', serverUrl: string): Promise<BenchDatabase> {
  if (backend === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'tipline-bench-'));
    return {
      env: { TIPLINE_DATA_DIR: dataDir },
      url: undefined,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `tipline_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    dataDir: undefined,
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
