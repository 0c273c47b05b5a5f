import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { loadBackend } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { solvedPow } from '../helpers/pow.js';
import { makeAgency, makeCase } from '../server/workflow-fixtures.js';

// Issue 14 item 10, performed: a receipt holder tries to look the case up (or create
// anything) without proof of work on any receipt route, and to reuse or stockpile solved
// tokens. Proof of work is one rule, on every route that presents a receipt.

const be = await loadBackend('sodium');

const solved = (app: FastifyInstance, authorization?: string) => solvedPow(app, be, authorization);

/** Every receipt route, as the API document lists them (so a new one cannot be missed). */
async function receiptRoutes(app: FastifyInstance): Promise<{ method: string; url: string }[]> {
  const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([path]) => /^\/v1\/(case\/|case$|attachments)/.test(path))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, (p) => (p === '{from}' ? '0' : randomUUID())) })));
}

// One app for the file (building one is most of a test's time): generous receipt budgets,
// a tight challenge budget, and tokens that live a few seconds.
const TTL = 4;
const { app, database } = await createTestApp(t, {
  powDifficulty: 6, powTtlSeconds: TTL, powChallengesPerMinute: 4, perReceiptPerMinute: 1000, receiptCreatesPerHour: 1000, receiptUrgentPerDay: 1000,
});
const agencyId = await makeAgency(database.db);

t.test('every receipt route refuses a request without a fresh proof of work', async (t) => {
  const kase = await makeCase(database.db, agencyId, '2026-01-05');
  const routes = await receiptRoutes(app);
  t.ok(routes.length >= 13, `${routes.length} receipt routes found`);
  for (const { method, url } of routes) {
    const bare = await app.inject({ method: method as 'GET', url, headers: { authorization: kase.receipt }, payload: method === 'GET' ? undefined : {} });
    t.equal(bare.statusCode, 401, `${method} ${url} without proof of work`);
    t.equal(bare.json().error.code, 'pow_required');
    const pow = await solved(app, kase.receipt);
    const worked = await app.inject({ method: method as 'GET', url, headers: { authorization: kase.receipt, 'tipline-pow': pow }, payload: method === 'GET' ? undefined : {} });
    t.notOk(['pow_required', 'pow_invalid'].includes(worked.json()?.error?.code), `${method} ${url} passes the proof-of-work stage with one`);
    const again = await app.inject({ method: method as 'GET', url, headers: { authorization: kase.receipt, 'tipline-pow': pow }, payload: method === 'GET' ? undefined : {} });
    t.equal(again.json().error.code, 'pow_invalid', `${method} ${url} refuses the spent token`);
  }
});

t.test('spent and stockpiled tokens are refused; outstanding challenges are bounded', async (t) => {
  const kase = await makeCase(database.db, agencyId, '2026-01-05');
  // Solved "at night": three tokens put aside, the fourth spent at once.
  const stock = [await solved(app), await solved(app), await solved(app)];
  const now = await solved(app);
  t.equal((await app.inject({ url: '/v1/case/sealed', headers: { authorization: kase.receipt, 'tipline-pow': now } })).statusCode, 404, 'a fresh token is accepted (the case has no sealed copy)');
  const replay = await app.inject({ url: '/v1/case/messages', headers: { authorization: kase.receipt, 'tipline-pow': now } });
  t.equal(replay.json().error.code, 'pow_invalid', 'spent on one route, refused on another');
  const more = await app.inject({ method: 'POST', url: '/v1/pow', payload: {} });
  t.equal(more.statusCode, 429, 'no more challenges than the budget in a window: a stockpile is bounded by budget × TTL');
  await new Promise((r) => setTimeout(r, TTL * 1000 + 1100));
  for (const pow of stock) {
    const res = await app.inject({ url: '/v1/case', headers: { authorization: kase.receipt, 'tipline-pow': pow } });
    t.equal(res.json().error.code, 'pow_invalid', 'a stockpiled token has expired by morning');
  }
});
