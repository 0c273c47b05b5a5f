import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, sealTestCase, type FixtureAgency } from '../helpers/fixtures.js';
import { makeAgency, makeCase, makeStaff, reason } from '../server/workflow-fixtures.js';

// Issue 14 item 10, performed: one receipt tries to file a stream of urgent reports, to
// open uploads and post messages without end. Budgets are keyed on the receipt's verifier
// (never the address: every request here comes from the same one). Proof of work on the
// same routes: abuse-receipt-pow.test.ts.

// One app for the file (building one is most of a test's time), with small budgets.
const { app, database } = await createTestApp(t, { receiptUrgentPerDay: 3, receiptCreatesPerHour: 4, perReceiptPerMinute: 25 });

function retaliation(agency: FixtureAgency) {
  return async () => {
    const sub = await sealTestCase(agency, 'they moved me to a remote post', { kind: 'retaliation' });
    const { caseId, verifier, envelope, denouncerKey, recipientKeys } = sub.body;
    return { caseId, bundleSerial: agency.bundle.serial, verifier, envelope, denouncerKey, recipientKeys };
  };
}

t.test('one receipt cannot file a stream of urgent retaliation reports and protection requests', async (t) => {
  const agency = await createTestAgency(database.db, { custodians: 1, threshold: 1 });
  const report = retaliation(agency);
  const [attacker, bystander] = [await sealTestCase(agency, 'first'), await sealTestCase(agency, 'second')];
  for (const s of [attacker, bystander]) t.equal((await app.inject({ method: 'POST', url: '/v1/cases', payload: s.body })).statusCode, 201);
  const codes: number[] = [];
  const started = Date.now();
  for (let i = 0; i < 20; i++) {
    codes.push((await app.inject({ method: 'POST', url: '/v1/case/retaliation', headers: { authorization: attacker.authorization }, payload: await report() })).statusCode);
  }
  t.same(codes.slice(0, 3), [201, 201, 201], 'the day\'s budget of urgent filings is served');
  t.ok(codes.slice(3).every((c) => c === 429), `then refused (${Date.now() - started} ms for 20 tries)`);
  const refused = await app.inject({ method: 'POST', url: '/v1/case/retaliation', headers: { authorization: attacker.authorization }, payload: await report() });
  t.equal(refused.json().error.code, 'rate_limited');
  t.equal(refused.json().error.budget, 'receipt_urgent');
  t.ok(Number(refused.headers['retry-after']) > 0);
  const linked = await database.db.selectFrom('cases').select('id').where('parent_case_id', 'is not', null).execute();
  t.equal(linked.length, 3, 'only three urgent cases exist');
  const custodian = agency.withRole('custodian')[0]!;
  const protection = await app.inject({
    method: 'POST', url: '/v1/case/protection', headers: { authorization: attacker.authorization },
    payload: { protectionRequestId: randomUUID(), urgent: true, sealedDetails: reason(), threshold: 1, denouncerKey: reason(), shares: [{ staffId: custodian.id, wrapped: reason() }] },
  });
  t.equal(protection.statusCode, 429, 'a protection request draws on the same urgent budget');
  const other = await app.inject({ method: 'POST', url: '/v1/case/retaliation', headers: { authorization: bystander.authorization }, payload: await report() });
  t.equal(other.statusCode, 201, 'another receipt, from the same address, is not affected');
});

t.test('one receipt cannot open uploads or post messages without end, nor look up without end', async (t) => {
  const agencyId = await makeAgency(database.db);
  const [kase, other] = [await makeCase(database.db, agencyId, '2026-01-05'), await makeCase(database.db, agencyId, '2026-01-05')];
  const opened: number[] = [];
  for (let i = 0; i < 8; i++) {
    opened.push((await app.inject({ method: 'POST', url: '/v1/case/attachments', headers: { authorization: kase.receipt }, payload: { attachmentId: randomUUID() } })).statusCode);
  }
  t.same(opened, [201, 201, 201, 201, 429, 429, 429, 429], 'four uploads an hour, then refused');
  const message = await app.inject({ method: 'POST', url: '/v1/case/messages', headers: { authorization: kase.receipt }, payload: { messageId: randomUUID(), ciphertext: 'AAAA' } });
  t.equal(message.json().error.budget, 'receipt_creates', 'messages draw on the same budget');
  const reads: number[] = [];
  for (let i = 0; i < 18; i++) reads.push((await app.inject({ url: '/v1/case/timeline', headers: { authorization: kase.receipt } })).statusCode);
  // 25 a minute: 9 spent above, 16 look-ups left.
  t.same(reads, [...Array(16).fill(200), 429, 429], 'and its look-ups stop at the per-receipt budget');
  t.equal((await app.inject({ url: '/v1/case/timeline', headers: { authorization: kase.receipt } })).json().error.budget, 'receipt');
  t.equal((await app.inject({ url: '/v1/case/timeline', headers: { authorization: other.receipt } })).statusCode, 200, 'another receipt is served');
  const staff = await makeStaff(database.db, agencyId, ['intake']);
  t.equal((await app.inject({ url: '/v1/staff/sessions', headers: { authorization: staff.auth } })).statusCode, 200, 'staff are not affected');
});
