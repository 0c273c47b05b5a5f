import { sql } from 'kysely';
import t from 'tap';
import { ApiClientError } from '../../src/client/http.js';
import { auditPage, signAnchor, verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { reply } from '../../src/client/staff-messages.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// The auditor's listing (what the console pages through) and the verifier's report of
// every refused row (what the console names), over the API.

t.test('the audit listing filters by actor, case, action and day, and says its total', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await newAgency(app, db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const auditor = await newStaff(app, agency, ['auditor']);
  await publishBundleOf(agency);
  const { caseId } = await newCase(db, agency, { intake: [intake] });
  const { caseId: other } = await newCase(db, agency, { intake: [intake] });
  await reply(intake.client, caseId, 'đã nhận', intake.keys);
  await reply(intake.client, other, 'đã nhận', intake.keys);
  const c = auditor.client;

  const sent = await auditPage(c, { action: 'message.send' }, null);
  t.same(sent.rows.map((r) => [r.action, r.staffId]), [['message.send', intake.staffId], ['message.send', intake.staffId]], 'by action');
  t.equal(sent.total, 2, 'the first page says how many rows match');
  t.same((await auditPage(c, { action: 'message.send', caseId }, null)).rows.map((r) => r.caseId), [caseId], 'by case');
  t.ok((await auditPage(c, { staffId: auditor.staffId }, null)).rows.every((r) => r.staffId === auditor.staffId), 'by actor');
  const today = new Date().toISOString().slice(0, 10);
  t.equal((await auditPage(c, { action: 'message.send', since: today, until: today }, null)).total, 2, 'today is in the day range, both ends included');
  t.equal((await auditPage(c, { action: 'message.send', until: '2000-01-01' }, null)).total, 0, 'a range before everything is empty');

  const first = await auditPage(c, {}, null, 3);
  t.ok(first.nextAfter && first.total! > 3, 'a first page of three, more to come');
  const second = await auditPage(c, {}, first.nextAfter, 3);
  t.equal(second.total, null, 'later pages leave the total out');
  t.ok(BigInt(second.rows[0]!.seq) > BigInt(first.rows[2]!.seq), 'and go on after the first');

  await t.rejects(auditPage(c, { action: 'Case Grant' }, null), ApiClientError, 'an action that is no action is a 400');
  await t.rejects(auditPage(intake.client, {}, null), ApiClientError, 'an intake officer may not read the log');
});

t.test('verification names every refused row and anchors only a clean chain', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await newAgency(app, db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const auditor = await newStaff(app, agency, ['auditor']);
  await publishBundleOf(agency);
  for (const body of ['một', 'hai', 'ba']) {
    const { caseId } = await newCase(db, agency, { intake: [intake] }, body);
    await reply(intake.client, caseId, body, intake.keys);
  }
  const trust = { pinnedFingerprint: agency.fingerprint };
  const clean = await verifyAuditViaApi(auditor.client, trust);
  t.same([clean.refused, clean.refusedCount, clean.checked], [[], 0, clean.verified], 'a clean chain: nothing refused, every row verified');
  t.ok(await signAnchor(auditor.client, auditor.keys, clean), 'its head can be anchored');

  const rows = (await sql<{ seq: string; action: string }>`select seq::text as seq, action from audit_log where agency_id = ${agency.agencyId}::uuid order by seq`.execute(db)).rows;
  const sends = rows.filter((r) => r.action === 'message.send');
  const gone = rows[rows.indexOf(sends[1]!) + 1]!;
  const next = rows[rows.indexOf(gone) + 1]!;
  await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db);
  await sql`update audit_log set detail = detail || '{"note":"x"}'::jsonb where seq = ${sends[0]!.seq}::bigint`.execute(db);
  await sql`delete from audit_log where seq = ${gone.seq}::bigint`.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db);

  const broken = await verifyAuditViaApi(auditor.client, trust);
  t.same(broken.refused, [
    { seq: sends[0]!.seq, reason: 'hash_mismatch', action: 'message.send' },
    { seq: next.seq, reason: 'prev_hash_mismatch', action: next.action },
  ], 'the edited row and the row after the deleted one are each named');
  t.same(broken.firstBreak, { seq: sends[0]!.seq, reason: 'hash_mismatch' }, 'the first break is still the first');
  t.ok(broken.checked > broken.verified, 'rows after a break are checked but do not count as verified');
  t.equal(broken.head, null, 'a broken chain has no head');
  t.equal(await signAnchor(auditor.client, auditor.keys, broken), null, 'and no anchor');
});
