import { randomBytes } from 'node:crypto';
import t from 'tap';
import { recordIntake, recordUrgentProtection } from '../../src/client/staff-intake.js';
import { decideProtection, protectionRequest } from '../../src/client/staff-protection.js';
import { takeProtectionStep } from '../../src/client/staff-protection-steps.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { utcToDay } from '../../src/domain/index.js';
import { loadBackend, protectionStepSigningBytes, signDetached } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newStaff, publishBundleOf } from '../server/staff-kit.js';

// A database writer against the unmodified staff client, on the steps after a protection
// decision (PROTOCOL.md §8.3.13) and the intake record of an urgent request (§8.3.14): it
// forges a step in the head's name, moves a genuine step from another request, drops one
// from the middle of the chain, alters a ground, marks a protection ended with no step, and
// re-labels a phone request. Every staff client must show each as REFUSED (or not believe
// it), and refuse to sign a step on a chain it cannot verify.

t.setTimeout(300_000);

const today = utcToDay(Date.now());
const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError) => e.code ?? String(e));
const CALL = { protectedPersons: 'Đỗ Văn H', reasons: 'Bị dọa.', measures: 'Bảo vệ nơi cư trú' };

t.test('forged, re-pointed and dropped protection steps are REFUSED, and nothing is signed on them', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await newAgency(app, db, 'thanh-tra');
  const officer = await newStaff(app, agency, ['intake']);
  await newStaff(app, agency, ['custodian']);
  const head = await newStaff(app, agency, ['supervisor']);
  await publishBundleOf(agency);
  const kase = await recordIntake(officer.client, { channel: 'in_person', body: 'Ông B nhận hối lộ.' });
  await officer.client.grant(kase.caseId, { staffId: head.staffId }, officer.keys);
  const [a, b] = [
    (await recordUrgentProtection(officer.client, { case: kase.caseId, channel: 'phone', details: CALL }, officer.keys)).protectionRequestId,
    (await recordUrgentProtection(officer.client, { case: kase.caseId, channel: 'in_person', details: CALL }, officer.keys)).protectionRequestId,
  ];
  for (const id of [a, b]) await decideProtection(head.client, id, { decision: 'granted', reason: 'có căn cứ', measures: 'bảo vệ', responsibleBody: 'Công an xã' }, head.keys);
  const step = { step: 'change' as const, ground: 'on_request' as const, record: 'đổi biện pháp', measures: 'nơi ở tạm' };
  await takeProtectionStep(head.client, a, step, head.keys);
  await takeProtectionStep(head.client, a, { ...step, step: 'add', ground: 'on_initiative' }, head.keys);
  await takeProtectionStep(head.client, b, step, head.keys);
  const honest = await protectionRequest(head.client, a);
  t.same(honest.history.steps.map((s) => s.authenticity), ['signed', 'signed'], 'the honest history verifies');
  t.same(honest.history.intake, { authenticity: 'signed', recordedBy: officer.staffId }, 'and so does the intake record');

  const rowsOf = (id: string) => db.selectFrom('protection_steps').selectAll().where('request_id', '=', id).orderBy('seq').execute();
  const [a1, a2] = await rowsOf(a);
  const [b1] = await rowsOf(b);
  const restore = async () => {
    await db.deleteFrom('protection_steps').where('request_id', '=', a).execute();
    await db.insertInto('protection_steps').values([a1!, a2!]).execute();
    await db.updateTable('protection_requests').set({ ended_on: null }).where('id', '=', a).execute();
  };
  const be = await loadBackend();
  // A step signed by the intake officer's key under the head's name, at the right place in the chain.
  const forgedBytes = protectionStepSigningBytes({
    protectionRequestId: a, caseId: kase.caseId, seq: 3, previous: a2!.signature, step: 'end', ground: 'grounds_gone', onDay: today, record: a2!.record!,
    notice: { messageId: a2!.notice_message_id!, digest: a2!.notice_digest! },
  }, be);
  const forgeries: [string, () => Promise<unknown>, number][] = [
    ['an end in the head\'s name, signed with another key', () => db.insertInto('protection_steps').values({
      ...a2!, seq: 3, step: 'end', ground: 'grounds_gone', signature: signDetached(be, 'protection-step', forgedBytes, officer.keys.signSecretKey),
    }).execute(), 2],
    ['the head\'s genuine step moved from another request', () => db.insertInto('protection_steps').values({ ...b1!, request_id: a, seq: 3 }).execute(), 2],
    ['a step dropped from the middle of the chain', () => db.deleteFrom('protection_steps').where('request_id', '=', a).where('seq', '=', 1).execute()
      .then(() => db.updateTable('protection_steps').set({ seq: 1 }).where('request_id', '=', a).execute()), 0],
    ['two steps swapped', () => db.deleteFrom('protection_steps').where('request_id', '=', a).execute()
      .then(() => db.insertInto('protection_steps').values([{ ...a2!, seq: 1 }, { ...a1!, seq: 2 }]).execute()), 0],
    ['a ground altered', () => db.updateTable('protection_steps').set({ ground: 'on_request' }).where('request_id', '=', a).where('seq', '=', 2).execute(), 1],
    ['a change turned into an end', () => db.updateTable('protection_steps').set({ step: 'end', ground: 'grounds_gone' }).where('request_id', '=', a).where('seq', '=', 2).execute(), 1],
  ];
  for (const [what, forge, firstRefused] of forgeries) {
    await forge();
    const seen = await protectionRequest(head.client, a);
    const verdicts = seen.history.steps.map((s) => s.authenticity);
    t.same(verdicts.slice(firstRefused), verdicts.slice(firstRefused).map(() => 'refused'), `${what}: REFUSED from there on (${seen.history.steps[firstRefused]?.problem})`);
    t.same([seen.history.intact, seen.history.endedOn], [false, null], `${what}: the chain is broken and no end is believed`);
    t.equal(await codeOf(takeProtectionStep(head.client, a, { ...step, ground: 'on_initiative' }, head.keys)), 'history_refused', `${what}: nothing is signed on it`);
    await restore();
  }

  await db.updateTable('protection_requests').set({ ended_on: today }).where('id', '=', a).execute();
  const marked = await protectionRequest(head.client, a);
  t.same([marked.endedOn, marked.history.endedOn, marked.history.standing.ended], [today, null, false], 'ended in the database with no signed end: not believed');
  await restore();

  await db.updateTable('protection_channels').set({ channel: 'in_person' }).where('request_id', '=', a).execute();
  t.equal((await protectionRequest(head.client, a)).history.intake.authenticity, 'refused', 'a phone request re-labelled in person: the intake record is refused');
  await db.updateTable('protection_channels').set({ channel: 'phone', recorded_by: head.staffId }).where('request_id', '=', a).execute();
  t.equal((await protectionRequest(head.client, a)).history.intake.authenticity, 'refused', 'the record passed off as another member\'s: refused');
  await db.updateTable('protection_channels').set({ recorded_by: officer.staffId, details_digest: randomBytes(32) }).where('request_id', '=', a).execute();
  t.equal((await protectionRequest(head.client, a)).history.intake.authenticity, 'refused', 'the record over other details: refused');
});
