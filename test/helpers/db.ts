import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type Database } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { pgliteTemplate, postgresTemplate } from './templates.js';

// Each test file gets its own database: a fresh PostgreSQL database when
// TEST_DATABASE_URL (or DATABASE_URL) names a server, else an in-memory PGlite. Both are
// cloned from the run's migrated template when test/helpers/before.ts made one; the
// migration still runs on the clone (a no-op there, the real thing without a template),
// so a test never sees a schema the migrations would not make.

export const testServerUrl = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
export const backendName = testServerUrl ? 'postgres' : 'pglite';

export interface TestDatabase {
  db: Database;
  url: string | undefined;
  drop(): Promise<void>;
}

let seed: Blob | undefined | null = null;

// .ci/run runs these directories on one database only, so a test there must not open one.
const DATABASE_FREE = /[\\/]test[\\/](build|domain|protocol|vectors)[\\/]/;

export async function createTestDatabase(): Promise<TestDatabase> {
  if (DATABASE_FREE.test(process.argv[1] ?? '')) {
    throw new Error(`${process.argv[1]} opens a database but sits in a directory .ci/run tests on one database only: move it`);
  }
  if (!testServerUrl) {
    if (seed === null) seed = pgliteTemplate();
    const db = await connectDatabase({ dataDir: 'memory://', seed });
    await migrateToLatest(db);
    return { db, url: undefined, drop: () => db.destroy() };
  }
  const name = `tipline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testServerUrl });
  await admin.connect();
  const template = await admin.query('select 1 from pg_database where datname = $1', [postgresTemplate]);
  await admin.query(`create database ${name}${template.rowCount ? ` template ${postgresTemplate}` : ''}`);
  await admin.end();
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  const db = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
  await migrateToLatest(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      const c = new pg.Client({ connectionString: testServerUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
