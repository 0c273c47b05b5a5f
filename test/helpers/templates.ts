import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kysely, PGliteDialect } from 'kysely';
import pg from 'pg';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import type { DB } from '../../src/server/db/schema.js';

// Migrated templates, made once per test run (test/helpers/before.ts) and cloned for every
// test database: migrating costs about a second per database, and a fresh PGlite several
// (its initdb), against a tenth of that to clone. A template is named by what it was made
// from (the migrations, the SQL, this checkout), so a stale one is never used and two
// checkouts testing at once never share one.

const repo = resolve(import.meta.dirname, '../..');

function sourcesHash(): string {
  const hash = createHash('sha256').update(repo).update(PGLITE_TEST_SETTINGS.join(';'));
  for (const dir of ['migrations', 'src/server/db/sql']) {
    const full = join(repo, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) hash.update(name).update(readFileSync(join(full, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

// A test database is thrown away, so it need not survive a crash: no fsync, no full-page
// images after a checkpoint, no waiting on the log at commit, the least log there is.
// PGlite writes its files into memory through Emscripten's file system; writing less there
// took a third off a server test's CPU time (test/server/workflow: 5.6 s to 3.7 s). The
// product's own data directories keep PostgreSQL's defaults (src/server/db/connect.ts).
const PGLITE_TEST_SETTINGS = ['fsync = off', 'full_page_writes = off', 'synchronous_commit = off', 'wal_level = minimal', 'max_wal_senders = 0'];

const key = sourcesHash();
export const postgresTemplate = `tipline_template_${key}`;
const pgliteTemplateFile = join(tmpdir(), `tipline-template-${key}.tar`);

/** The migrated PGlite template as a dumped data directory, or undefined when this run has none. */
export function pgliteTemplate(): Blob | undefined {
  return existsSync(pgliteTemplateFile) ? new Blob([readFileSync(pgliteTemplateFile)]) : undefined;
}

export async function makePgliteTemplate(): Promise<void> {
  if (existsSync(pgliteTemplateFile)) return;
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = await PGlite.create();
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  await migrateToLatest(db);
  for (const setting of PGLITE_TEST_SETTINGS) await pglite.exec(`alter system set ${setting}`);
  const dump = await pglite.dumpDataDir('none');
  await db.destroy();
  const partial = `${pgliteTemplateFile}.${process.pid}`;
  writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
  renameSync(partial, pgliteTemplateFile);
}

export function dropPgliteTemplate(): void {
  rmSync(pgliteTemplateFile, { force: true });
}

/** Makes this run's PostgreSQL template when the server lacks it (by renaming a finished copy, so a half-made one is never cloned). */
export async function makePostgresTemplate(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [postgresTemplate]);
    if (exists.rowCount) return;
    const building = `${postgresTemplate}_${process.pid}`;
    await admin.query(`drop database if exists ${building}`);
    await admin.query(`create database ${building}`);
    const url = new URL(serverUrl);
    url.pathname = `/${building}`;
    const db = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
    await migrateToLatest(db);
    await db.destroy();
    await admin.query(`alter database ${building} rename to ${postgresTemplate}`).catch(async () => {
      await admin.query(`drop database if exists ${building}`);
    });
  } finally {
    await admin.end();
  }
}

export async function dropPostgresTemplate(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${postgresTemplate} with (force)`);
  } finally {
    await admin.end();
  }
}
