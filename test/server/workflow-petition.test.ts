import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, transition } from './workflow-fixtures.js';

// A case reclassified as a petition / feedback: 10 working days from receipt, shown
// wherever a deadline is shown, stopped by the answer, counted in the report.

t.test('petition / feedback: the 10-working-day clock', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const head = await makeStaff(db, agency, ['supervisor']);
  const otherIntake = await makeStaff(db, await makeAgency(db), ['intake']);
  const get = (auth: string, url: string) => app.inject({ url, headers: { authorization: auth } });
  const deadline = async (caseId: string) =>
    ((await get(head.auth, '/v1/staff/deadlines?withinDays=60&asOf=2026-03-02')).json().items as Array<{ caseId: string; due: string; phase: string; state: string }>)
      .find((i) => i.caseId === caseId);

  // Received Monday 2 March 2026: ten working days run to Monday 16 March.
  const late = await makeCase(db, agency, '2026-03-02');
  await grant(db, late.id, holder.id);

  await t.test('only intake and supervisors reclassify, on a case in reach', async (t) => {
    t.equal((await transition(app, holder.auth, late.id, { action: 'reclassify_petition', onDay: '2026-03-04' })).status, 403);
    t.equal((await transition(app, otherIntake.auth, late.id, { action: 'reclassify_petition', onDay: '2026-03-04' })).status, 404);
  });

  const r = await transition(app, intake.auth, late.id, { action: 'reclassify_petition', onDay: '2026-03-04' });
  t.equal(r.status, 201, JSON.stringify(r.body));
  t.match(r.body, { to: 'PETITION', due: '2026-03-16', late: false, noticeMessageId: null });
  t.equal((await db.selectFrom('cases').select('kind').where('id', '=', late.id).executeTakeFirstOrThrow()).kind, 'petition', 'the case is now a petition');

  await t.test('the deadline is shown everywhere', async (t) => {
    t.match(await deadline(late.id), { due: '2026-03-16', phase: 'petition', state: 'PETITION' }, 'deadline list');
    const clock = (await get(intake.auth, `/v1/staff/cases/${late.id}/workflow?asOf=2026-03-13`)).json();
    t.match(clock, { state: 'PETITION', allowed: ['answer'], clock: { phase: 'petition', due: '2026-03-16', remaining: 1, remainingUnit: 'working_days' } });
    const timeline = (await get(late.receipt, '/v1/case/timeline')).json();
    t.match(timeline, { status: 'PETITION', due: '2026-03-16' }, "the denouncer's timeline");
    const status = (await get(late.receipt, '/v1/case')).json();
    t.match(status, { status: 'PETITION', due: '2026-03-16' }, "the denouncer's status");
  });

  await t.test('a holiday declared while it runs moves it', async (t) => {
    const added = await app.inject({ method: 'POST', url: '/v1/staff/holidays', headers: { authorization: head.auth }, payload: { day: '2026-03-10', name: 'Nghỉ' } });
    t.equal(added.statusCode, 201);
    t.equal((await deadline(late.id))?.due, '2026-03-17');
    t.equal((await app.inject({ method: 'DELETE', url: '/v1/staff/holidays/2026-03-10', headers: { authorization: head.auth } })).statusCode, 200);
    t.equal((await deadline(late.id))?.due, '2026-03-16');
  });

  await t.test('the answer owes a notice, stops the clock, and is late after the due day', async (t) => {
    const bare = await transition(app, intake.auth, late.id, { action: 'answer', onDay: '2026-03-17' }, false);
    t.equal(bare.status, 422, 'the answer is the notice to the denouncer');
    const answered = await transition(app, intake.auth, late.id, { action: 'answer', onDay: '2026-03-17' }, true);
    t.equal(answered.status, 201, JSON.stringify(answered.body));
    t.match(answered.body, { to: 'CLOSED', due: null, late: true });
    t.equal(await deadline(late.id), undefined, 'off the deadline list');
  });

  const onTime = await makeCase(db, agency, '2026-02-06');
  t.equal((await transition(app, head.auth, onTime.id, { action: 'triage', onDay: '2026-02-09' })).status, 201);
  t.equal((await transition(app, head.auth, onTime.id, { action: 'reclassify_petition', onDay: '2026-02-10' })).body.due, '2026-02-27', 'over Tết');
  t.equal((await transition(app, head.auth, onTime.id, { action: 'answer', onDay: '2026-02-27' }, true)).body.late, false);

  await t.test('the report counts petitions answered on time and late', async (t) => {
    const report = (await get(head.auth, '/v1/staff/reports?from=2026-01-01&to=2026-03-31')).json();
    t.same(report.petitions, { reclassified: 2, answered: 2, onTime: 1, late: 1 });
    t.equal(report.cases.resolved.total, 0, 'answered petitions are not resolved denunciations');
  });

  await t.test('the EU profile has no petition track', async (t) => {
    const eu = await makeAgency(db, 'EU');
    const euIntake = await makeStaff(db, eu, ['intake']);
    const euCase = await makeCase(db, eu, '2026-03-02');
    const res = await transition(app, euIntake.auth, euCase.id, { action: 'reclassify_petition', onDay: '2026-03-03' });
    t.equal(res.status, 409);
    t.equal(res.body.error.code, 'illegal_transition');
  });
});
