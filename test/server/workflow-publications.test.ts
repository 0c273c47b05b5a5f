import t from 'tap';
import { addCalendarDays, utcToDay } from '../../src/domain/index.js';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, transition } from './workflow-fixtures.js';

// Publication of conclusions (Decree 31/2019 Art. 6): who may publish, the 15
// consecutive days before a take-down, the public notice board, audit and report.

const summary = 'Kết luận: nội dung tố cáo đúng một phần; đã kiến nghị xử lý kỷ luật cán bộ vi phạm.';

async function concludedCase(app: Parameters<typeof transition>[0], db: Parameters<typeof makeCase>[0], agency: string, head: string) {
  const kase = await makeCase(db, agency, '2026-01-05');
  for (const body of [
    { action: 'triage', onDay: '2026-01-06' }, { action: 'accept', onDay: '2026-01-12' },
    { action: 'start_verification', onDay: '2026-01-15' }, { action: 'conclude', onDay: '2026-01-20', finding: 'partly_true' },
  ]) {
    const r = await transition(app, head, kase.id, body, body.action !== 'triage' && body.action !== 'start_verification');
    if (r.status !== 201) throw new Error(`${body.action}: ${JSON.stringify(r.body)}`);
  }
  return kase;
}

t.test('publishing a conclusion', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const slug = (await db.selectFrom('agencies').select('slug').where('id', '=', agency).executeTakeFirstOrThrow()).slug;
  const head = await makeStaff(db, agency, ['supervisor']);
  const intake = await makeStaff(db, agency, ['intake']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const auditor = await makeStaff(db, agency, ['auditor']);
  const otherHead = await makeStaff(db, await makeAgency(db), ['supervisor']);
  const today = utcToDay(Date.now());
  const kase = await concludedCase(app, db, agency, head.auth);
  await grant(db, kase.id, holder.id);
  const publish = (auth: string, caseId: string, payload: object = { summary, acknowledgePublic: true }) =>
    app.inject({ method: 'POST', url: `/v1/staff/cases/${caseId}/publication`, headers: { authorization: auth }, payload });
  const withdraw = (auth: string, caseId: string) =>
    app.inject({ method: 'POST', url: `/v1/staff/cases/${caseId}/publication/withdraw`, headers: { authorization: auth } });
  const board = async (query = '') => (await app.inject({ url: `/v1/publications${query}` })).json().publications as Array<Record<string, unknown>>;

  await t.test('only the profile\'s role, on a case in reach, once concluded', async (t) => {
    t.equal((await publish(holder.auth, kase.id)).statusCode, 403, 'an investigator holding the case cannot publish');
    t.equal((await publish(intake.auth, kase.id)).statusCode, 403, 'nor an intake officer');
    t.equal((await publish(otherHead.auth, kase.id)).statusCode, 404, "another agency's supervisor does not see the case");
    t.equal((await publish(auditor.auth, kase.id)).statusCode, 404, 'an auditor sees no case');
    const open = await makeCase(db, agency, '2026-02-02');
    const early = await publish(head.auth, open.id);
    t.equal(early.statusCode, 409, 'a case not concluded has nothing to publish');
    t.equal(early.json().error.code, 'conflict');
    t.equal((await publish(head.auth, kase.id, { summary })).statusCode, 400, 'the caller must acknowledge that it is public');
    t.equal((await publish(head.auth, kase.id, { summary: 'short', acknowledgePublic: true })).statusCode, 400);
    t.same(await board(), [], 'nothing was published');
  });

  await t.test('a supervisor publishes; the summary is on the public board', async (t) => {
    const res = await publish(head.auth, kase.id);
    t.equal(res.statusCode, 201, res.body);
    t.match(res.json(), { state: 'published', publishedOn: today, earliestTakeDown: addCalendarDays(today, 14), summary });
    t.match(res.json().warning, /PUBLISHED/);
    t.equal((await publish(head.auth, kase.id)).statusCode, 409, 'one summary on display at a time');
    const shown = await board();
    t.equal(shown.length, 1);
    t.same(Object.keys(shown[0]!).sort(), ['agency', 'publicNumber', 'publishedOn', 'summary'], 'no case id, no staff, nothing else');
    t.match(shown[0], { publishedOn: today, summary, agency: { slug } });
    t.equal((await board(`?agency=${slug}`)).length, 1);
    t.equal((await board('?agency=no-such-agency')).length, 0);
  });

  await t.test('a take-down before the 15th day is refused with that day', async (t) => {
    const res = await withdraw(head.auth, kase.id);
    t.equal(res.statusCode, 409);
    t.equal(res.json().error.code, 'publication_period_running');
    t.equal(res.json().error.earliestTakeDown, addCalendarDays(today, 14));
    t.match(res.json().error.message, addCalendarDays(today, 14));
    t.equal((await withdraw(holder.auth, kase.id)).statusCode, 403, 'an investigator cannot take it down either');
    t.equal((await board()).length, 1, 'still published');
  });

  await t.test('on the 15th day it may come down; the record stays', async (t) => {
    // As if it had gone up 14 days ago: published on day 1, today is day 15.
    await db.updateTable('conclusion_publications').set({ published_on: addCalendarDays(today, -14), earliest_take_down: today })
      .where('case_id', '=', kase.id).execute();
    const listed = await app.inject({ url: '/v1/staff/publications?state=published', headers: { authorization: auditor.auth } });
    t.match(listed.json().publications, [{ caseId: kase.id, mayTakeDown: true }]);
    const res = await withdraw(head.auth, kase.id);
    t.equal(res.statusCode, 200, res.body);
    t.match(res.json(), { state: 'withdrawn', withdrawnOn: today });
    t.same(await board(), [], 'off the public board');
    t.equal((await withdraw(head.auth, kase.id)).statusCode, 404, 'nothing left on display');
    const withdrawn = await app.inject({ url: '/v1/staff/publications?state=withdrawn', headers: { authorization: head.auth } });
    t.equal(withdrawn.json().publications.length, 1);
    t.equal((await app.inject({ url: '/v1/staff/publications', headers: { authorization: intake.auth } })).statusCode, 403);
  });

  await t.test('publish and take-down are audited and counted in the report', async (t) => {
    const audit = await db.selectFrom('audit_log').select(['action', 'case_id', 'detail']).where('agency_id', '=', agency)
      .where('action', 'like', 'case.publication.%').orderBy('seq').execute();
    t.same(audit.map((a) => a.action), ['case.publication.publish', 'case.publication.withdraw']);
    t.notOk(JSON.stringify(audit).includes('tố cáo đúng'), 'the audit pins the summary by hash, not text');
    const report = await app.inject({ url: `/v1/staff/reports?from=2026-01-01&to=${today}`, headers: { authorization: head.auth } });
    t.same(report.json().publications, { published: 1, withdrawn: 1 });
  });

  await t.test('the EU profile has no publication of conclusions', async (t) => {
    const eu = await makeAgency(db, 'EU');
    const euHead = await makeStaff(db, eu, ['supervisor']);
    const euCase = await makeCase(db, eu, '2026-01-05');
    for (const body of [
      { action: 'triage', onDay: '2026-01-06' }, { action: 'accept', onDay: '2026-01-07' },
      { action: 'start_verification', onDay: '2026-01-08' }, { action: 'conclude', onDay: '2026-01-20', finding: 'true' },
    ]) t.equal((await transition(app, euHead.auth, euCase.id, body, body.action === 'triage' || body.action === 'conclude')).status, 201);
    const res = await publish(euHead.auth, euCase.id);
    t.equal(res.statusCode, 409);
    t.equal(res.json().error.code, 'not_in_profile');
  });
});

t.test('the public board is under the global rate limit', async (t) => {
  const { app } = await createTestApp(t, { rateLimitPerMinute: 2 });
  const codes = [];
  for (let i = 0; i < 3; i += 1) codes.push((await app.inject({ url: '/v1/publications' })).statusCode);
  t.same(codes, [200, 200, 429]);
});
