import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { utcToDay } from '../../src/domain/index.js';
import { fromBase64Url, loadBackend, proposalSigningBytes, signDetached, toBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, reason, staffKeysOf, transition } from './workflow-fixtures.js';

// The verification team prepares, the head decides (LEGAL.md "Who decides"): only the
// investigator a case is assigned to proposes an extension or a conclusion (and the intake
// officer an acceptance), only within what the head could decide today, signed; only the
// head answers, by taking the decision (the transition answers the proposal in its own
// transaction) or by a signed decline; every step lands in the audit log with its signature.

const today = utcToDay(Date.now());

async function signed(auth: string, caseId: string, body: Record<string, any>, action = body['action']) {
  const be = await loadBackend('sodium');
  const bytes = proposalSigningBytes({
    caseId, proposalId: body['proposalId'], action, onDay: body['onDay'] ?? today, body: fromBase64Url(body['body'] ?? body['reason']),
    finding: body['finding'] ?? null, extension: body['extension'] ?? null,
  }, be);
  return toBase64Url(signDetached(be, 'proposal', bytes, staffKeysOf(auth).signSecretKey));
}

async function propose(app: FastifyInstance, auth: string, caseId: string, fields: Record<string, unknown>, signature?: string) {
  const body = { proposalId: randomUUID(), body: reason(), onDay: today, ...fields };
  const res = await app.inject({
    method: 'POST', url: `/v1/staff/cases/${caseId}/proposals`, headers: { authorization: auth },
    payload: { ...body, signature: signature ?? (await signed(auth, caseId, body)) },
  });
  return { status: res.statusCode, body: res.json(), proposalId: body.proposalId };
}

async function decline(app: FastifyInstance, auth: string, caseId: string, proposalId: string) {
  const body = { proposalId, reason: reason(), onDay: today };
  const res = await app.inject({
    method: 'POST', url: `/v1/staff/cases/${caseId}/proposals/${proposalId}/decline`, headers: { authorization: auth },
    payload: { reason: body.reason, onDay: today, signature: await signed(auth, caseId, body, 'decline') },
  });
  return { status: res.statusCode, body: res.json() };
}

/** An agency with an intake officer, an investigator holding one case and a head, and that case in verification. */
async function verifying(app: FastifyInstance, db: Parameters<typeof makeAgency>[0]) {
  const agency = await makeAgency(db);
  const [intake, holder, head] = [await makeStaff(db, agency, ['intake']), await makeStaff(db, agency, ['investigator']), await makeStaff(db, agency, ['supervisor'])];
  const kase = await makeCase(db, agency, today);
  await grant(db, kase.id, holder.id);
  for (const [auth, body] of [
    [intake.auth, { action: 'triage', onDay: today }], [head.auth, { action: 'accept', onDay: today }],
    [holder.auth, { action: 'start_verification', onDay: today }],
  ] as const) await transition(app, auth, kase.id, body);
  return { agency, intake, holder, head, kase };
}

async function listed(app: FastifyInstance, auth: string, caseId: string) {
  const res = await app.inject({ method: 'GET', url: `/v1/staff/cases/${caseId}/proposals`, headers: { authorization: auth } });
  return res.json().proposals as any[];
}

t.test('an investigator proposes, the head decides or declines', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const outsider = await makeStaff(db, agency, ['investigator']);
  const head = await makeStaff(db, agency, ['supervisor']);
  const kase = await makeCase(db, agency, today);
  await grant(db, kase.id, holder.id);

  const early = await propose(app, holder.auth, kase.id, { action: 'extend', extension: { complexity: 'complex', days: 30 } });
  t.equal(early.body.error?.code, 'illegal_transition', 'nothing to extend before the case is accepted');
  for (const [auth, body] of [
    [intake.auth, { action: 'triage', onDay: today }], [head.auth, { action: 'accept', onDay: today }],
    [holder.auth, { action: 'start_verification', onDay: today }],
  ] as const) t.equal((await transition(app, auth, kase.id, body)).status, 201, body.action);

  await t.test('who may propose, and what', async (t) => {
    const ext = { action: 'extend', extension: { complexity: 'complex', days: 30 } };
    t.equal((await propose(app, intake.auth, kase.id, ext)).body.error.code, 'forbidden', 'intake prepares no verification');
    t.equal((await propose(app, head.auth, kase.id, ext)).body.error.code, 'forbidden', 'the head decides, and proposes to nobody');
    t.equal((await propose(app, outsider.auth, kase.id, ext)).status, 404, 'a case not assigned to them does not exist for them');
    t.equal((await propose(app, holder.auth, kase.id, { action: 'extend', extension: { complexity: 'complex', days: 45 } })).body.error.code,
      'extension_refused', 'no more than the law allows the head to grant');
    t.equal((await propose(app, holder.auth, kase.id, { action: 'conclude' })).body.error.code, 'validation_failed', 'a conclusion needs a finding');
    t.equal((await propose(app, holder.auth, kase.id, { action: 'triage' })).body.error.code, 'illegal_transition', 'only the steps the rule set says are prepared are proposed');
    t.equal((await propose(app, intake.auth, kase.id, { action: 'conclude', finding: 'true' })).body.error.code, 'forbidden', 'each by the role that prepares it');
    const forged = await propose(app, holder.auth, kase.id, ext, toBase64Url(randomBytes(64)));
    t.equal(forged.body.error.code, 'crypto_failed', 'a proposal its proposer did not sign is refused');
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    t.equal((await propose(app, holder.auth, kase.id, { ...ext, onDay: tomorrow })).body.error.code, 'bad_request', 'no day in the future');
    t.same(await listed(app, head.auth, kase.id), [], 'nothing refused was stored');
  });

  const first = await propose(app, holder.auth, kase.id, { action: 'extend', extension: { complexity: 'complex', days: 20 } });
  t.equal(first.status, 201);
  t.equal(first.body.supersedes, null);
  const again = await propose(app, holder.auth, kase.id, { action: 'extend', extension: { complexity: 'complex', days: 30 } });
  t.equal(again.body.supersedes, first.proposalId, 'a newer proposal of the same decision replaces the open one');
  t.equal((await decline(app, head.auth, kase.id, first.proposalId)).status, 404, 'a superseded proposal is not answered');
  t.equal((await decline(app, holder.auth, kase.id, again.proposalId)).body.error.code, 'forbidden', 'the investigator does not answer their own proposal');

  const declined = await decline(app, head.auth, kase.id, again.proposalId);
  t.equal(declined.status, 200);
  t.equal(declined.body.status, 'declined');
  t.equal((await decline(app, head.auth, kase.id, again.proposalId)).status, 404, 'answered once');

  const third = await propose(app, holder.auth, kase.id, { action: 'extend', extension: { complexity: 'complex', days: 30 } });
  const extended = await transition(app, head.auth, kase.id, { action: 'extend', onDay: today, extension: { complexity: 'complex', days: 30 } });
  t.equal(extended.status, 201, 'the head takes the decision as a transition');
  const conclusion = await propose(app, holder.auth, kase.id, { action: 'conclude', finding: 'partly_true' });
  const stale = await propose(app, holder.auth, kase.id, { action: 'extend', extension: { complexity: 'complex', days: 10 } });
  t.equal(stale.body.error.code, 'extension_refused', 'a complex case is extended once');
  const concluded = await transition(app, head.auth, kase.id, { action: 'conclude', onDay: today, finding: 'partly_true' });
  t.equal(concluded.status, 201);

  const byId = new Map((await listed(app, holder.auth, kase.id)).map((p) => [p.proposalId, p]));
  t.equal(byId.get(first.proposalId).status, 'superseded');
  t.equal(byId.get(again.proposalId).status, 'declined');
  t.equal(byId.get(again.proposalId).answeredBy, head.id);
  t.ok(byId.get(again.proposalId).answerSignature, 'the decline carries its signature');
  t.match(byId.get(third.proposalId), { status: 'taken', answeredBy: head.id, answeredSeq: extended.body.seq });
  t.match(byId.get(conclusion.proposalId), { status: 'taken', answeredSeq: concluded.body.seq, finding: 'partly_true' });

  const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('case_id', '=', kase.id).where('action', 'like', 'case.proposal.%').orderBy('seq').execute();
  t.same(audit.map((a) => a.action), ['case.proposal.extend', 'case.proposal.extend', 'case.proposal.decline', 'case.proposal.extend', 'case.proposal.conclude']);
  t.ok(audit.every((a) => (a.detail as any).signed?.kind === 'proposal'), 'each carries its signed bytes');
});

t.test('a conclusion outlives an open extension proposal', async (t) => {
  const { app, database } = await createTestApp(t);
  const { holder, head, kase } = await verifying(app, database.db);
  const open = await propose(app, holder.auth, kase.id, { action: 'extend', extension: { complexity: 'complex', days: 30 } });
  await transition(app, head.auth, kase.id, { action: 'conclude', onDay: today, finding: 'false' });
  t.equal((await listed(app, head.auth, kase.id)).find((p) => p.proposalId === open.proposalId).status, 'superseded',
    'nothing is left to extend once the case is concluded');
});

t.test('the intake officer proposes the acceptance the head of agency decides (Law Art. 29(1))', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const head = await makeStaff(db, agency, ['supervisor']);
  const kase = await makeCase(db, agency, today);
  await transition(app, intake.auth, kase.id, { action: 'triage', onDay: today });
  const byIntake = await transition(app, intake.auth, kase.id, { action: 'accept', onDay: today });
  t.equal(byIntake.body.error?.code, 'forbidden', 'under the rules in force the intake officer no longer accepts');
  const proposed = await propose(app, intake.auth, kase.id, { action: 'accept' });
  t.equal(proposed.status, 201, 'the intake officer proposes it');
  t.equal((await transition(app, head.auth, kase.id, { action: 'accept', onDay: today })).status, 201, 'the head accepts');
  t.match((await listed(app, intake.auth, kase.id))[0], { proposalId: proposed.proposalId, status: 'taken', answeredBy: head.id });
});
