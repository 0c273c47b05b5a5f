import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { toBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, transition, withdraw } from './workflow-fixtures.js';

// Retention as a supervisor meets it: which closed cases are due for purge and from
// when, legal holds that keep a case, and a purge that leaves nothing sealed behind —
// the receipt opens nothing, while the period's report figures and the audit log stay.
// Cases are walked through the workflow in 2015 so the 10-year VN period has ended.

type Item = { caseId: string; publicNumber: string; closedOn: string; retainUntil: string; held: boolean };

t.test('retention list, legal holds, purge and who may do it', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const investigator = await makeStaff(db, agency, ['investigator']);
  const head = await makeStaff(db, agency, ['supervisor']);
  const custodian = await makeStaff(db, agency, ['intake']);

  const other = await makeAgency(db);
  const otherHead = await makeStaff(db, other, ['supervisor']);

  /** Received, accepted, verified, concluded and closed on the given days. */
  async function closedCase(received: string, steps: Array<[string, string]>) {
    const c = await makeCase(db, agency, received);
    await grant(db, c.id, investigator.id);
    for (const [action, onDay] of steps) {
      const auth = action === 'triage' || action === 'accept' ? intake.auth : head.auth;
      const r = await transition(app, auth, c.id, { action, onDay, ...(action === 'conclude' ? { finding: 'true' } : {}) });
      t.equal(r.status, 201, `${action} on ${onDay}`);
    }
    return c;
  }
  const full2015 = (close: string): Array<[string, string]> => [
    ['triage', '2015-03-03'], ['accept', '2015-03-09'], ['start_verification', '2015-03-10'],
    ['conclude', '2015-04-01'], ['close', close],
  ];

  // Old: closed 10/4/2015, retained until 10/4/2025 — due. Kept: the same, to be held.
  const old = await closedCase('2015-03-02', full2015('2015-04-10'));
  const kept = await closedCase('2015-03-02', full2015('2015-04-13'));
  // Recent: closed this year, inside its period. Open: still being verified since 2015.
  const recent = await closedCase('2026-01-05', [
    ['triage', '2026-01-06'], ['accept', '2026-01-12'], ['start_verification', '2026-01-13'],
    ['conclude', '2026-02-02'], ['close', '2026-02-03'],
  ]);
  const open = await closedCase('2015-03-02', [['triage', '2015-03-03'], ['accept', '2015-03-09'], ['start_verification', '2015-03-10']]);

  const listRetention = async (auth = head.auth, query = '') => {
    const res = await app.inject({ url: `/v1/staff/retention${query}`, headers: { authorization: auth } });
    return { status: res.statusCode, body: res.json() as { asOf: string; due: Item[] } };
  };
  const hold = (caseId: string, auth = head.auth) =>
    app.inject({ method: 'PUT', url: `/v1/staff/cases/${caseId}/legal-hold`, headers: { authorization: auth }, payload: { basis: 'Court order 12/2026' } });
  const lift = (caseId: string, auth = head.auth) =>
    app.inject({ method: 'DELETE', url: `/v1/staff/cases/${caseId}/legal-hold`, headers: { authorization: auth } });
  const purge = (caseId: string, auth = head.auth) =>
    app.inject({ method: 'POST', url: `/v1/staff/cases/${caseId}/purge`, headers: { authorization: auth } });

  await t.test('the list shows closed cases past their period, with the purge day', async (t) => {
    const { status, body } = await listRetention();
    t.equal(status, 200);
    const byId = new Map(body.due.map((i) => [i.caseId, i]));
    t.match(byId.get(old.id), { closedOn: '2015-04-10', retainUntil: '2025-04-10', held: false });
    t.match(byId.get(kept.id), { closedOn: '2015-04-13', retainUntil: '2025-04-13', held: false });
    t.notOk(byId.has(recent.id), 'a case inside its period is not listed');
    t.notOk(byId.has(open.id), 'an open case is not listed');
    t.equal(body.due.length, 2);

    const before = await listRetention(head.auth, '?asOf=2025-04-11');
    t.same(before.body.due.map((i) => i.caseId), [old.id], 'asOf: only the case whose period ended by then');
    t.equal(before.body.asOf, '2025-04-11');
    const later = await listRetention(head.auth, '?asOf=2036-02-03');
    t.ok(later.body.due.some((i) => i.caseId === recent.id && i.retainUntil === '2036-02-03'), 'the recent case is due on its own day');
    t.notOk(later.body.due.some((i) => i.caseId === open.id), 'an open case is never due');

    t.equal((await purge(recent.id)).statusCode, 409, 'a case inside its period cannot be purged');
    t.equal((await purge(open.id)).statusCode, 409, 'an open case cannot be purged');
  });

  await t.test('a legal hold keeps a case; lifting it makes it purgeable again', async (t) => {
    const placed = await hold(kept.id);
    t.equal(placed.statusCode, 200, placed.body);
    t.match(placed.json(), { caseId: kept.id, held: true, purgedOn: null });
    const listed = (await listRetention()).body.due.find((i) => i.caseId === kept.id);
    t.equal(listed?.held, true, 'listed as held');

    const refused = await purge(kept.id);
    t.equal(refused.statusCode, 409);
    t.match(refused.json().error.message, /legal hold/);
    const row = await db.selectFrom('cases').select(['envelope', 'purged_on']).where('id', '=', kept.id).executeTakeFirstOrThrow();
    t.ok(row.envelope, 'the held case keeps its envelope');
    t.equal(row.purged_on, null);

    const lifted = await lift(kept.id);
    t.equal(lifted.statusCode, 200);
    t.match(lifted.json(), { caseId: kept.id, held: false, purgedOn: null });
    t.equal((await lift(kept.id)).statusCode, 404, 'no hold left to lift');
    t.equal((await listRetention()).body.due.find((i) => i.caseId === kept.id)?.held, false);

    const purged = await purge(kept.id);
    t.equal(purged.statusCode, 200, purged.body);
    t.equal(purged.json().held, false);

    const actions = await db.selectFrom('audit_log').select('action').where('case_id', '=', kept.id).orderBy('seq').execute();
    t.same(actions.map((a) => a.action).filter((a) => a.startsWith('case.legal_hold') || a === 'case.purge'),
      ['case.legal_hold.place', 'case.legal_hold.release', 'case.purge']);
  });

  await t.test('roles: only a supervisor of the agency', async (t) => {
    for (const [who, auth] of [['intake', intake.auth], ['investigator holding the case', investigator.auth]] as const) {
      t.equal((await purge(old.id, auth)).statusCode, 403, `${who} cannot purge`);
      t.equal((await hold(old.id, auth)).statusCode, 403, `${who} cannot place a hold`);
      t.equal((await lift(old.id, auth)).statusCode, 403, `${who} cannot lift a hold`);
      t.equal((await listRetention(auth)).status, 403, `${who} cannot list retention`);
    }
    const unknown = await purge(randomUUID(), otherHead.auth);
    t.equal(unknown.statusCode, 404);
    for (const res of [await purge(old.id, otherHead.auth), await hold(old.id, otherHead.auth), await lift(old.id, otherHead.auth)]) {
      t.equal(res.statusCode, 404, 'another agency\'s case does not exist for them');
      t.same(res.json().error.code, unknown.json().error.code);
    }
    t.notOk((await listRetention(otherHead.auth)).body.due.some((i) => i.caseId === old.id), 'nor is it on their list');
    t.equal(await db.selectFrom('legal_holds').select('case_id').where('case_id', '=', old.id).executeTakeFirst(), undefined, 'no hold was placed');
    t.ok((await db.selectFrom('cases').select('envelope').where('id', '=', old.id).executeTakeFirstOrThrow()).envelope, 'nothing was purged');
  });

  await t.test('a purge leaves nothing sealed, keeps the figures and is audited', async (t) => {
    // Everything sealed that a case gathers over its life.
    await grant(db, old.id, head.id);
    await db.insertInto('identity_shares').values({ case_id: old.id, custodian_id: custodian.id, wrapped: randomBytes(80) }).execute();
    await db.insertInto('messages').values([
      { id: randomUUID(), case_id: old.id, direction: 'from_denouncer', ciphertext: randomBytes(64), sent_on: '2015-03-20' },
      { id: randomUUID(), case_id: old.id, direction: 'to_denouncer', author_id: head.id, ciphertext: randomBytes(64), signature: randomBytes(64), sent_on: '2015-03-21' },
    ]).execute();
    const attachmentId = randomUUID();
    await db.insertInto('attachments').values({ id: attachmentId, case_id: old.id, uploader: 'denouncer', chunk_count: 2, complete: true }).execute();
    await db.insertInto('attachment_chunks').values([0, 1].map((index) => ({ attachment_id: attachmentId, index, data: randomBytes(128) }))).execute();
    const requestId = randomUUID();
    await db.insertInto('identity_requests').values({ id: requestId, case_id: old.id, requester_id: head.id, reason: randomBytes(48), signature: randomBytes(64) }).execute();
    await db.insertInto('identity_request_keys').values({ request_id: requestId, staff_id: custodian.id, wrapped: randomBytes(80) }).execute();
    const protectionId = randomUUID();
    await db.insertInto('protection_requests').values({
      id: protectionId, case_id: old.id, agency_id: agency, urgent: false, requested_on: '2015-03-16', due_on: '2015-03-23',
      sealed_details: randomBytes(64), details_threshold: 1, details_denouncer_key: randomBytes(48), status: 'pending',
    }).execute();
    await db.insertInto('protection_shares').values({ request_id: protectionId, custodian_id: custodian.id, wrapped: randomBytes(80) }).execute();
    await db.insertInto('protection_steps').values({
      request_id: protectionId, seq: 1, step: 'confirm_writing', ground: '', on_day: '2015-03-17', by_staff: head.id, record: randomBytes(120), signature: randomBytes(64),
    }).execute();

    const timeline = await app.inject({ url: '/v1/case/timeline', headers: { authorization: old.receipt } });
    t.equal(timeline.statusCode, 200, 'the receipt opens the case before the purge');

    const report = async () => {
      const res = await app.inject({ url: '/v1/staff/reports?from=2015-01-01&to=2015-12-31', headers: { authorization: head.auth } });
      t.equal(res.statusCode, 200);
      return res.json();
    };
    const figures = await report();
    t.equal(figures.cases.received, 3, 'the 2015 cases are counted');
    t.equal(figures.cases.resolved.true, 2);
    t.equal(figures.protection.received, 1);

    const res = await purge(old.id);
    t.equal(res.statusCode, 200, res.body);
    const today = new Date().toISOString().slice(0, 10);
    t.same(res.json(), { caseId: old.id, held: false, purgedOn: today });

    const kase = await db.selectFrom('cases').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow();
    t.equal(kase.envelope, null, 'envelope gone');
    t.equal(kase.verifier, null, 'verifier gone');
    t.equal(kase.identity_block, null);
    t.equal(kase.purged_on, today);
    t.equal(kase.public_number.length > 0, true, 'the metadata stays');
    const count = async (table: 'case_keys' | 'identity_shares' | 'messages' | 'attachments' | 'identity_requests') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('case_id', '=', old.id).executeTakeFirstOrThrow()).n);
    for (const table of ['case_keys', 'identity_shares', 'messages', 'attachments', 'identity_requests'] as const) {
      t.equal(await count(table), 0, `no ${table} left`);
    }
    const chunks = await db.selectFrom('attachment_chunks').select('index').where('attachment_id', '=', attachmentId).execute();
    t.equal(chunks.length, 0, 'no attachment chunks left');
    t.equal((await db.selectFrom('identity_request_keys').select('staff_id').where('request_id', '=', requestId).execute()).length, 0);
    t.equal((await db.selectFrom('protection_shares').select('custodian_id').where('request_id', '=', protectionId).execute()).length, 0);
    const protection = await db.selectFrom('protection_requests').select(['sealed_details', 'details_denouncer_key']).where('id', '=', protectionId).executeTakeFirstOrThrow();
    t.same(protection, { sealed_details: null, details_denouncer_key: null }, 'protection details gone');
    const steps = await db.selectFrom('protection_steps').select(['record', 'step']).where('request_id', '=', protectionId).execute();
    t.same(steps, [{ record: null, step: 'confirm_writing' }], 'the steps stay for the file, their sealed records gone');
    const reasons = await db.selectFrom('case_events').select('reason').where('case_id', '=', old.id).execute();
    t.equal(reasons.length, 5, 'the events stay for the reports');
    t.ok(reasons.every((e) => e.reason === null), 'their sealed reasons are gone');

    const stranger = `Receipt ${toBase64Url(randomBytes(32))}`;
    for (const url of ['/v1/case/timeline', '/v1/case/sealed', '/v1/case/messages']) {
      const purged = await app.inject({ url, headers: { authorization: old.receipt } });
      const unknown = await app.inject({ url, headers: { authorization: stranger } });
      t.equal(purged.statusCode, 404, `${url}: the receipt opens nothing`);
      t.same(purged.json(), unknown.json(), `${url}: exactly like an unknown receipt`);
    }
    t.equal((await withdraw(app, old.receipt)).status, 404);

    t.same(await report(), figures, 'the report for 2015 is unchanged');

    const audit = await db.selectFrom('audit_log').select(['action', 'staff_id', 'agency_id', 'detail']).where('case_id', '=', old.id).where('action', '=', 'case.purge').execute();
    t.equal(audit.length, 1, 'one purge entry');
    t.match(audit[0], { staff_id: head.id, agency_id: agency, detail: { closedOn: '2015-04-10' } });

    t.notOk((await listRetention()).body.due.some((i) => i.caseId === old.id), 'a purged case leaves the list');
    t.equal((await purge(old.id)).statusCode, 404, 'a purged case is gone for staff too');
    t.equal((await hold(old.id)).statusCode, 404, 'and cannot be held');
  });
});
