import { Redis } from 'ioredis';
import t from 'tap';
import { twoInstances } from './instances.js';

// Several stateless instances on one database: whatever one instance hands out
// (sessions, proof-of-work challenges) is honoured or refused the same way by the
// other, and global limits count across all of them.

const redisUrl = process.env['TIPLINE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.del('tipline-rate-limit:global');
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const redisSkip = (await redisReachable()) ? false : `no Redis at ${redisUrl}`;

t.test('with REDIS_URL the global rate limit holds across instances', { skip: redisSkip }, async (t) => {
  const limit = 6;
  const { a, b } = await twoInstances(t, { redisUrl, rateLimitPerMinute: limit });
  const statuses: number[] = [];
  for (let i = 0; i < limit + 2; i++) {
    const app = i % 2 ? b : a;
    statuses.push((await app.inject({ url: '/healthz' })).statusCode);
  }
  t.same(statuses.slice(0, limit), Array(limit).fill(200), 'the first requests, alternating instances, pass');
  t.same(statuses.slice(limit), [429, 429], 'the limit is reached on the sum of both instances');
  const limited = await a.inject({ url: '/healthz' });
  t.equal(limited.json().error.code, 'rate_limited');
});

t.test('without REDIS_URL each instance counts on its own (documented limitation)', async (t) => {
  const { a, b } = await twoInstances(t, { rateLimitPerMinute: 2 });
  const onA = [await a.inject({ url: '/healthz' }), await a.inject({ url: '/healthz' }), await a.inject({ url: '/healthz' })];
  t.same(onA.map((r) => r.statusCode), [200, 200, 429]);
  t.equal((await b.inject({ url: '/healthz' })).statusCode, 200, 'instance b has its own budget');
});
