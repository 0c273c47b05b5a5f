import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import t, { type Test } from 'tap';
import { utcToDay } from '../../src/domain/index.js';
import { decideProtection, protectionRequest, protectionRequests } from '../../src/client/staff-protection.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { checkedWorkflow, transitionCase } from '../../src/client/staff-workflow.js';
import {
  loadBackend, protectionDecisionSigningBytes, signDetached, transitionSigningBytes, type StaffKeys,
} from '../../src/protocol/index.js';
import type { Database } from '../../src/server/db/connect.js';
import type { CaseEventsTable } from '../../src/server/db/workflow-tables.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';
import { storeProtectionRequest } from '../server/workflow-fixtures.js';

// A database writer against the unmodified staff client: it inserts case_events rows
// ("terminated by the head of agency") and decides protection requests in the head's
// name. Every staff client shows a case's history and signs its next transition over it,
// so each forged row must be shown as REFUSED, name no author, move no state, and stop
// the client from signing on top of it; an honest history verifies as signed throughout.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError) => e.code ?? String(e));
const today = utcToDay(Date.now());

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const head = await newStaff(app, agency, ['supervisor', 'investigator']);
  await publishBundleOf(agency);
  const cases: string[] = [];
  for (let i = 0; i < 2; i++) {
    const { caseId } = await newCase(database.db, agency, { intake: [intake] });
    await transitionCase(intake.client, caseId, { action: 'triage', reason: 'within our remit' }, intake.keys);
    await intake.client.grant(caseId, { staffId: head.staffId }, intake.keys);
    // The head of agency decides acceptance (Law Art. 29(1)).
    await transitionCase(head.client, caseId, { action: 'accept', reason: 'grounded' }, head.keys);
    cases.push(caseId);
  }
  return { db: database.db, agency, intake, head, a: cases[0]!, b: cases[1]! };
}

type EventRow = Insertable<CaseEventsTable>;

async function eventRow(db: Database, caseId: string, seq: number) {
  return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).where('seq', '=', seq).executeTakeFirstOrThrow();
}

/** A transition signed with `keys` over whatever the attacker chooses, as the row that carries it. */
async function signedRow(keys: StaffKeys, t: { caseId: string; action: string; from: string; to: string; finding?: string }) {
  const be = await loadBackend();
  const reason = new Uint8Array(randomBytes(80));
  const bytes = transitionSigningBytes({ ...t, onDay: today, reason, notice: null, finding: t.finding ?? null, extension: null, legalBasis: null }, be);
  return { action: t.action, from_state: t.from, to_state: t.to, reason, finding: t.finding ?? null, signature: signDetached(be, 'transition', bytes, keys.signSecretKey) };
}

t.setTimeout(300_000);

t.test('an honest history verifies as signed, and the signatures are kept with the events', async (t) => {
  const { db, agency, intake, head, a } = await setup(t);
  const { history, view } = await checkedWorkflow(head.client, a);
  t.same(history.events.map((e) => [e.action, e.authenticity, e.actorId]), [['triage', 'signed', intake.staffId], ['accept', 'signed', head.staffId]]);
  t.equal(history.snapshot.state, 'ACCEPTED');
  t.equal(view.state, 'ACCEPTED');
  const rows = await db.selectFrom('case_events').select(['signature', 'notice_digest']).where('case_id', '=', a).orderBy('seq').execute();
  t.same(rows.map((r) => [r.signature?.length, r.notice_digest?.length ?? null]), [[64, null], [64, 32]], 'each signature, and the accept notice\'s digest, beside its event');
  const next = await transitionCase(head.client, a, { action: 'start_verification', reason: 'assigned to myself' }, head.keys);
  t.equal(next.to, 'VERIFYING', 'a transition is signed on top of a verified history');

  // The intake officer leaves: the next bundle drops them, and what they signed while listed still verifies.
  await agency.admin.client.deactivate(intake.staffId);
  const published = await publishBundleOf(agency);
  t.notOk(published.content.staff.some((s) => s.staffId === intake.staffId), 'the new bundle no longer lists them');
  const later = await checkedWorkflow(head.client, a);
  t.same(later.history.events.map((e) => [e.authenticity, e.actorId]), [['signed', intake.staffId], ['signed', head.staffId], ['signed', head.staffId]],
    'a member who has left is still the author of what they signed (the earlier bundle lists their key)');
});

t.test('forged case_events rows are REFUSED and nothing is signed on top of them', async (t) => {
  const { db, agency, intake, head, a, b } = await setup(t);
  // The head terminates case B genuinely: a real signature of theirs, for another case.
  await transitionCase(head.client, b, { action: 'terminate', reason: 'no longer grounded' }, head.keys);
  const fromB = await eventRow(db, b, 3);
  const base = { case_id: a, seq: 3, agency_id: agency.agencyId, on_day: today, legal_basis: 'Luật Tố cáo 2018 Art. 34.2', due_on: null };
  const terminate = { caseId: a, action: 'terminate', from: 'ACCEPTED', to: 'TERMINATED' };
  const forgeries: [string, EventRow][] = [
    ['no signature', { ...base, action: 'terminate', from_state: 'ACCEPTED', to_state: 'TERMINATED', actor_id: head.staffId, reason: randomBytes(80) }],
    ['signed by an intake officer, who may not terminate', { ...base, actor_id: intake.staffId, ...(await signedRow(intake.keys, terminate)) }],
    ["the intake officer's signature under the head's name", { ...base, actor_id: head.staffId, ...(await signedRow(intake.keys, terminate)) }],
    ["the head's genuine signature moved from case B", {
      ...base, action: fromB.action, from_state: fromB.from_state, to_state: fromB.to_state, on_day: fromB.on_day, actor_id: fromB.actor_id,
      reason: fromB.reason, notice_message_id: fromB.notice_message_id, notice_digest: fromB.notice_digest, signature: fromB.signature,
    }],
    // The server replays actions, not the states a row lists: it takes this suspension from ACCEPTED.
    ["the head's signature from a state the case never reached: its from breaks the chain", {
      ...base, actor_id: head.staffId, ...(await signedRow(head.keys, { caseId: a, action: 'suspend', from: 'VERIFYING', to: 'SUSPENDED' })),
    }],
  ];
  for (const [what, row] of forgeries) {
    await db.insertInto('case_events').values(row).execute();
    const { history, view } = await checkedWorkflow(head.client, a);
    t.not(view.state, 'ACCEPTED', `${what}: the server is fooled (it says ${view.state})`);
    const forged = history.events[2]!;
    t.same([forged.authenticity, forged.actorId], ['refused', null], `${what}: REFUSED, no author trusted (${forged.problem})`);
    t.same(history.events.slice(0, 2).map((e) => e.authenticity), ['signed', 'signed'], `${what}: the genuine events still verify`);
    t.equal(history.snapshot.state, 'ACCEPTED', `${what}: the forged event moves no state`);
    t.equal(await codeOf(transitionCase(head.client, a, { action: 'start_verification', reason: 'x' }, head.keys)), 'history_refused', `${what}: the next transition is not signed`);
    await db.deleteFrom('case_events').where('case_id', '=', a).where('seq', '=', 3).execute();
  }
  // A genuine extension, recorded twice: each event is signed over a fresh sealed reason, so its signature is used once.
  const extension = { action: 'extend' as const, reason: 'several provinces', extension: { complexity: 'especially_complex' as const, days: 30 } };
  await transitionCase(head.client, a, extension, head.keys);
  await db.insertInto('case_events').values({ ...(await eventRow(db, a, 3)), seq: 4 }).execute();
  const twice = await checkedWorkflow(head.client, a);
  t.same(twice.history.events.map((e) => e.authenticity), ['signed', 'signed', 'signed', 'refused'], `a replayed event is refused (${twice.history.events[3]!.problem})`);
  t.equal(twice.history.snapshot.clock.extensions, 1, 'and extends nothing');
  t.equal(await codeOf(transitionCase(head.client, a, { action: 'start_verification', reason: 'x' }, head.keys)), 'history_refused');
  await db.deleteFrom('case_events').where('case_id', '=', a).where('seq', '=', 4).execute();
  const next = await transitionCase(head.client, a, { action: 'start_verification', reason: 'assigned to myself' }, head.keys);
  t.equal(next.to, 'VERIFYING', 'once the forged rows are gone, the history verifies and the head signs again');
});

t.test('unsigned rows before any signed one are legacy: shown so, and built on only when the signer says so', async (t) => {
  const { db, agency, head, a } = await setup(t);
  // Rows as written before signatures were kept with events — or every signature stripped by a writer.
  await db.updateTable('case_events').set({ signature: null }).where('case_id', '=', a).execute();
  const { history } = await checkedWorkflow(head.client, a);
  t.same(history.events.map((e) => [e.authenticity, e.actorId !== null]), [['legacy', true], ['legacy', true]], 'unverified, and said to be');
  const verify = { action: 'start_verification' as const, reason: 'assigned to myself' };
  t.equal(await codeOf(transitionCase(head.client, a, verify, head.keys)), 'history_unverified', 'not signed on by default');
  // Stripping is also how a writer would slip in an unsigned row: it reads as legacy too, and is not signed on unasked.
  await db.insertInto('case_events').values({
    case_id: a, seq: 3, agency_id: agency.agencyId, action: 'suspend', from_state: 'ACCEPTED', to_state: 'SUSPENDED', on_day: today,
    actor_id: head.staffId, legal_basis: 'Luật Tố cáo 2018 Art. 34.1', reason: randomBytes(80),
  }).execute();
  t.equal(await codeOf(transitionCase(head.client, a, { action: 'resume', reason: 'x' }, head.keys)), 'history_unverified');
  await db.deleteFrom('case_events').where('case_id', '=', a).where('seq', '=', 3).execute();
  t.equal((await transitionCase(head.client, a, { ...verify, acceptLegacy: true }, head.keys)).to, 'VERIFYING', 'built on once the signer accepts the legacy events');
  const after = await checkedWorkflow(head.client, a);
  t.same(after.history.events.map((e) => e.authenticity), ['legacy', 'legacy', 'signed']);
  await db.insertInto('case_events').values({
    case_id: a, seq: 4, agency_id: agency.agencyId, action: 'conclude', from_state: 'VERIFYING', to_state: 'CONCLUDED', on_day: today,
    actor_id: head.staffId, legal_basis: 'Luật Tố cáo 2018 Art. 35', reason: randomBytes(80), finding: 'false',
  }).execute();
  const forged = await checkedWorkflow(head.client, a);
  t.equal(forged.history.events[3]!.authenticity, 'refused', 'an unsigned row after a signed one is refused, legacy or not');
  t.equal(await codeOf(transitionCase(head.client, a, { action: 'close', reason: 'x', acceptLegacy: true }, head.keys)), 'history_refused');
});

t.test('forged protection decisions are REFUSED', async (t) => {
  const { db, agency, intake, head, a } = await setup(t);
  const first = await storeProtectionRequest(db, agency.agencyId, a, false);
  const second = await storeProtectionRequest(db, agency.agencyId, a, true);
  await decideProtection(head.client, first, { decision: 'granted', reason: 'a real threat', measures: 'police escort', responsibleBody: 'District police' }, head.keys);
  const genuine = await db.selectFrom('protection_requests').selectAll().where('id', '=', first).executeTakeFirstOrThrow();
  const checkedOf = async (id: string) => (await protectionRequests(head.client)).find((r) => r.protectionRequestId === id)!.checked;
  t.same(await checkedOf(first), { authenticity: 'signed', decidedBy: head.staffId }, 'the head\'s decision verifies');
  t.same(await checkedOf(second), { authenticity: 'pending', decidedBy: null });

  const be = await loadBackend();
  const decisionBy = (keys: StaffKeys, decidedBy: string) => {
    const reason = new Uint8Array(randomBytes(80));
    const digest = new Uint8Array(randomBytes(32));
    const messageId = randomUUID();
    const bytes = protectionDecisionSigningBytes({ protectionRequestId: second, caseId: a, granted: true, onDay: today, reason, notice: { messageId, digest } }, be);
    return { decided_by: decidedBy, decision_reason: reason, notice_message_id: messageId, notice_digest: digest, decision_signature: signDetached(be, 'protection-decision', bytes, keys.signSecretKey) };
  };
  const decided = { status: 'granted' as const, decided_on: today };
  const forgeries: [string, Record<string, unknown>][] = [
    ['no signature', { ...decided, decided_by: head.staffId, decision_reason: randomBytes(80), notice_message_id: randomUUID() }],
    ['signed by an intake officer', { ...decided, ...decisionBy(intake.keys, intake.staffId) }],
    ["the intake officer's signature under the head's name", { ...decided, ...decisionBy(intake.keys, head.staffId) }],
    ["the head's genuine decision moved from another request", {
      ...decided, decided_by: genuine.decided_by, decision_reason: genuine.decision_reason, notice_message_id: genuine.notice_message_id,
      notice_digest: genuine.notice_digest, decision_signature: genuine.decision_signature,
    }],
  ];
  for (const [what, set] of forgeries) {
    await db.updateTable('protection_requests').set(set).where('id', '=', second).execute();
    const checked = await checkedOf(second);
    t.same([checked.authenticity, checked.decidedBy], ['refused', null], `${what}: REFUSED, no decider trusted (${checked.problem})`);
    t.equal((await protectionRequest(head.client, second)).checked.authenticity, 'refused', `${what}: refused in the request's own view too`);
    await db.updateTable('protection_requests').set({
      status: 'pending', decided_on: null, decided_by: null, decision_reason: null, notice_message_id: null, notice_digest: null, decision_signature: null,
    }).where('id', '=', second).execute();
  }
  await db.updateTable('protection_requests').set({ status: 'refused' }).where('id', '=', first).execute();
  t.equal((await checkedOf(first)).authenticity, 'refused', 'a granted decision turned into a refusal is refused');
});
