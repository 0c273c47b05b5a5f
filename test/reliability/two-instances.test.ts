import { Redis } from 'ioredis';
import t from 'tap';
import { fromBase64Url, loadBackend, loginMessage, signDetached, toBase64Url } from '../../src/protocol/index.js';
import { seedAgency } from '../../bench/lib/seed.js';
import { twoInstances } from './instances.js';
import { solvedPow } from '../helpers/pow.js';

// Several stateless instances on one database: whatever one instance hands out
// (sessions, proof-of-work challenges) is honoured or refused the same way by the
// other, and global limits count across all of them.

const redisUrl = process.env['TIPLINE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const probe = new Redis(redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    const stale = await probe.keys('tipline-rate-limit:anonymous:*');
    if (stale.length > 0) await probe.del(...stale);
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

// CI starts Redis before the tests: there a missing Redis fails this test rather than skips it.
const redisSkip = (await redisReachable()) || process.env['CI'] ? false : `no Redis at ${redisUrl}`;

t.test('with REDIS_URL the global rate limit holds across instances', { skip: redisSkip }, async (t) => {
  const limit = 6;
  const { a, b } = await twoInstances(t, { redisUrl, rateLimitPerMinute: limit });
  const statuses: number[] = [];
  for (let i = 0; i < limit + 2; i++) {
    const app = i % 2 ? b : a;
    statuses.push((await app.inject({ url: '/v1/publications' })).statusCode);
  }
  t.same(statuses.slice(0, limit), Array(limit).fill(200), 'the first requests, alternating instances, pass');
  t.same(statuses.slice(limit), [429, 429], 'the limit is reached on the sum of both instances');
  const limited = await a.inject({ url: '/v1/publications' });
  t.equal(limited.json().error.code, 'rate_limited');
});

t.test('without REDIS_URL each instance counts on its own (documented limitation)', async (t) => {
  const { a, b } = await twoInstances(t, { rateLimitPerMinute: 2 });
  const onA = [await a.inject({ url: '/v1/publications' }), await a.inject({ url: '/v1/publications' }), await a.inject({ url: '/v1/publications' })];
  t.same(onA.map((r) => r.statusCode), [200, 200, 429]);
  // A global bucket's counters would tell every caller how busy the server is.
  t.notOk(Object.keys(onA[0]!.headers).some((h) => h.startsWith('x-ratelimit')), 'no counters on an answered request');
  t.notOk(Object.keys(onA[2]!.headers).some((h) => h.startsWith('x-ratelimit')), 'nor on a refused one');
  t.ok(Number(onA[2]!.headers['retry-after']) > 0, 'a refused request learns when to retry');
  t.equal((await b.inject({ url: '/v1/publications' })).statusCode, 200, 'instance b has its own budget');
});

t.test('a staff member logs in on one instance and works on the other', async (t) => {
  const { a, b, database } = await twoInstances(t);
  const be = await loadBackend('sodium');
  const agency = await seedAgency(database.db, be);
  const intake = agency.staff.find((s) => s.roles.includes('intake'))!;
  const challenge = (await a.inject({ method: 'POST', url: '/v1/staff/challenge' })).json() as { nonce: string; origin: string };
  const signature = signDetached(be, 'login', loginMessage(challenge.origin, fromBase64Url(challenge.nonce), intake.staffId), intake.keys.signSecretKey);
  const login = await b.inject({ method: 'POST', url: '/v1/staff/login', payload: { staffId: intake.staffId, nonce: challenge.nonce, signature: toBase64Url(signature) } });
  t.equal(login.statusCode, 200, 'a challenge issued by a is accepted by b');
  const token = (login.json() as { token: string }).token;
  const me = await a.inject({ url: '/v1/staff/me', headers: { authorization: `Bearer ${token}` } });
  t.equal(me.statusCode, 200, 'the session made on b works on a');
  t.equal((me.json() as { staffId: string }).staffId, intake.staffId);
  const replay = await a.inject({ method: 'POST', url: '/v1/staff/login', payload: { staffId: intake.staffId, nonce: challenge.nonce, signature: toBase64Url(signature) } });
  t.equal(replay.statusCode, 401, 'the spent login challenge is refused by the other instance');
});

t.test('a proof-of-work challenge is single use across instances', async (t) => {
  const { a, b } = await twoInstances(t, { powDifficulty: 4 });
  const be = await loadBackend('sodium');
  const header = await solvedPow(a, be);
  const receipt = `Receipt ${toBase64Url(be.randomBytes(32))}`;
  const first = await b.inject({ url: '/v1/case', headers: { 'tipline-pow': header, authorization: receipt } });
  t.equal(first.statusCode, 404, 'b accepts the proof a issued (and finds no case for a random receipt)');
  const again = await a.inject({ url: '/v1/case', headers: { 'tipline-pow': header, authorization: receipt } });
  t.equal(again.statusCode, 401, 'a refuses the same proof once b has spent it');
  t.equal((again.json() as { error: { code: string } }).error.code, 'pow_invalid');
  const none = await a.inject({ url: '/v1/case', headers: { authorization: receipt } });
  t.equal((none.json() as { error: { code: string } }).error.code, 'pow_required', 'and demands one when none is sent');
});
