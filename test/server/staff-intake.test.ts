import t, { type Test } from 'tap';
import { bytesFile, openReceipt } from '../../src/client/denouncer.js';
import { ApiClientError } from '../../src/client/http.js';
import { intakeSlipText } from '../../src/client/intake-slip.js';
import { decodeJson, type CaseBody } from '../../src/client/plaintext.js';
import { recordIntake, recordUrgentProtection } from '../../src/client/staff-intake.js';
import { protectionDetailsRequest, protectionRequest, protectionRequests, readProtectionDetails, requestProtectionDetails } from '../../src/client/staff-protection.js';
import { approveIdentity } from '../../src/client/staff-identity.js';
import { protectionDueOn, rulesInForce } from '../../src/domain/index.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { appendAudit } from '../../src/server/db/audit.js';
import { agencyRules } from '../../src/server/db/workflow-calendar.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newStaff, publishBundleOf } from './staff-kit.js';

// A denunciation presented in person (Law Art. 22): the intake officer seals it on their
// own machine, with the signed record as a file and the identity for the custodians; the
// person follows the case with the receipt on the printed slip, exactly as one sent from
// the page; the channel is counted in the report and the officer is in the audit log,
// with nothing of the content.

t.setTimeout(300_000);

const REPORT = 'Ông Trần Văn B, trưởng phòng địa chính, nhận 50 triệu đồng để cấp sổ đỏ sai quy định.';
const RECORD = new TextEncoder().encode('BIÊN BẢN ghi nội dung tố cáo trực tiếp — đã ký');
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ApiClientError ? `${e.status} ${e.code}` : `${(e as Error).constructor.name}: ${String(e)}`));

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const officer = await newStaff(app, agency, ['intake'], 'Nguyễn Thị Lan');
  const custodian = await newStaff(app, agency, ['custodian'], 'Lê Hoàng Anh');
  const investigator = await newStaff(app, agency, ['investigator'], 'Trần Văn Minh');
  const head = await newStaff(app, agency, ['supervisor'], 'Phạm Thu Hà');
  await publishBundleOf(agency);
  return { app, db: database.db, agency, officer, custodian, investigator, head };
}

t.test('recorded in person: sealed on the officer\'s machine, followed with the slip\'s receipt, counted by channel', async (t) => {
  const p = await setup(t);
  const recorded = await recordIntake(p.officer.client, {
    channel: 'in_person', body: REPORT,
    identity: { name: 'Đỗ Văn H', address: 'Hà Nội', contact: '0912 345 678' },
    attachments: [bytesFile('bien-ban.txt', RECORD, 'text/plain')],
  });
  t.match(recorded.publicNumber, /^TL-\d{4}-\d{6}$/);

  // The agency reads it as any case: the officer opens the body and the record.
  const opened = await p.officer.client.openCase(recorded.caseId, p.officer.keys);
  const body = decodeJson<CaseBody>(opened.body);
  t.equal(body.summary.what, REPORT, 'the content opens with the officer\'s key');
  t.same(body.attachments.map((a) => a.name), ['bien-ban.txt'], 'the signed record is the case\'s file');
  const detail = await p.officer.client.caseDetail(recorded.caseId);
  t.ok(detail.identityThreshold, 'the identity block went to the custodians');

  // The person follows it with the receipt on the slip, as the page does.
  const session = await openReceipt(recorded.receipt, { server: p.officer.client.http.baseUrl, fetch: p.officer.client.http.fetchImpl });
  t.equal((await session.status()).publicNumber, recorded.publicNumber, 'the receipt opens the case');
  t.equal((await session.readCase()).body.summary.what, REPORT, 'and the person can read what was recorded');

  const slip = intakeSlipText({ ...recorded, agencyName: 'Thanh tra tỉnh', site: 'https://tipline.example.gov.vn' });
  for (const part of [recorded.receipt, recorded.publicNumber, 'Thanh tra tỉnh', 'https://tipline.example.gov.vn', 'Mã biên nhận', 'Receipt code', 'Theo dõi vụ việc']) {
    t.match(slip, part, `the slip carries ${part}`);
  }
  t.notMatch(slip, 'Trần Văn B', 'nothing of the report is on the slip');

  // Kept beside the case: the channel, and the officer in the audit log — nothing else.
  t.same(await p.db.selectFrom('case_channels').selectAll().execute(), [{ case_id: recorded.caseId, channel: 'in_person' }]);
  const rows = await p.db.selectFrom('audit_log').select(['action', 'staff_id', 'detail']).where('action', '=', 'case.intake').execute();
  t.equal(rows.length, 1);
  t.equal(rows[0]!.staff_id, p.officer.staffId, 'the officer who recorded it');
  t.same(rows[0]!.detail, { channel: 'in_person' }, 'the audit row holds the channel only');

  const today = recorded.receivedOn;
  const report = await p.head.client.http.get<{ cases: { received: number; receivedBy: { online: number; inPerson: number; letter: number } } }>(
    `/v1/staff/reports?from=${today}&to=${today}`);
  t.same(report.cases.receivedBy, { online: 0, inPerson: 1, letter: 0 }, 'the report counts it as received in person');
  t.equal(report.cases.received, 1);
});

t.test('only an intake officer records, only for their own agency, and a retry is the same case', async (t) => {
  const p = await setup(t);
  t.equal(await code(recordIntake(p.investigator.client, { channel: 'letter', body: REPORT })), '403 forbidden', 'an investigator may not');

  // The same sealed bytes sent twice (an answer lost on the way): one case, one channel row, one audit entry.
  let sent: unknown;
  const http = p.officer.client.http;
  const spy = Object.assign(Object.create(http) as typeof http, {
    post: (path: string, payload: unknown, opts?: object) => { if (path === '/v1/staff/intake') sent = payload; return http.post(path, payload, opts); },
  });
  const first = await recordIntake(Object.assign(Object.create(p.officer.client) as typeof p.officer.client, { http: spy }), { channel: 'letter', body: REPORT });
  const again = await http.post<{ caseId: string; publicNumber: string }>('/v1/staff/intake', sent);
  t.same([again.caseId, again.publicNumber], [first.caseId, first.publicNumber], 'the replay is answered with the stored case');
  t.equal((await p.db.selectFrom('cases').select('id').execute()).length, 1, 'one case');
  t.equal((await p.db.selectFrom('case_channels').select('case_id').execute()).length, 1, 'one channel row');
  t.equal((await p.db.selectFrom('audit_log').select('seq').where('action', '=', 'case.intake').execute()).length, 1, 'one audit entry');

  // Another agency's id in the body is refused before anything is stored.
  const other = await newAgency(p.app, p.db, 'thanh-tra-khac');
  const res = await p.app.inject({
    method: 'POST', url: '/v1/staff/intake', headers: { authorization: `Bearer ${p.officer.client.session.token}` },
    payload: { caseId: crypto.randomUUID(), agencyId: other.agencyId, kind: 'denunciation', channel: 'letter', envelope: 'AAAA', verifier: 'AAAA', denouncerKey: 'AAAA', recipientKeys: [{ staffId: crypto.randomUUID(), wrapped: 'AAAA' }] },
  });
  t.equal(res.statusCode, 403);
  t.equal(res.json().error.code, 'forbidden');
  t.equal((await p.db.selectFrom('cases').select('id').execute()).length, 1, 'nothing stored');
});

const CALL = { protectedPersons: 'Đỗ Văn H và vợ là Ngô Thị M', reasons: 'Bị dọa đánh tối nay nếu không rút đơn.', measures: 'Công an xã bảo vệ nơi cư trú', contact: '0912 345 678' };

t.test('an urgent protection request by phone: sealed to the custodians, on the urgent clock, counted by channel', async (t) => {
  const p = await setup(t);
  const recorded = await recordIntake(p.officer.client, { channel: 'in_person', body: REPORT });
  const before = await p.db.selectFrom('audit_log').select('seq').execute();
  const asked = await recordUrgentProtection(p.officer.client, { case: recorded.publicNumber, channel: 'phone', details: CALL }, p.officer.keys);
  t.same([asked.caseId, asked.urgent, asked.channel], [recorded.caseId, true, 'phone'], 'found by its public number, urgent, by phone');
  const on = asked.requestedOn;
  const { jurisdiction, calendar } = await agencyRules(p.db, p.agency.agencyId);
  t.equal(asked.dueOn, protectionDueOn(rulesInForce(jurisdiction, on), on, true, calendar), 'the urgent clock the rules set');
  t.not(asked.dueOn, protectionDueOn(rulesInForce(jurisdiction, on), on, false, calendar), 'not the ordinary one');

  const row = await p.db.selectFrom('protection_requests').selectAll().where('id', '=', asked.protectionRequestId).executeTakeFirstOrThrow();
  t.same([row.case_id, row.urgent, row.status, row.details_denouncer_key], [recorded.caseId, true, 'pending', null], 'pending, urgent, with no denouncer copy');
  t.notOk(Buffer.from(row.sealed_details!).includes(Buffer.from('Công an')), 'the details are sealed');
  t.same(await p.db.selectFrom('protection_channels').select(['request_id', 'channel', 'recorded_by', 'confirm_due_on']).execute(),
    [{ request_id: asked.protectionRequestId, channel: 'phone', recorded_by: p.officer.staffId, confirm_due_on: asked.confirmDueOn }], 'the channel, the officer who signed the record, the confirmation owed');
  const audit = await p.db.selectFrom('audit_log').select(['action', 'staff_id', 'detail']).where('seq', '>', before.at(-1)!.seq).execute();
  t.same(audit.map((r) => [r.action, r.staff_id, { ...(r.detail as object), signed: undefined }]).filter(([a]) => a === 'protection.intake'),
    [['protection.intake', p.officer.staffId, { requestId: asked.protectionRequestId, channel: 'phone', signed: undefined }]], 'the officer in the audit log, with the channel only');
  t.match(audit.find((r) => r.action === 'protection.intake')!.detail, { signed: { kind: 'protection-intake', signer: p.officer.staffId } }, 'and the record they signed');

  // Once the chain holds a signed intake record, an unsigned one appended after it (a
  // database writer's invented phone call) is a row nobody signed, not an old one.
  const auditor = await newStaff(p.app, p.agency, ['auditor'], 'Võ Thị Kiểm');
  await publishBundleOf(p.agency);
  t.equal((await verifyAuditViaApi(auditor.client, { pinnedFingerprint: p.agency.fingerprint })).firstBreak, null, 'the chain verifies');
  const forged = await appendAudit(p.db, { agencyId: p.agency.agencyId, staffId: p.officer.staffId, caseId: recorded.caseId, action: 'protection.intake', detail: { requestId: crypto.randomUUID(), channel: 'phone' } });
  const checked = await verifyAuditViaApi(auditor.client, { pinnedFingerprint: p.agency.fingerprint });
  t.same(checked.firstBreak, { seq: forged, reason: 'signature_missing' }, 'an unsigned intake record after a signed one is refused');

  // The head sees it as any request, and reads the details once the custodian releases them.
  const seen = await protectionRequest(p.head.client, asked.protectionRequestId);
  t.same([seen.urgent, seen.channel], [true, 'phone'], 'the head sees an urgent request by phone, to be confirmed in writing');
  t.same(seen.history.intake, { authenticity: 'signed', recordedBy: p.officer.staffId }, 'recorded and signed by the officer, as the bundle lists them');
  const askId = await requestProtectionDetails(p.head.client, asked.protectionRequestId, 'to call the commune police', p.head.keys);
  t.equal(await approveIdentity(p.custodian.client, askId, p.custodian.keys), 'approved');
  const details = await readProtectionDetails(p.head.client, await protectionDetailsRequest(p.head.client, askId), p.head.keys);
  t.same(details, { ...CALL, urgent: true, channel: 'phone' }, 'the head reads exactly what the officer wrote down');
  // A block the officer did not sign is refused before anything is opened: a server could
  // otherwise put in details and shares of its own, sealed to the custodians' public keys.
  const original = new Uint8Array(row.sealed_details!);
  const swapped = new Uint8Array(original); swapped[swapped.length - 1]! ^= 1;
  await p.db.updateTable('protection_requests').set({ sealed_details: swapped }).where('id', '=', asked.protectionRequestId).execute();
  const refused = await readProtectionDetails(p.head.client, await protectionDetailsRequest(p.head.client, askId), p.head.keys).then(() => 'opened', (e: { code?: string }) => e.code);
  t.equal(refused, 'signature_invalid', 'details other than the ones the officer signed are not opened');
  await p.db.updateTable('protection_requests').set({ sealed_details: original }).where('id', '=', asked.protectionRequestId).execute();

  const report = await p.head.client.http.get<{ protection: { received: number; urgent: number; receivedBy: Record<string, number> } }>(`/v1/staff/reports?from=${on}&to=${on}`);
  t.same([report.protection.received, report.protection.urgent, report.protection.receivedBy], [1, 1, { online: 0, phone: 1, inPerson: 0 }], 'the report counts it by phone');
});

t.test('an urgent request is recorded by an intake officer only, for a case of their agency, once', async (t) => {
  const p = await setup(t);
  const recorded = await recordIntake(p.officer.client, { channel: 'letter', body: REPORT });
  const ask = (who: typeof p.officer, kase: string) => code(recordUrgentProtection(who.client, { case: kase, channel: 'phone', details: CALL }, who.keys));
  t.equal(await ask(p.head, recorded.caseId), '403 forbidden', 'the head decides; an intake officer records');
  t.equal(await ask(p.investigator, recorded.caseId), '403 forbidden', 'an investigator may not');
  t.equal(await ask(p.officer, crypto.randomUUID()), '404 not_found', 'an unknown case');
  t.equal(await ask(p.officer, 'TL-2026-999999'), '404 not_found', 'an unknown public number');

  const auth = { authorization: `Bearer ${p.officer.client.session.token}` };
  const post = (payload: object) => p.app.inject({ method: 'POST', url: '/v1/staff/intake/protection', headers: auth, payload });
  const fine = { caseId: recorded.caseId, protectionRequestId: crypto.randomUUID(), channel: 'phone', sealedDetails: 'AAAA', threshold: 1, shares: [{ staffId: p.custodian.staffId, wrapped: 'AAAA' }] };
  const bad = await post(fine);
  t.same([bad.statusCode, bad.json().error.code], [400, 'validation_failed'], 'details that are no protocol block are refused');
  const letter = await post({ ...fine, channel: 'letter' });
  t.same([letter.statusCode, letter.json().error.code], [400, 'validation_failed'], 'a letter is no channel for an urgent request: it is a denunciation or its written confirmation');
  const other = await newAgency(p.app, p.db, 'thanh-tra-khac');
  const otherOfficer = await newStaff(p.app, other, ['intake']);
  await publishBundleOf(other);
  t.match(await ask(otherOfficer, recorded.caseId), 'NoCustodianError', 'with no custodian in the bundle, nothing is sealed nor sent');
  await newStaff(p.app, other, ['custodian']);
  await publishBundleOf(other);
  t.equal(await ask(otherOfficer, recorded.caseId), '404 not_found', 'another agency\'s case is out of reach');
  t.equal((await p.db.selectFrom('protection_requests').select('id').execute()).length, 0, 'nothing stored');
  t.equal((await protectionRequests(p.head.client)).length, 0);
});
