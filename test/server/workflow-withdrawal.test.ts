import t, { type Test } from 'tap';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, transition, withdraw, withdrawalLetter } from './workflow-fixtures.js';

// Withdrawal through the receipt and by a staff record, as the rules of today (VN-2026,
// in force since 01/07/2026) have it: a partial one leaves the case where it is, a full
// one waits for the head, who terminates or goes on naming a ground of Decree 31 new
// Art. 4(4); the ground is signed and kept with the step. Dates are today's: the
// denouncer's acts are dated by the server, and a staff step cannot precede them.

const today = new Date().toISOString().slice(0, 10);

async function settling(t: Test) {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const head = await makeStaff(db, agency, ['supervisor']);
  const kase = await makeCase(db, agency, '2026-11-02');
  await grant(db, kase.id, holder.id);
  for (const action of ['triage', 'accept', 'start_verification']) {
    t.equal((await transition(app, head.auth, kase.id, { action, onDay: today })).status, 201, action);
  }
  return { app, db, intake, holder, head, kase };
}

const stateOf = async (db: any, caseId: string) => (await db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status;

t.test('the denouncer withdraws a part, then everything; the head goes on, naming the ground', async (t) => {
  const { app, db, holder, head, kase } = await settling(t);
  const part = await withdraw(app, kase.receipt, 'part');
  t.same([part.status, part.body.status, part.body.action], [200, 'VERIFYING', 'withdraw_part'], 'the rest is still settled');
  const letters = await db.selectFrom('messages').select(['author_id']).where('case_id', '=', kase.id).where('direction', '=', 'from_denouncer').execute();
  t.same(letters, [{ author_id: null }], 'the letter is in the conversation, from the denouncer');

  const letter = withdrawalLetter();
  const all = await withdraw(app, kase.receipt, 'all', letter);
  t.same([all.status, all.body.status], [200, 'WITHDRAWAL_REVIEW'], 'a full withdrawal waits for the head');
  t.equal((await withdraw(app, kase.receipt, 'all', letter)).status, 409, 'the same letter again is not a second withdrawal');
  t.equal((await withdraw(app, kase.receipt, 'part')).body.error.code, 'illegal_transition', 'nothing is left to withdraw');

  const workflow = async (auth: string) => (await app.inject({ url: `/v1/staff/cases/${kase.id}/workflow`, headers: { authorization: auth } })).json();
  // The content notice to the person denounced (Art. 29(3)) is still owed, whatever the withdrawal.
  t.same((await workflow(head.auth)).allowed, ['notify_denounced', 'terminate', 'continue_settlement'], 'the head terminates or goes on (and still owes the notice of the content)');
  t.same((await workflow(holder.auth)).allowed, [], 'the verification team has nothing to take; it proposes');

  const noGround = await transition(app, head.auth, kase.id, { action: 'continue_settlement', onDay: today });
  t.same([noGround.status, noGround.body.error.code], [400, 'validation_failed'], 'going on names its ground');
  const badGround = await transition(app, head.auth, kase.id, { action: 'continue_settlement', onDay: today, ground: 'pity' });
  t.equal(badGround.status, 400, 'one of the grounds of Art. 4(4)');
  const strayGround = await transition(app, head.auth, kase.id, { action: 'terminate', onDay: today, ground: 'coercion' });
  t.same([strayGround.status, strayGround.body.error.code], [400, 'validation_failed'], 'a termination names no ground');

  const goesOn = await transition(app, head.auth, kase.id, { action: 'continue_settlement', onDay: today, ground: 'signs_of_violation' });
  t.equal(goesOn.status, 201, JSON.stringify(goesOn.body));
  t.same([goesOn.body.from, goesOn.body.to], ['WITHDRAWAL_REVIEW', 'VERIFYING'], 'back to verification');
  t.match(goesOn.body.legalBasis, /Art\. 4\(4\)\(a\)$/, 'the ground cites its point');
  t.ok(goesOn.body.noticeMessageId, 'the denouncer is told');
  const event = (await workflow(head.auth)).events.at(-1);
  t.same([event.action, event.ground, typeof event.signature], ['continue_settlement', 'signs_of_violation', 'string'], 'the ground is kept with its signature');
  const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'case.transition.continue_settlement').executeTakeFirstOrThrow();
  t.equal((audit.detail as { ground: string }).ground, 'signs_of_violation', 'and audited in the same transaction');
  const timeline = (await app.inject({ url: '/v1/case/timeline', headers: { authorization: kase.receipt } })).json();
  t.same(timeline.timeline.slice(-3).map((e: { event: string; status: string }) => [e.event, e.status]),
    [['withdraw_part', 'VERIFYING'], ['withdraw', 'WITHDRAWAL_REVIEW'], ['continue_settlement', 'VERIFYING']], 'the denouncer sees each step');
});

t.test('a ground altered after signing does not verify', async (t) => {
  const { app, head, kase } = await settling(t);
  await withdraw(app, kase.receipt);
  const { signTransition, reason, sealedNotice } = await import('./workflow-fixtures.js');
  const body = { action: 'continue_settlement', onDay: today, ground: 'coercion', reason: reason(), notice: await sealedNotice(kase.id, head.auth) };
  const signature = await signTransition(app, head.auth, kase.id, body);
  const res = await app.inject({
    method: 'POST', url: `/v1/staff/cases/${kase.id}/transitions`, headers: { authorization: head.auth }, payload: { ...body, ground: 'slander', signature },
  });
  t.same([res.statusCode, res.json().error.code], [422, 'crypto_failed']);
});

t.test('a full withdrawal ends in the head\'s termination; a staff record (form 03) is signed; none after the conclusion', async (t) => {
  const { app, db, intake, holder, head, kase } = await settling(t);
  const record = await transition(app, intake.auth, kase.id, { action: 'withdraw', onDay: today });
  t.same([record.status, record.body.to], [201, 'WITHDRAWAL_REVIEW'], 'the intake officer records an oral withdrawal');
  const recorded = await db.selectFrom('case_events').select(['actor_id', 'signature']).where('case_id', '=', kase.id).where('action', '=', 'withdraw').executeTakeFirstOrThrow();
  t.ok(recorded.actor_id === intake.id && recorded.signature, 'signed by who made the record');
  t.equal((await transition(app, holder.auth, kase.id, { action: 'terminate', onDay: today })).status, 403, 'the verification team does not terminate');
  const ends = await transition(app, head.auth, kase.id, { action: 'terminate', onDay: today });
  t.same([ends.status, ends.body.to, ends.body.legalBasis], [201, 'TERMINATED', 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 34(3)–(4)']);
  t.equal(await stateOf(db, kase.id), 'TERMINATED');

  const other = await settling(t);
  t.equal((await transition(other.app, other.head.auth, other.kase.id, { action: 'conclude', onDay: today, finding: 'false' })).status, 201);
  t.equal((await withdraw(other.app, other.kase.receipt, 'all')).body.error.code, 'illegal_transition', 'no withdrawal after the conclusion');
  t.equal((await transition(other.app, other.intake.auth, other.kase.id, { action: 'withdraw_part', onDay: today })).status, 409, 'nor a record of one');
});

t.test('a letter that is no message of the case is refused before anything is stored', async (t) => {
  const { app, db, kase } = await settling(t);
  const short = await app.inject({ method: 'POST', url: '/v1/case/withdraw', headers: { authorization: kase.receipt }, payload: { scope: 'all', letter: 'AAAA' } });
  t.same([short.statusCode, short.json().error.code], [400, 'validation_failed']);
  const noScope = await app.inject({ method: 'POST', url: '/v1/case/withdraw', headers: { authorization: kase.receipt }, payload: { letter: withdrawalLetter() } });
  t.equal(noScope.statusCode, 400, 'all or part is said');
  t.equal(await stateOf(db, kase.id), 'VERIFYING');
});
