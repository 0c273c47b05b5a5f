import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, transition } from './workflow-fixtures.js';

// Under VN-2026, the cases of test/domain/law-2026-outcomes.test.ts through the routes:
// the content notice to the person denounced, owed within 5 working days of acceptance
// (Law Art. 29(3)) and listed on the deadline board until the head records it; anonymous
// information (Art. 25), with no clock, its track and outcome on the receipt's status;
// a reward (Art. 62) and a false denunciation's sanction (Art. 65) after the conclusion,
// the last on a closed case. Every one counted in the report.

t.test('the law in force: content notice, anonymous information, rewards and false denunciations', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const head = await makeStaff(db, agency, ['supervisor']);
  const intake = await makeStaff(db, agency, ['intake']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const get = async (url: string, auth = head.auth) => (await app.inject({ url, headers: { authorization: auth } })).json();
  const step = async (auth: string, caseId: string, action: string, onDay: string, extra: Record<string, unknown> = {}) =>
    transition(app, auth, caseId, { action, onDay, ...extra });
  const duties = async (asOf: string) =>
    (await get(`/v1/staff/deadlines?asOf=${asOf}&withinDays=10`)).items.filter((i: { kind: string }) => i.kind === 'duty')
      .map((i: { phase: string; due: string; overdue: boolean; state: string }) => [i.phase, i.due, i.overdue, i.state]);

  await t.test('acceptance owes the content notice to the person denounced, on the board until the head records it', async (t) => {
    // Received Mon 6/7/2026, accepted Fri 10/7: due Fri 17/7.
    const kase = await makeCase(db, agency, '2026-07-06');
    await grant(db, kase.id, holder.id);
    t.equal((await step(head.auth, kase.id, 'triage', '2026-07-07')).status, 201);
    const accepted = await step(head.auth, kase.id, 'accept', '2026-07-10');
    t.same([accepted.status, typeof accepted.body.noticeMessageId], [201, 'string'], 'the denouncer is told with the decision');
    t.same(await duties('2026-07-13'), [['notify_denounced', '2026-07-17', false, 'ACCEPTED']], 'a running clock on the head\'s board');
    t.same(await duties('2026-07-20'), [['notify_denounced', '2026-07-17', true, 'ACCEPTED']], 'overdue once past');
    t.same((await get(`/v1/staff/cases/${kase.id}/workflow`)).duties.map((d: { duty: string; due: string; metOn: string | null }) => [d.duty, d.due, d.metOn]),
      [['notify_denounced', '2026-07-17', null]]);

    t.equal((await step(holder.auth, kase.id, 'notify_denounced', '2026-07-16')).status, 403, 'the head notifies, who settles');
    const notified = await step(head.auth, kase.id, 'notify_denounced', '2026-07-16');
    t.same([notified.status, notified.body.to, notified.body.late, notified.body.noticeMessageId], [201, 'ACCEPTED', false, null], 'no notice to the denouncer with it');
    t.same(await duties('2026-07-16'), [], 'met: off the board');
    const event = (await get(`/v1/staff/cases/${kase.id}/workflow`)).events.at(-1);
    t.same([event.action, typeof event.signature, typeof event.reason], ['notify_denounced', 'string', 'string'], 'signed, its sealed record kept with it');
    const audit = await db.selectFrom('audit_log').select('action').where('case_id', '=', kase.id).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    t.equal(audit.action, 'case.transition.notify_denounced', 'audited');
    t.equal((await step(head.auth, kase.id, 'notify_denounced', '2026-07-17')).body.error.code, 'illegal_transition', 'once');
  });

  await t.test('anonymous information: a signed ground in, no clock, the outcome on the receipt\'s status', async (t) => {
    const kase = await makeCase(db, agency, '2026-07-06');
    t.equal((await step(intake.auth, kase.id, 'classify_information', '2026-07-08')).body.error.code, 'validation_failed', 'names the case of Art. 25(1)');
    const entered = await step(intake.auth, kase.id, 'classify_information', '2026-07-08', { ground: 'false_name' });
    t.same([entered.status, entered.body.to, entered.body.due, entered.body.noticeMessageId], [201, 'INFORMATION', null, null], 'no clock, no notice');
    const row = await db.selectFrom('cases').select(['kind', 'due_on', 'duty_due_on']).where('id', '=', kase.id).executeTakeFirstOrThrow();
    t.same(row, { kind: 'information', due_on: null, duty_due_on: null });
    t.notOk((await get('/v1/staff/deadlines?asOf=2026-12-01&withinDays=30')).items.some((i: { caseId: string }) => i.caseId === kase.id), 'never on the deadline board');
    t.equal((await step(intake.auth, kase.id, 'decide_inspection', '2026-07-20')).status, 403, 'the head decides an inspection');
    const inspected = await step(head.auth, kase.id, 'decide_inspection', '2026-07-20');
    t.same([inspected.status, inspected.body.to, inspected.body.legalBasis], [201, 'INSPECTION', 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 25(2); Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026) Art. 20(2)']);
    const status = await app.inject({ url: '/v1/case', headers: { authorization: kase.receipt } });
    t.same([status.json().kind, status.json().status, status.json().due], ['information', 'INSPECTION', null], 'the track and the outcome reach the denouncer');
    t.same(status.json().timeline.map((e: { event: string; status: string }) => [e.event, e.status]), [['classify_information', 'INFORMATION'], ['decide_inspection', 'INSPECTION']]);
    const closed = await db.selectFrom('cases').select('closed_on').where('id', '=', kase.id).executeTakeFirstOrThrow();
    t.equal(closed.closed_on, '2026-07-20');

    const other = await makeCase(db, agency, '2026-07-06');
    t.equal((await step(intake.auth, other.id, 'triage', '2026-07-07')).status, 201);
    t.equal((await step(intake.auth, other.id, 'classify_information', '2026-07-09', { ground: 'no_name' })).status, 201, 'from triage too');
    t.same((await step(intake.auth, other.id, 'not_process', '2026-07-10')).body.to, 'NOT_PROCESSED');
  });

  await t.test('a reward and a false denunciation\'s sanction follow the conclusion, the sanction on a closed case', async (t) => {
    const conclude = async (finding: string) => {
      const kase = await makeCase(db, agency, '2026-07-20');
      await grant(db, kase.id, holder.id);
      for (const [action, onDay, extra] of [['triage', '2026-07-21'], ['accept', '2026-07-22'], ['notify_denounced', '2026-07-23'], ['start_verification', '2026-07-23'], ['conclude', '2026-08-21', { finding }]] as const) {
        t.equal((await step(head.auth, kase.id, action, onDay, extra ?? {})).status, 201, action);
      }
      return kase;
    };
    const honest = await conclude('true');
    t.equal((await step(head.auth, honest.id, 'record_false_denunciation', '2026-08-24', { ground: 'discipline' })).body.error.code, 'illegal_transition');
    const reward = await step(head.auth, honest.id, 'reward', '2026-08-24');
    t.same([reward.status, reward.body.to, reward.body.legalBasis], [201, 'CONCLUDED', 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 62']);

    const slander = await conclude('false');
    t.equal((await step(head.auth, slander.id, 'reward', '2026-08-24')).body.error.code, 'illegal_transition', 'no reward for a false denunciation');
    for (const [action, onDay, extra] of [
      ['handle_conclusion', '2026-08-24', { ground: 'false_denouncer_handled' }], ['send_conclusion', '2026-08-24'], ['monitor', '2026-08-25', { ground: 'head' }],
      ['end_monitoring', '2026-09-30'],
    ] as const) t.equal((await step(head.auth, slander.id, action, onDay, extra ?? {})).status, 201, action);
    const sanction = await step(head.auth, slander.id, 'record_false_denunciation', '2026-10-15', { ground: 'administrative_fine' });
    t.same([sanction.status, sanction.body.to], [201, 'CLOSED']);
    const row = await db.selectFrom('cases').select(['status', 'closed_on']).where('id', '=', slander.id).executeTakeFirstOrThrow();
    t.same(row, { status: 'CLOSED', closed_on: '2026-09-30' }, 'the case keeps the day it closed: retention runs from it');
  });

  await t.test('the report counts the track and the outcomes', async (t) => {
    const report = await get('/v1/staff/reports?from=2026-07-01&to=2026-12-31');
    t.same(report.information, { classified: 2, inspection: 1, checking: 0, transferred: 0, notProcessed: 1 });
    t.same(report.handling.falseDenouncerHandled, 1, 'the deliberately false denouncer handled, counted once');
    t.same(report.outcomes, { rewards: 1, sanctions: { discipline: 0, administrativeFine: 1, criminalLiability: 0 } });
    const before = await get('/v1/staff/reports?from=2026-07-01&to=2026-07-08');
    t.same([before.information.classified, before.outcomes.rewards], [1, 0], 'each in the period of its step');
  });
});
