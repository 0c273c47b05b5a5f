import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { connectDatabase, type Database } from '../../src/server/db/connect.js';
import { stoppedBudgetClock } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// Two app instances on one database, as behind a load balancer. On PostgreSQL each
// instance has its own connection pool; on in-memory PGlite they share the one
// database handle, which still proves nothing is kept in process memory.

export interface Instances { a: FastifyInstance; b: FastifyInstance; database: TestDatabase; logs: string[] }

export async function twoInstances(t: Test, overrides: Partial<Config> = {}): Promise<Instances> {
  const database = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'info', TIPLINE_POW_DIFFICULTY: '0', TIPLINE_CHECK_RESPONSES: '1' }, { origin: 'http://tipline.test', ...overrides });
  const logs: string[] = [];
  const logStream = () => new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) });
  const second: Database = database.url ? await connectDatabase({ databaseUrl: database.url, dataDir: 'unused' }) : database.db;
  // One stopped clock for both, as two servers share the real one.
  const budgetClock = stoppedBudgetClock();
  const a = await buildApp(config, { db: database.db, logStream: logStream(), budgetClock });
  const b = await buildApp(config, { db: second, logStream: logStream(), budgetClock });
  await Promise.all([a.ready(), b.ready()]);
  t.teardown(async () => {
    await Promise.all([a.close(), b.close()]);
    if (second !== database.db) await second.destroy();
    await database.drop();
  });
  return { a, b, database, logs };
}
