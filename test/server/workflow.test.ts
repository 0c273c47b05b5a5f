import t from 'tap';
import { addCalendarDays } from '../../src/domain/index.js';
import { createTestApp } from '../helpers/app.js';
import { decideProtection, grant, makeAgency, makeCase, makeStaff, reason, storeProtectionRequest, transition, withdraw } from './workflow-fixtures.js';

// A scripted year of one agency, checked against deadlines computed by hand from the
// law (Art. 24, 29, 30, 34; Civil Code Art. 148.5; the 2026 holiday calendar) and a
// report whose figures are counted from the script.

t.test('a scripted year: deadlines by hand, notices in order, report figures', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const outsider = await makeStaff(db, agency, ['investigator']);
  const head = await makeStaff(db, agency, ['supervisor']);

  // Case A: accepted, extended twice (especially complex), suspended over Hùng Kings,
  // 30/4 and 1/5, concluded late.
  const a = await makeCase(db, agency, '2026-01-05');
  await grant(db, a.id, holder.id);
  const stepsA: Array<[string, Record<string, unknown>, string | null]> = [
    [intake.auth, { action: 'triage', onDay: '2026-01-06' }, '2026-01-14'],
    [intake.auth, { action: 'accept', onDay: '2026-01-12' }, '2026-02-11'],
    [holder.auth, { action: 'start_verification', onDay: '2026-01-15' }, '2026-02-11'],
    [head.auth, { action: 'extend', onDay: '2026-02-09', extension: { complexity: 'especially_complex', days: 30 } }, '2026-03-13'],
    [head.auth, { action: 'extend', onDay: '2026-03-10', extension: { complexity: 'especially_complex', days: 30 } }, '2026-04-13'],
    [head.auth, { action: 'suspend', onDay: '2026-04-01' }, null],
    [head.auth, { action: 'resume', onDay: '2026-05-04' }, '2026-05-15'],
  ];
  for (const [auth, body, due] of stepsA) {
    const r = await transition(app, auth, a.id, body);
    t.equal(r.status, 201, `A ${String(body['action'])}`);
    t.equal(r.body.due, due, `A ${String(body['action'])} due`);
  }

  await t.test('who may do what', async (t) => {
    const noHold = await transition(app, outsider.auth, a.id, { action: 'conclude', onDay: '2026-05-20', finding: 'true' });
    t.equal(noHold.status, 404, 'an investigator cannot conclude a case they do not hold — it does not exist for them');
    const byIntake = await transition(app, intake.auth, a.id, { action: 'conclude', onDay: '2026-05-20', finding: 'true' });
    t.equal(byIntake.status, 403);
    const noNotice = await transition(app, holder.auth, a.id, { action: 'conclude', onDay: '2026-05-20', finding: 'true' }, false);
    t.equal(noNotice.status, 422);
    t.equal(noNotice.body.error.code, 'notice_required');
    const third = await transition(app, head.auth, a.id, { action: 'extend', onDay: '2026-05-10', extension: { complexity: 'especially_complex', days: 5 } });
    t.equal(third.body.error.code, 'extension_refused', 'no third extension');
    const wrongState = await transition(app, intake.auth, a.id, { action: 'accept', onDay: '2026-05-10' });
    t.equal(wrongState.status, 409);
    t.same(wrongState.body.error.allowed, [], 'nothing left for intake on a case in verification');
  });

  const concluded = await transition(app, holder.auth, a.id, { action: 'conclude', onDay: '2026-05-20', finding: 'partly_true' });
  t.equal(concluded.status, 201);
  t.equal(concluded.body.late, true, 'concluded after 15/5');
  t.equal((await transition(app, head.auth, a.id, { action: 'close', onDay: '2026-06-01' })).status, 201);

  // Case B: suspended over Tết, resumed with its 12 days, due rolled off a Saturday, concluded on time.
  const b = await makeCase(db, agency, '2026-01-20');
  for (const [body, due] of [
    [{ action: 'triage', onDay: '2026-01-21' }, '2026-01-29'],
    [{ action: 'accept', onDay: '2026-01-26' }, '2026-02-25'],
    [{ action: 'start_verification', onDay: '2026-01-27' }, '2026-02-25'],
    [{ action: 'suspend', onDay: '2026-02-13' }, null],
    [{ action: 'resume', onDay: '2026-02-23' }, '2026-03-09'],
    [{ action: 'conclude', onDay: '2026-03-09', finding: 'false' }, null],
  ] as const) {
    const r = await transition(app, head.auth, b.id, body);
    t.equal(r.body.due, due, `B ${body.action} due`);
    if (body.action === 'conclude') t.equal(r.body.late, false);
  }

  // Case C: transferred on the 5th working day over Tết; case D: withdrawn in full by the
  // denouncer today, so under the 2026 rules: it waits for the head's decision (Art. 33, 34(3)(a)).
  const c = await makeCase(db, agency, '2026-02-10');
  t.equal((await transition(app, intake.auth, c.id, { action: 'transfer', onDay: '2026-02-24' })).body.late, false);
  const d = await makeCase(db, agency, '2026-03-02');
  const withdrawn = await withdraw(app, d.receipt);
  t.equal(withdrawn.status, 200);
  t.equal(withdrawn.body.status, 'WITHDRAWAL_REVIEW');

  // A protection request (urgent) and a retaliation report on case A's receipt.
  // Stored as the route stores one (its sealed details and shares are checked against a
  // bundle this agency has not published: test/server/threshold-checks.test.ts).
  const requestId = await storeProtectionRequest(database.db, agency, a.id, true);
  t.ok(requestId, 'an urgent protection request');
  const byIntake = await decideProtection(app, intake.auth, { id: requestId, caseId: a.id }, 'granted');
  t.equal(byIntake.statusCode, 403, 'an intake officer cannot decide protection');
  const deadlines = await app.inject({ url: '/v1/staff/deadlines?withinDays=30', headers: { authorization: head.auth } });
  t.equal(deadlines.json().items[0].kind, 'protection_request', 'urgent protection requests first');
  const granted = await decideProtection(app, head.auth, { id: requestId, caseId: a.id }, 'granted');
  t.equal(granted.statusCode, 200);
  t.equal(granted.json().status, 'granted');

  await t.test('the denouncer sees every notice the law requires, in order', async (t) => {
    const res = await app.inject({ url: '/v1/case/timeline', headers: { authorization: a.receipt } });
    t.equal(res.statusCode, 200);
    const timeline = res.json().timeline as Array<{ event: string; noticeMessageId: string | null; on: string }>;
    t.same(timeline.filter((e) => e.noticeMessageId).map((e) => e.event), ['accept', 'extend', 'extend', 'suspend', 'resume', 'conclude']);
    t.notOk(JSON.stringify(res.json()).includes('reason'), 'no reasons on the public timeline');
    const status = await app.inject({ url: '/v1/case', headers: { authorization: a.receipt } });
    t.same({ status: status.json().status, due: status.json().due, timeline: status.json().timeline }, res.json(), 'the status view shows the same steps and deadline');
    const messages = await db.selectFrom('messages').select(['id', 'sent_on']).where('case_id', '=', a.id).where('direction', '=', 'to_denouncer').orderBy('seq').execute();
    const notices = timeline.filter((e) => e.noticeMessageId).map((e) => e.noticeMessageId);
    t.same(messages.slice(0, notices.length).map((m) => m.id), notices, 'stored as messages to the denouncer, in order');
    t.equal(messages.length, notices.length + 1, 'plus the protection decision notice');
  });

  await t.test('the year report matches the script', async (t) => {
    const res = await app.inject({ url: '/v1/staff/reports?from=2026-01-01&to=2026-12-31', headers: { authorization: head.auth } });
    t.equal(res.statusCode, 200);
    const r = res.json();
    t.same(r.cases, {
      carriedOver: 0, received: 4, receivedBy: { online: 4, inPerson: 0, letter: 0 }, accepted: 2, notAccepted: 0,
      resolved: { total: 2, true: 0, partlyTrue: 1, false: 1, onTime: 1, late: 1 },
      extended: 2, suspended: 2, transferred: 1, terminated: 0, withdrawn: 1, followUps: 0,
    });
    t.same(r.protection, { received: 1, urgent: 1, granted: 1, refused: 0, receivedBy: { online: 1, phone: 0, inPerson: 0 } });
    const q2 = (await app.inject({ url: '/v1/staff/reports?from=2026-04-01&to=2026-06-30', headers: { authorization: head.auth } })).json();
    t.equal(q2.cases.carriedOver, 1, 'case A was open when Q2 began');
    t.equal(q2.cases.resolved.late, 1);
    const byIntake = await app.inject({ url: '/v1/staff/reports?from=2026-01-01&to=2026-12-31', headers: { authorization: intake.auth } });
    t.equal(byIntake.statusCode, 403);
  });
  await t.test('the case list shows each running deadline and filters by it', async (t) => {
    // Two cases still in triage, received a week apart, so their deadlines differ.
    for (const [received, triaged] of [['2026-11-02', '2026-11-03'], ['2026-11-09', '2026-11-10']] as const) {
      const open = await makeCase(db, agency, received);
      const res = await transition(app, intake.auth, open.id, { action: 'triage', onDay: triaged });
      t.equal(res.status, 201, 'triaged');
    }
    const listed = await app.inject({ url: '/v1/staff/cases?limit=200', headers: { authorization: intake.auth } });
    t.equal(listed.statusCode, 200, listed.body);
    const all = listed.json().cases as Array<{ caseId: string; dueOn: string | null }>;
    const dues = all.map((c) => c.dueOn).filter((d): d is string => d !== null).sort();
    t.ok(dues.length >= 2, 'several cases have a recorded deadline');
    const cutoff = dues[0]!;
    const res = await app.inject({ url: `/v1/staff/cases?dueBy=${cutoff}`, headers: { authorization: intake.auth } });
    t.equal(res.statusCode, 200);
    const due = (res.json().cases as Array<{ caseId: string }>).map((c) => c.caseId).sort();
    t.same(due, all.filter((c) => c.dueOn !== null && c.dueOn <= cutoff).map((c) => c.caseId).sort());
    t.ok(due.length > 0 && due.length < all.length, 'the filter keeps some cases and drops others');
    const bad = await app.inject({ url: '/v1/staff/cases?dueBy=tomorrow', headers: { authorization: intake.auth } });
    t.equal(bad.statusCode, 400);
  });
  await t.test('a case untouched since receipt lists the deadline its workflow shows', async (t) => {
    const fresh = await makeCase(db, agency, '2026-11-16');
    const listed = (await app.inject({ url: '/v1/staff/cases?status=RECEIVED&limit=200', headers: { authorization: intake.auth } })).json();
    const row = (listed.cases as Array<{ caseId: string; dueOn: string | null }>).find((c) => c.caseId === fresh.id);
    const clock = (await app.inject({ url: `/v1/staff/cases/${fresh.id}/workflow?asOf=2026-11-16`, headers: { authorization: intake.auth } })).json().clock;
    t.ok(clock.due, 'the workflow has a running deadline');
    t.equal(row?.dueOn, clock.due, 'the list shows the same day');
    const dueBy = async (day: string) => ((await app.inject({ url: `/v1/staff/cases?dueBy=${day}&limit=200`, headers: { authorization: intake.auth } })).json().cases as Array<{ caseId: string }>)
      .some((c) => c.caseId === fresh.id);
    t.ok(await dueBy(clock.due), 'due by its first deadline: listed, though nothing is stored for it yet');
    t.notOk(await dueBy(addCalendarDays(clock.due, -1)), 'due by the day before: not listed');
  });
});
