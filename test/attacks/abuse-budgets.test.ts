import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { MANIFEST_FILE, type BuildManifest } from '../../src/web/build.js';
import { createTestApp } from '../helpers/app.js';
import { makeAgency, makeCase, makeStaff } from '../server/workflow-fixtures.js';

// Issue 14 item 9, performed: one client floods free requests and tries to starve
// everyone else. Each kind of traffic has its own budget, so a flood only ever exhausts
// its own kind's: staff, the page, receipt holders and the health probes keep working.

/** A stand-in for the built page, laid out as the build's manifest lists it (src/web/build.ts). */
async function builtPage(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tipline-page-'));
  const files = ['index.html', ASSET.slice(1), 'app-TEST.css', 'BUNDLE-HASH.txt'];
  for (const f of files) await writeFile(join(dir, f), `/* ${f} */`);
  const manifest: BuildManifest = { index: 'test', files: files.map((name) => ({ name, immutable: name.startsWith('app-'), encodings: [] })) };
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const ASSET = '/app-TEST.js';

const small = { rateLimitPerMinute: 5, powChallengesPerMinute: 5, pagePerMinute: 5, receiptsPerMinute: 5, perReceiptPerMinute: 5, staffSessionPerMinute: 5, staffTotalPerMinute: 50 };

/** Everyone but the flooder: each must still be answered, never with 429. */
async function bystanders(app: FastifyInstance, staffAuth: string, receipt: string) {
  return {
    healthz: (await app.inject({ url: '/healthz' })).statusCode,
    readyz: (await app.inject({ url: '/readyz' })).statusCode,
    page: (await app.inject({ url: '/' })).statusCode,
    asset: (await app.inject({ url: ASSET })).statusCode,
    staff: (await app.inject({ url: '/v1/staff/sessions', headers: { authorization: staffAuth } })).statusCode,
    receipt: (await app.inject({ url: '/v1/case/timeline', headers: { authorization: receipt } })).statusCode,
  };
}
const allServed = { healthz: 200, readyz: 200, page: 200, asset: 200, staff: 200, receipt: 200 };

async function setting(t: Test, overrides = {}) {
  const { app, database } = await createTestApp(t, { ...small, webDir: await builtPage(t), ...overrides });
  const agencyId = await makeAgency(database.db);
  const staff = await makeStaff(database.db, agencyId, ['intake']);
  const kase = await makeCase(database.db, agencyId, '2026-01-05');
  return { app, database, agencyId, staff, kase };
}

// Two apps for the file (building one is most of a test's time); the subtests of each run
// in order and share its budgets' windows, so each says what it leaves behind.
const open = await setting(t);
const guarded = await setting(t, { powDifficulty: 8, staffTotalPerMinute: 10 });

t.test('a flood of free POST /v1/pow exhausts only the challenge budget', async (t) => {
  const { app, staff, kase } = open;
  const codes: number[] = [];
  for (let i = 0; i < 40; i++) codes.push((await app.inject({ method: 'POST', url: '/v1/pow', payload: {} })).statusCode);
  t.same(codes.slice(0, 5), Array(5).fill(200), 'the budget is served');
  t.ok(codes.slice(5).every((c) => c === 429), 'then refused');
  const refused = await app.inject({ method: 'POST', url: '/v1/pow', payload: {} });
  t.equal(refused.json().error.code, 'rate_limited');
  t.equal(refused.json().error.budget, 'challenge');
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After on refusal');
  t.notOk(Object.keys(refused.headers).some((h) => h.startsWith('x-ratelimit')), 'and no counters');
  t.same(await bystanders(app, staff.auth, kase.receipt), allServed, 'staff, the page, receipt holders and the probes are untouched');
  t.equal((await app.inject({ url: '/v1/publications' })).statusCode, 200, 'other anonymous routes too');
  const withReceipt = await app.inject({ method: 'POST', url: '/v1/pow', headers: { authorization: kase.receipt }, payload: {} });
  t.equal(withReceipt.statusCode, 200, 'a receipt holder still gets a challenge, from the receipt budgets');
});

t.test('a flood of submissions without proof of work spends no shared budget', async (t) => {
  const { app, staff, kase } = guarded;
  for (let i = 0; i < 30; i++) {
    const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: {} });
    t.equal(res.json().error.code, 'pow_required');
  }
  t.equal((await app.inject({ url: '/v1/publications' })).statusCode, 200, 'the anonymous budget is still there for the working');
  const { healthz, readyz, page, asset, staff: staffCode } = await bystanders(app, staff.auth, kase.receipt);
  t.same({ healthz, readyz, page, asset, staff: staffCode }, { healthz: 200, readyz: 200, page: 200, asset: 200, staff: 200 });
});

t.test('a staff session is counted on its own, never with the flood or other sessions', async (t) => {
  const { app, database, agencyId } = open;
  const [busy, other] = [await makeStaff(database.db, agencyId, ['intake']), await makeStaff(database.db, agencyId, ['intake'])];
  const codes: number[] = [];
  for (let i = 0; i < 8; i++) codes.push((await app.inject({ url: '/v1/staff/sessions', headers: { authorization: busy.auth } })).statusCode);
  t.same(codes, [200, 200, 200, 200, 200, 429, 429, 429], 'one session over its budget');
  t.equal((await app.inject({ url: '/v1/staff/sessions', headers: { authorization: busy.auth } })).json().error.budget, 'staff_session');
  t.equal((await app.inject({ url: '/v1/staff/sessions', headers: { authorization: other.auth } })).statusCode, 200, 'another session, same address, is served');
  for (let i = 0; i < 20; i++) await app.inject({ method: 'POST', url: '/v1/pow', payload: {} });
  t.equal((await app.inject({ url: '/v1/staff/sessions', headers: { authorization: other.auth } })).statusCode, 200, 'a challenge flood does not reach it');
});

t.test('a flood of anonymous requests does not reach staff, the page, receipts or /readyz', async (t) => {
  const { app, staff, kase } = open; // after the challenge flood: only its budget is spent
  const codes: number[] = [];
  for (let i = 0; i < 30; i++) codes.push((await app.inject({ url: '/v1/publications' })).statusCode);
  for (let i = 0; i < 10; i++) codes.push((await app.inject({ url: '/no-such-route' })).statusCode);
  t.ok(codes.slice(5).every((c) => c === 429), 'the flood is refused once over the anonymous budget (404s included)');
  t.same(await bystanders(app, staff.auth, kase.receipt), allServed);
  t.equal((await app.inject({ method: 'POST', url: '/v1/staff/challenge' })).statusCode, 200, 'staff can still sign in');
});

t.test('forged session tokens stop at the staff total, and health is never limited', async (t) => {
  const { app } = guarded; // one staff request of the ten was spent above
  const codes: number[] = [];
  for (let i = 0; i < 14; i++) {
    codes.push((await app.inject({ url: '/v1/staff/sessions', headers: { authorization: `Bearer ${'x'.repeat(30)}${i}` } })).statusCode);
  }
  t.same(codes.slice(0, 9), Array(9).fill(401), 'forged tokens are refused');
  t.same(codes.slice(9), Array(5).fill(429), 'and then no longer reach the database');
  for (let i = 0; i < 50; i++) t.equal((await app.inject({ url: i % 2 ? '/healthz' : '/readyz' })).statusCode, 200);
});
