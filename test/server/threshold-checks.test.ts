import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sealIdentity } from '../../src/protocol/identity.js';
import { deriveReceiptKeys, generateReceipt, toBase64Url } from '../../src/protocol/index.js';
import { createSession } from '../../src/server/db/sessions.js';
import { createTestApp, unlimited } from '../helpers/app.js';
import { createTestAgency, sealTestCase, type FixtureAgency, type FixtureStaff } from '../helpers/fixtures.js';

// The m-of-n gate is the agency's: a submission's identity block and a protection
// request's details must be split among the bundle's custodians at the bundle's m —
// declared and in the block's header byte, which the custodians' clients trust. And an
// admin reaches only their own agency's people: a refused deactivation changes nothing.

t.setTimeout(240_000);

async function sealedAtThreshold(agency: FixtureAgency, m: number, declared = m) {
  const kept = agency.bundle.threshold;
  agency.bundle.threshold = m;
  try {
    const sub = await sealTestCase(agency, 'the director sells permits', { identity: 'Trần Thị B, Huế' });
    (sub.body['identity'] as { threshold: number }).threshold = declared;
    return sub;
  } finally {
    agency.bundle.threshold = kept;
  }
}

t.test('a submission whose identity threshold is not the bundle threshold is refused', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db, { custodians: 3, threshold: 2 });
  const post = (body: object) => app.inject({ method: 'POST', url: '/v1/cases', payload: body });
  for (const [m, declared, what] of [[3, 3, 'a higher m'], [1, 1, 'a lower m'], [3, 2, "the bundle's m declared over a block sealed at 3"], [2, 3, "a block at the bundle's m declared as 3"]] as const) {
    const sub = await sealedAtThreshold(agency, m, declared);
    const res = await post(sub.body);
    t.equal(res.statusCode, 400, `${what}: refused`);
    t.equal(res.json().error.code, 'validation_failed', `${what}: validation_failed`);
    t.notOk(await database.db.selectFrom('cases').select('id').where('id', '=', sub.caseId).executeTakeFirst(), `${what}: no case stored`);
  }
  const good = await sealedAtThreshold(agency, 2);
  t.equal((await post(good.body)).statusCode, 201, "sealed at the bundle's m: accepted");
});

interface ProtectionAsk { protectionRequestId: string; sealedDetails: string; threshold: number; denouncerKey: string; shares: { staffId: string; wrapped: string }[]; urgent: boolean }

async function protectionAsk(agency: FixtureAgency, custodians: FixtureStaff[], m: number, id: string = randomUUID()): Promise<ProtectionAsk> {
  const reply = deriveReceiptKeys(agency.be, generateReceipt(agency.be)).replyKeyPair.publicKey;
  const sealed = await sealIdentity(agency.be, { agencyId: agency.id, caseId: id }, {
    data: new TextEncoder().encode('{"measures":"giữ vị trí công tác"}'),
    custodians: custodians.map((c) => ({ staffId: c.id, boxPublicKey: c.keys.boxPublicKey })), threshold: m,
  }, reply);
  return {
    protectionRequestId: id, urgent: true, sealedDetails: toBase64Url(sealed.block), threshold: m, denouncerKey: toBase64Url(sealed.denouncerKey),
    shares: sealed.shares.map((s) => ({ staffId: s.staffId, wrapped: toBase64Url(s.wrapped) })),
  };
}

t.test('a protection request is checked against the bundle: its custodians, unique, at its m', async (t) => {
  // Eight refused requests on one receipt: past its daily urgent budget, which is not what is tested here.
  const { app, database } = await createTestApp(t, unlimited);
  const db = database.db;
  const agency = await createTestAgency(db, { custodians: 3, threshold: 2 });
  const [c1, c2, c3] = agency.withRole('custodian') as [FixtureStaff, FixtureStaff, FixtureStaff];
  const intake = agency.withRole('intake')[0]!;
  const sub = await sealTestCase(agency, 'the director sells permits');
  t.equal((await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body })).statusCode, 201, 'a case to ask protection for');
  const ask = (body: object) => app.inject({ method: 'POST', url: '/v1/case/protection', headers: { authorization: sub.authorization }, payload: body });
  const stranger: FixtureStaff = { ...c3, id: randomUUID() };

  const attempts: [string, ProtectionAsk][] = [
    ['m = 1 against the bundle m = 2', await protectionAsk(agency, [c1, c2, c3], 1)],
    ['m = 3 against the bundle m = 2', await protectionAsk(agency, [c1, c2, c3], 3)],
    ['a share to an intake officer', await protectionAsk(agency, [c1, c2, intake], 2)],
    ['a share to an id that is no staff at all', await protectionAsk(agency, [c1, c2, stranger], 2)],
    ['one custodian twice', await protectionAsk(agency, [c1, c1, c2], 2)],
    ['fewer shares than m', { ...(await protectionAsk(agency, [c1, c2], 2)), shares: [] }],
  ];
  const declaredLower = await protectionAsk(agency, [c1, c2, c3], 3);
  attempts.push(['a block sealed at 3 declared at the bundle m', { ...declaredLower, threshold: 2 }]);
  const other = await protectionAsk(agency, [c1, c2, c3], 2);
  attempts.push(["another request's block under this id", { ...other, protectionRequestId: randomUUID() }]);
  for (const [what, body] of attempts) {
    const res = await ask(body);
    t.equal(res.statusCode, 400, `${what}: 400`);
    t.equal(res.json().error?.code, 'validation_failed', `${what}: validation_failed`);
  }
  t.equal((await db.selectFrom('protection_requests').select('id').execute()).length, 0, 'nothing was stored');

  const good = await protectionAsk(agency, [c1, c2, c3], 2);
  t.equal((await ask(good)).statusCode, 201, "the bundle's custodians at the bundle's m: accepted");
  const again = await ask(good);
  t.equal(again.statusCode, 409, 'the same request id again: 409');
  t.equal(again.json().error.code, 'conflict', 'conflict');

  const second = await sealTestCase(agency, 'another case');
  await app.inject({ method: 'POST', url: '/v1/cases', payload: second.body });
  const taken = await app.inject({ method: 'POST', url: '/v1/case/protection', headers: { authorization: second.authorization }, payload: await protectionAsk(agency, [c1, c2, c3], 2, good.protectionRequestId) });
  t.equal(taken.statusCode, 409, "another case reusing the id: 409, not the database's unique violation as a 500");
  t.equal((await db.selectFrom('protection_shares').select('request_id').execute()).length, 3, 'only the accepted request has shares');
});

t.test("an admin of agency B cannot deactivate, nor log out, a member of agency A", async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const a = await createTestAgency(db, { extraStaff: [['investigator']] });
  const b = await createTestAgency(db, { extraStaff: [['admin']] });
  const limits = { idleSeconds: 3600, maxSeconds: 7200 };
  const member = a.withRole('investigator')[0]!;
  const memberSession = await createSession(db, member.id, limits);
  const adminB = await createSession(db, b.withRole('admin')[0]!.id, limits);
  const res = await app.inject({ method: 'POST', url: `/v1/admin/staff/${member.id}/deactivate`, headers: { authorization: `Bearer ${adminB.token}` } });
  t.equal(res.statusCode, 404, 'another agency: no such staff member');
  t.equal(res.json().error.code, 'not_found', 'not_found');
  const row = await db.selectFrom('staff').select('status').where('id', '=', member.id).executeTakeFirstOrThrow();
  t.equal(row.status, 'active', 'the member is still active');
  const still = await app.inject({ method: 'GET', url: '/v1/staff/me', headers: { authorization: `Bearer ${memberSession.token}` } });
  t.equal(still.statusCode, 200, "the member's session still works");
  t.equal((await db.selectFrom('audit_log').select('seq').where('action', '=', 'staff.deactivate').execute()).length, 0, 'no deactivation was recorded');

  const adminA = await createSession(db, (await db.insertInto('staff').values({
    id: randomUUID(), agency_id: a.id, display_name: 'admin A', roles: ['admin'], status: 'active', sign_public_key: a.staff[0]!.keys.signPublicKey, box_public_key: a.staff[0]!.keys.boxPublicKey,
  }).returning('id').executeTakeFirstOrThrow()).id, limits);
  const own = await app.inject({ method: 'POST', url: `/v1/admin/staff/${member.id}/deactivate`, headers: { authorization: `Bearer ${adminA.token}` } });
  t.equal(own.statusCode, 200, 'their own admin can');
  const ended = await app.inject({ method: 'GET', url: '/v1/staff/me', headers: { authorization: `Bearer ${memberSession.token}` } });
  t.equal(ended.statusCode, 401, 'and that ends the session');
});
