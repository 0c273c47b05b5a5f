import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { agencyRules } from '../../src/server/db/workflow-calendar.js';
import { makeAgency, makeCase, makeStaff, transition } from './workflow-fixtures.js';

// The agency's holiday calendar: who may edit it, what an edit may be, and that an
// edit moves the deadlines still running — at once, on every instance — while what
// was recorded stays as recorded.

t.test('holiday calendar: list, edit, roles, running deadlines', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const head = await makeStaff(db, agency, ['supervisor']);
  const intake = await makeStaff(db, agency, ['intake']);
  const investigator = await makeStaff(db, agency, ['investigator']);
  const otherHead = await makeStaff(db, await makeAgency(db), ['supervisor']);
  const call = (auth: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });
  const list = async (auth = head.auth) => (await call(auth, 'GET', '/v1/staff/holidays?year=2026')).json() as {
    version: number; days: Array<{ day: string; origin: string; observed: boolean; kind: string; name: string }>;
  };
  const deadlineOf = async (caseId: string) => {
    const items = (await call(head.auth, 'GET', '/v1/staff/deadlines?withinDays=60&asOf=2026-03-02')).json().items as Array<{ caseId: string; due: string }>;
    return items.find((i) => i.caseId === caseId)?.due;
  };

  // Received Monday 2 March 2026: triage runs 7 working days, to Wednesday 11 March.
  const running = await makeCase(db, agency, '2026-03-02');
  t.equal((await transition(app, intake.auth, running.id, { action: 'triage', onDay: '2026-03-03' })).body.due, '2026-03-11');
  const fresh = await makeCase(db, agency, '2026-03-02');
  t.equal(await deadlineOf(fresh.id), '2026-03-11', 'an untouched case counts from receipt too');

  await t.test('every member of staff reads the calendar: shipped Vietnamese holidays with their sources', async (t) => {
    const res = await call(investigator.auth, 'GET', '/v1/staff/holidays?year=2026');
    t.equal(res.statusCode, 200);
    const days = res.json().days as Array<{ day: string; origin: string; source: string | null }>;
    t.ok(days.some((d) => d.day === '2026-02-17' && d.origin === 'shipped' && d.source?.includes('Tết')), 'Tết 2026');
    t.notOk(days.some((d) => !d.day.startsWith('2026-')), 'one year only');
    t.equal((await call(head.auth, 'GET', '/v1/staff/holidays?year=1999')).statusCode, 400);
  });

  await t.test('only a supervisor edits it', async (t) => {
    for (const who of [investigator, intake]) {
      const res = await call(who.auth, 'POST', '/v1/staff/holidays', { day: '2026-03-09', name: 'Ngày nghỉ' });
      t.equal(res.statusCode, 403);
    }
    t.equal((await call(investigator.auth, 'DELETE', '/v1/staff/holidays/2026-09-01')).statusCode, 403);
    t.equal((await call(intake.auth, 'POST', '/v1/staff/holidays/2026-09-01/not-observed', {})).statusCode, 403);
    t.equal((await list()).version, 0, 'nothing changed');
  });

  await t.test('an added holiday moves running deadlines, not recorded ones, at once', async (t) => {
    // Prime this process's cache: the edit must be seen without any explicit drop.
    await agencyRules(db, agency);
    t.equal((await call(fresh.receipt, 'GET', '/v1/case')).json().due, '2026-03-11', 'the status view before the edit');
    const res = await call(head.auth, 'POST', '/v1/staff/holidays', { day: '2026-03-09', name: 'Ngày nghỉ của cơ quan' });
    t.equal(res.statusCode, 201, res.body);
    t.match(res.json(), { day: '2026-03-09', kind: 'holiday', version: 1, recomputed: 1 });
    t.equal(await deadlineOf(running.id), '2026-03-12', 'the running triage deadline moved a day');
    t.equal(await deadlineOf(fresh.id), '2026-03-12', 'and the untouched one');
    const clock = (await call(intake.auth, 'GET', `/v1/staff/cases/${running.id}/workflow?asOf=2026-03-04`)).json();
    t.equal(clock.clock.due, '2026-03-12', "the case's clock agrees");
    t.equal(clock.events[0].due, '2026-03-11', 'the triage event keeps the deadline it was recorded with');
    const timeline = (await call(running.receipt, 'GET', '/v1/case/timeline')).json();
    t.equal(timeline.due, '2026-03-12', 'the denouncer sees the new deadline');
    t.equal((await call(fresh.receipt, 'GET', '/v1/case')).json().due, '2026-03-12', 'and so does the status view of a case not yet triaged');
    const listed = (await list(investigator.auth)).days.find((d) => d.day === '2026-03-09');
    t.match(listed, { origin: 'agency', kind: 'holiday', observed: true, name: 'Ngày nghỉ của cơ quan' });
    t.equal((await list(otherHead.auth)).days.some((d) => d.day === '2026-03-09'), false, "another agency's calendar is untouched");
  });

  await t.test('edits that would change nothing are refused, and nothing is written', async (t) => {
    const twice = await call(head.auth, 'POST', '/v1/staff/holidays', { day: '2026-03-09', name: 'again' });
    t.equal(twice.statusCode, 409);
    t.equal(twice.json().error.code, 'conflict');
    t.equal((await call(head.auth, 'POST', '/v1/staff/holidays', { day: '2026-04-30', name: 'x' })).statusCode, 409, 'already shipped');
    const weekday = await call(head.auth, 'POST', '/v1/staff/holidays', { day: '2026-03-11', name: 'x', kind: 'working_day' });
    t.equal(weekday.statusCode, 400, 'a Wednesday is a working day already');
    t.equal((await call(head.auth, 'POST', '/v1/staff/holidays', { day: '2026-02-30', name: 'x' })).statusCode, 400, 'not a day');
    t.equal((await call(head.auth, 'POST', '/v1/staff/holidays', { day: '2026-03-10', name: '  ' })).statusCode, 400, 'a name is required');
    t.equal((await call(head.auth, 'POST', '/v1/staff/holidays/2026-03-10/not-observed', {})).statusCode, 404, 'not a shipped holiday');
    t.equal((await call(head.auth, 'DELETE', '/v1/staff/holidays/2026-03-10')).statusCode, 404, 'no entry to remove');
    const shipped = await call(head.auth, 'DELETE', '/v1/staff/holidays/2026-09-02');
    t.equal(shipped.statusCode, 409, 'shipped holidays are marked, not removed');
    t.equal((await list()).version, 1);
  });

  await t.test('a shipped holiday not observed, and observed again', async (t) => {
    const marked = await call(head.auth, 'POST', '/v1/staff/holidays/2026-09-01/not-observed', { note: 'Thủ tướng chọn 2/9 và 3/9' });
    t.equal(marked.statusCode, 201, marked.body);
    t.match((await list()).days.find((d) => d.day === '2026-09-01'), { origin: 'shipped', observed: false });
    const { calendar } = await agencyRules(db, agency);
    t.notOk(calendar.holidays.has('2026-09-01'), 'a working day for deadlines');
    const saturday = await call(head.auth, 'POST', '/v1/staff/holidays', { day: '2026-09-05', name: 'Làm bù', kind: 'working_day' });
    t.equal(saturday.statusCode, 201, 'a Saturday worked by decree');
    t.equal((await call(head.auth, 'DELETE', '/v1/staff/holidays/2026-09-01')).statusCode, 200);
    t.ok((await agencyRules(db, agency)).calendar.holidays.has('2026-09-01'), 'observed again');
  });

  await t.test('removing the added holiday gives the deadline back', async (t) => {
    const res = await call(head.auth, 'DELETE', '/v1/staff/holidays/2026-03-09');
    t.equal(res.statusCode, 200);
    t.equal(res.json().recomputed, 1);
    t.equal(await deadlineOf(running.id), '2026-03-11');
  });

  await t.test('another instance sees an edit committed elsewhere through the version, not a timer', async (t) => {
    await agencyRules(db, agency);
    // Written without bumping the version: a process holding the calendar keeps it ...
    await db.insertInto('agency_holidays').values({ agency_id: agency, day: '2026-03-10', kind: 'holiday', name: 'raw' }).execute();
    t.notOk((await agencyRules(db, agency)).calendar.holidays.has('2026-03-10'), 'the cached copy is used while the version stands');
    // ... and drops it the moment the version moves, as an edit on another instance does.
    await db.updateTable('agencies').set((eb) => ({ calendar_version: eb('calendar_version', '+', 1) })).where('id', '=', agency).execute();
    t.ok((await agencyRules(db, agency)).calendar.holidays.has('2026-03-10'));
  });

  await t.test('every edit is audited', async (t) => {
    const rows = await db.selectFrom('audit_log').select(['action', 'staff_id']).where('agency_id', '=', agency)
      .where('action', 'like', 'calendar.%').orderBy('seq').execute();
    t.same(rows.map((r) => r.action), ['calendar.add', 'calendar.not_observed', 'calendar.add', 'calendar.remove', 'calendar.remove']);
    t.ok(rows.every((r) => r.staff_id === head.id));
  });

  await t.test('an EU agency ships no holidays; its own additions count', async (t) => {
    const eu = await makeAgency(db, 'EU');
    const euHead = await makeStaff(db, eu, ['supervisor']);
    t.same((await list(euHead.auth)).days, []);
    t.equal((await call(euHead.auth, 'POST', '/v1/staff/holidays', { day: '2026-12-25', name: 'Christmas Day' })).statusCode, 201);
    t.match((await list(euHead.auth)).days, [{ day: '2026-12-25', origin: 'agency' }]);
  });
});
