import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  /** Every log line the app wrote, raw. */
  logs: string[];
}

/**
 * Budgets out of reach, for tests that send many requests on one receipt or session (the
 * fuzz tests) and must reach past the rate limits to the code behind them.
 */
export const unlimited: Partial<Config> = {
  rateLimitPerMinute: 1_000_000, powChallengesPerMinute: 1_000_000, pagePerMinute: 1_000_000, receiptsPerMinute: 1_000_000,
  perReceiptPerMinute: 1_000_000, receiptCreatesPerHour: 1_000_000, receiptUrgentPerDay: 1_000_000,
  staffSessionPerMinute: 1_000_000, staffTotalPerMinute: 1_000_000,
};

/** A fresh app on a fresh database (or the given one), torn down when the test ends. No port is opened. */
export async function createTestApp(t: Test, overrides: Partial<Config> = {}, given?: TestDatabase): Promise<TestApp> {
  const database = given ?? (await createTestDatabase());
  const config = loadConfig(
    { LOG_LEVEL: 'info', TIPLINE_POW_DIFFICULTY: '0', TIPLINE_CHECK_RESPONSES: '1' },
    { origin: 'http://tipline.test', ...overrides },
  );
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(config, { db: database.db, logStream, budgetClock: stoppedBudgetClock() });
  await app.ready();
  t.teardown(async () => {
    // A browser shared by the file's tests keeps its keep-alive connections open; closing
    // them here lets close() return now rather than when the browser drops them.
    app.server.closeAllConnections();
    await app.close();
    await database.drop();
  });
  return { app, database, config, logs };
}

/**
 * Budgets count in fixed windows aligned to the clock (src/server/plugins/rate-limit.ts),
 * so a count a test relies on would reset when a minute turns. Test apps count on this
 * stopped clock instead: midday of the next day, so every window (minute, hour, day)
 * holds for the whole test, and a shared store (Redis) keeps its counters until then.
 */
export function stoppedBudgetClock(): () => number {
  const day = 86_400_000;
  const at = (Math.floor(Date.now() / day) + 1) * day + day / 2;
  return () => at;
}
