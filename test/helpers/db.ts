import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type Database } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';

// Each test file gets its own database: a fresh PostgreSQL database when
// TEST_DATABASE_URL (or DATABASE_URL) names a server, else an in-memory PGlite.

export const testServerUrl = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];
export const backendName = testServerUrl ? 'postgres' : 'pglite';

export interface TestDatabase {
  db: Database;
  url: string | undefined;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testServerUrl) {
    const db = await connectDatabase({ dataDir: 'memory://' });
    await migrateToLatest(db);
    return { db, url: undefined, drop: () => db.destroy() };
  }
  const name = `tipline_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testServerUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
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
