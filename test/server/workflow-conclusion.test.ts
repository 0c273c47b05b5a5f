import { sql } from 'kysely';
import t from 'tap';
import * as conclusionDuties from '../../migrations/0020_conclusion_duties.js';
import { createTestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';
import { grant, makeAgency, makeCase, makeStaff, transition } from './workflow-fixtures.js';

// What follows a conclusion under VN-2026 (Law Art. 35(3), 36(1), 40(1); Decree 31 Art. 6,
// 18(2) as amended). The case of test/domain/law-versions.test.ts: received Mon 20/7/2026,
// concluded Fri 21/8, finding the denunciation false; the conclusion is sent by Fri 28/8
// (5 working days), handled and published by Thu 3/9 (7: 1/9 and 2/9 are holidays).

t.test('the conclusion is sent, handled, published and monitored, each step signed and audited, each duty on the deadline list', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const head = await makeStaff(db, agency, ['supervisor']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const kase = await makeCase(db, agency, '2026-07-20');
  await grant(db, kase.id, holder.id);
  const steps: Array<[string, string, Record<string, unknown>?]> = [
    ['triage', '2026-07-21'], ['accept', '2026-07-22'], ['notify_denounced', '2026-07-23'], ['start_verification', '2026-07-23'], ['conclude', '2026-08-21', { finding: 'false' }],
  ];
  for (const [action, onDay, extra] of steps) t.equal((await transition(app, head.auth, kase.id, { action, onDay, ...extra })).status, 201, action);
  const get = async (url: string, auth = head.auth) => (await app.inject({ url, headers: { authorization: auth } })).json();
  const workflow = () => get(`/v1/staff/cases/${kase.id}/workflow`);
  const owed = async (asOf: string, withinDays: number) =>
    (await get(`/v1/staff/deadlines?asOf=${asOf}&withinDays=${withinDays}`)).items.filter((i: { kind: string }) => i.kind === 'duty').map((i: { phase: string; due: string; overdue: boolean }) => [i.phase, i.due, i.overdue]);

  t.same((await workflow()).duties.map((d: { duty: string; due: string }) => [d.duty, d.due]), [
    ['notify_denounced', '2026-07-29'], ['send_conclusion', '2026-08-28'], ['handle_conclusion', '2026-09-03'], ['publish_conclusion', '2026-09-03'],
  ]);
  t.same(await owed('2026-08-24', 4), [['send_conclusion', '2026-08-28', false]], 'due within 4 days of Mon 24/8: the sending');
  t.same((await get('/v1/staff/cases?dueBy=2026-08-28')).cases.map((c: { caseId: string; dueOn: string }) => [c.caseId, c.dueOn]), [[kase.id, '2026-08-28']],
    'the case list shows the next duty as the deadline of a concluded case');

  // A holiday declared on Thu 27/8 moves the 5th working day to Mon 31/8.
  const holiday = await app.inject({ method: 'POST', url: '/v1/staff/holidays', headers: { authorization: head.auth }, payload: { day: '2026-08-27', name: 'Nghỉ theo quyết định' } });
  t.same([holiday.statusCode, holiday.json().recomputed], [201, 3], 'every duty still owed moves');
  t.same(await owed('2026-08-24', 7), [['send_conclusion', '2026-08-31', false]], 'and 3/9 became 4/9, out of the window');
  t.same((await get('/v1/staff/cases?dueBy=2026-08-31')).cases.map((c: { dueOn: string }) => c.dueOn), ['2026-08-31'], 'the case list follows');

  const sent = await transition(app, head.auth, kase.id, { action: 'send_conclusion', onDay: '2026-09-01' });
  t.same([sent.status, sent.body.to, sent.body.late, sent.body.legalBasis], [201, 'CONCLUDED', true, 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 35(3)'], 'sent on 1/9, after Mon 31/8');
  t.equal((await transition(app, head.auth, kase.id, { action: 'send_conclusion', onDay: '2026-09-01' })).body.error.code, 'illegal_transition', 'sent once');

  const wrong = await transition(app, head.auth, kase.id, { action: 'handle_conclusion', onDay: '2026-09-03', ground: 'violation_handled' });
  t.same([wrong.status, wrong.body.error.code], [400, 'validation_failed'], 'a denunciation found false has no violation to handle');
  const handled = await transition(app, head.auth, kase.id, { action: 'handle_conclusion', onDay: '2026-09-03', ground: 'false_denouncer_handled' });
  t.same([handled.status, handled.body.late], [201, false], 'on time: due 4/9 since the holiday');
  t.match(handled.body.legalBasis, /Art\. 36\(1\)\(a\); Art\. 8\(10\)$/);
  const event = (await workflow()).events.at(-1);
  t.same([event.action, event.ground, typeof event.signature], ['handle_conclusion', 'false_denouncer_handled', 'string'], 'the measure is kept with its signature');

  t.equal((await transition(app, holder.auth, kase.id, { action: 'monitor', onDay: '2026-09-04', ground: 'advisory_unit' })).status, 403, 'the head assigns monitoring');
  const monitored = await transition(app, head.auth, kase.id, { action: 'monitor', onDay: '2026-09-04', ground: 'advisory_unit' });
  t.same([monitored.status, monitored.body.to], [201, 'MONITORING']);

  const publish = (payload: Record<string, unknown>) => app.inject({
    method: 'POST', url: `/v1/staff/cases/${kase.id}/publication`, headers: { authorization: head.auth },
    payload: { summary: 'Kết luận: nội dung tố cáo là sai sự thật; đã xử lý theo quy định.', acknowledgePublic: true, ...payload },
  });
  const noRuns = await publish({ form: 'print' });
  t.same([noRuns.statusCode, noRuns.json().error.code], [400, 'validation_failed'], 'print names its runs');
  t.equal((await publish({ form: 'print', runs: 1 })).statusCode, 400, 'at least 2 consecutive runs (Decree 31 Art. 6(2))');
  const print = await publish({ form: 'print', runs: 2 });
  t.same([print.statusCode, print.json().form, print.json().runs, print.json().earliestTakeDown], [201, 'print', 2, print.json().publishedOn], 'nothing to keep on display');
  t.equal((await publish({ form: 'print', runs: 3 })).statusCode, 409, 'one current publication per form');
  const portal = await publish({});
  t.same([portal.statusCode, portal.json().form], [201, 'portal'], 'and the portal beside it');
  const board = (await app.inject({ url: '/v1/publications' })).json().publications;
  t.equal(board.length, 1, 'the public board is the portal: the print run is not on it');
  const down = await app.inject({ method: 'POST', url: `/v1/staff/cases/${kase.id}/publication/withdraw?form=print`, headers: { authorization: head.auth } });
  t.same([down.statusCode, down.json().form, down.json().state], [200, 'print', 'withdrawn'], 'the print record comes down by its form; the portal stays');
  const duty = (await workflow()).duties.find((d: { duty: string }) => d.duty === 'publish_conclusion');
  t.same([duty.metOn, duty.late], [print.json().publishedOn, true], 'the first publication met the duty, after 4/9');

  const ends = await transition(app, head.auth, kase.id, { action: 'end_monitoring', onDay: '2026-10-30' });
  t.same([ends.status, ends.body.to], [201, 'CLOSED'], 'the head records the result; the case closes');
  const row = await db.selectFrom('cases').select(['status', 'closed_on']).where('id', '=', kase.id).executeTakeFirstOrThrow();
  t.same(row, { status: 'CLOSED', closed_on: '2026-10-30' }, 'retention runs from the close');
  t.same(await owed('2026-10-30', 60), [], 'nothing owed');
  t.same((await get('/v1/staff/cases')).cases.map((c: { dueOn: string | null }) => c.dueOn), [null], 'and no deadline left on the case');
  const audit = await db.selectFrom('audit_log').select('action').where('case_id', '=', kase.id).where('action', 'like', 'case.transition.%').orderBy('seq').execute();
  t.same(audit.map((a) => a.action).slice(-4), ['case.transition.send_conclusion', 'case.transition.handle_conclusion', 'case.transition.monitor', 'case.transition.end_monitoring'],
    'every step audited');
});

t.test('monitoring does not end before the conclusion is sent and handled', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const head = await makeStaff(db, agency, ['supervisor']);
  const kase = await makeCase(db, agency, '2026-07-20');
  for (const [action, onDay, extra] of [['triage', '2026-07-21'], ['accept', '2026-07-22'], ['start_verification', '2026-07-23'], ['conclude', '2026-08-21', { finding: 'true' }]] as const) {
    t.equal((await transition(app, head.auth, kase.id, { action, onDay, ...(extra ?? {}) })).status, 201, action);
  }
  t.equal((await transition(app, head.auth, kase.id, { action: 'close', onDay: '2026-08-24' })).body.error.code, 'illegal_transition', 'no closing straight from the conclusion');
  t.equal((await transition(app, head.auth, kase.id, { action: 'monitor', onDay: '2026-08-24' })).body.error.code, 'validation_failed', 'who monitors is named');
  t.equal((await transition(app, head.auth, kase.id, { action: 'monitor', onDay: '2026-08-24', ground: 'inspectorate' })).status, 201);
  const early = await transition(app, head.auth, kase.id, { action: 'end_monitoring', onDay: '2026-08-25' });
  t.same([early.status, early.body.error.code, early.body.error.allowed], [409, 'illegal_transition', ['notify_denounced', 'send_conclusion', 'handle_conclusion', 'reward']]);
  t.equal((await transition(app, head.auth, kase.id, { action: 'handle_conclusion', onDay: '2026-08-25', ground: 'referred_for_prosecution' })).status, 201);
});

t.test('migration 0020 goes down and up again on this engine', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  await conclusionDuties.down(database.db);
  await conclusionDuties.up(database.db);
  const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'case_duties' order by ordinal_position`.execute(database.db);
  t.same(columns.rows.map((r) => r.column_name), ['case_id', 'duty', 'agency_id', 'opened_on', 'due_on', 'met_on', 'late', 'legal_basis']);
});
