import { randomBytes, randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { openReceipt } from '../../src/client/denouncer.js';
import { ApiClientError } from '../../src/client/http.js';
import { recordIntake, recordUrgentProtection } from '../../src/client/staff-intake.js';
import { deadlines } from '../../src/client/staff-oversight.js';
import { caseProtectionRequests, decideProtection, protectionRequest } from '../../src/client/staff-protection.js';
import { takeProtectionStep } from '../../src/client/staff-protection-steps.js';
import { confirmationDueOn, rulesInForce, utcToDay } from '../../src/domain/index.js';
import {
  fromBase64Url, loadBackend, messageSigningBytes, protectionStepSigningBytes, signDetached, toBase64Url, type StaffKeys,
} from '../../src/protocol/index.js';
import { checkSignedRow } from '../../src/protocol/audit-signed.js';
import { agencyRules } from '../../src/server/db/workflow-calendar.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newStaff, publishBundleOf, type Person } from './staff-kit.js';

// What follows a protection decision (Law Art. 50(3), 54): an urgent request by phone is
// owed its written confirmation on the head's board until an intake officer records it;
// the head changes, adds and ends measures, each signed on its ground and each reaching the
// protected person as a notice; the server refuses a step the rules do not admit, one from
// a role that does not take it, and one signed over another place in the chain.

t.setTimeout(300_000);

const CALL = { protectedPersons: 'Đỗ Văn H', reasons: 'Bị dọa sau khi tố cáo.', measures: 'Công an xã bảo vệ nơi cư trú' };
const today = utcToDay(Date.now());
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ApiClientError ? `${e.status} ${e.code}` : `${(e as Error).name}: ${String(e)}`));

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const officer = await newStaff(app, agency, ['intake'], 'Nguyễn Thị Lan');
  await newStaff(app, agency, ['custodian'], 'Lê Hoàng Anh');
  const investigator = await newStaff(app, agency, ['investigator'], 'Trần Văn Minh');
  const head = await newStaff(app, agency, ['supervisor'], 'Phạm Thu Hà');
  await publishBundleOf(agency);
  const kase = await recordIntake(officer.client, { channel: 'in_person', body: 'Ông B nhận hối lộ.' });
  await officer.client.grant(kase.caseId, { staffId: head.staffId }, officer.keys);
  const asked = await recordUrgentProtection(officer.client, { case: kase.caseId, channel: 'phone', details: CALL }, officer.keys);
  return { app, db: database.db, agency, officer, investigator, head, kase, requestId: asked.protectionRequestId, asked };
}

/** A step signed with `keys` and posted as is: no client-side rule, so what answers is the server. */
async function rawStep(app: Awaited<ReturnType<typeof setup>>['app'], who: Person, keys: StaffKeys, r: { requestId: string; caseId: string }, f: {
  step: string; ground?: string; seq: number; previous: Uint8Array | null; withNotice?: boolean;
}) {
  const be = await loadBackend();
  const record = new Uint8Array(randomBytes(120));
  const messageId = randomUUID();
  const ciphertext = new Uint8Array(randomBytes(296));
  const notice = f.withNotice === false ? undefined : {
    messageId, ciphertext: toBase64Url(ciphertext), signature: toBase64Url(signDetached(be, 'message', messageSigningBytes(r.caseId, messageId, ciphertext, be), keys.signSecretKey)),
  };
  const bytes = protectionStepSigningBytes({
    protectionRequestId: r.requestId, caseId: r.caseId, seq: f.seq, previous: f.previous, step: f.step, ground: f.ground ?? '', onDay: today, record,
    notice: notice ? { messageId, ciphertext } : null,
  }, be);
  const res = await app.inject({
    method: 'POST', url: `/v1/staff/protection/${r.requestId}/steps`, headers: { authorization: `Bearer ${who.client.session.token}` },
    payload: { step: f.step, ...(f.ground ? { ground: f.ground } : {}), onDay: today, record: toBase64Url(record), ...(notice ? { notice } : {}), signature: toBase64Url(signDetached(be, 'protection-step', bytes, keys.signSecretKey)) },
  });
  return `${res.statusCode} ${res.statusCode === 200 ? 'ok' : (res.json() as { error: { code: string } }).error.code}`;
}

t.test('an urgent request by phone: its written confirmation is a duty on the board until the officer records it', async (t) => {
  const p = await setup(t);
  const { jurisdiction, calendar } = await agencyRules(p.db, p.agency.agencyId);
  t.equal(p.asked.confirmDueOn, confirmationDueOn(rulesInForce(jurisdiction, today), today, calendar), 'owed by the day the rules give');
  const owed = async () => (await deadlines(p.head.client.http, 30)).items.filter((i) => i.phase === 'confirm_protection_in_writing');
  t.same((await owed()).map((i) => [i.kind, i.protectionRequestId, i.due]), [['duty', p.requestId, p.asked.confirmDueOn]], 'on the head\'s board, named by its request');

  t.equal(await code(takeProtectionStep(p.head.client, p.requestId, { step: 'change', ground: 'on_request', record: 'x', measures: 'y' }, p.head.keys)), '409 conflict',
    'no measure is changed before protection is applied');
  // The officer who records the confirmation finds the request on its case, as the console does.
  t.same((await caseProtectionRequests(p.officer.client, p.kase.caseId)).map((r) => [r.protectionRequestId, r.channel, r.history.intake.authenticity]),
    [[p.requestId, 'phone', 'signed']], 'the intake officer lists the case\'s requests, checked');
  t.same(await caseProtectionRequests(p.head.client, randomUUID()), [], 'another case: none');
  t.equal(await code(caseProtectionRequests(p.investigator.client, p.kase.caseId)), '403 forbidden', 'an investigator lists none');
  const confirmed = await takeProtectionStep(p.officer.client, p.requestId, { step: 'confirm_writing', record: 'Đơn đề nghị bảo vệ của ông H, nhận trực tiếp.' }, p.officer.keys);
  t.same(confirmed.history.steps.map((s) => [s.seq, s.step, s.by, s.authenticity]), [[1, 'confirm_writing', p.officer.staffId, 'signed']], 'the officer\'s signed step');
  t.equal(confirmed.history.confirmedOn, today);
  t.same(await owed(), [], 'the board stops counting it');
  t.equal(await code(takeProtectionStep(p.officer.client, p.requestId, { step: 'confirm_writing', record: 'again' }, p.officer.keys)), '409 conflict', 'confirmed once');
  t.equal(await rawStep(p.app, p.officer, p.officer.keys, { requestId: p.requestId, caseId: p.kase.caseId }, {
    step: 'confirm_writing', seq: 2, previous: fromBase64Url(confirmed.history.steps[0]!.signature), withNotice: false,
  }), '409 conflict', 'and the server refuses a second one');
  t.equal(await rawStep(p.app, p.investigator, p.investigator.keys, { requestId: p.requestId, caseId: p.kase.caseId }, { step: 'confirm_writing', seq: 1, previous: null }),
    '403 forbidden', 'an investigator records nothing here');
});

t.test('the head changes, adds and ends measures, each signed on its ground, each notified; then nothing more', async (t) => {
  const p = await setup(t);
  await decideProtection(p.head.client, p.requestId, { decision: 'granted', reason: 'đe dọa có thật', measures: 'Công an xã bảo vệ', responsibleBody: 'Công an xã' }, p.head.keys);
  const r = { requestId: p.requestId, caseId: p.kase.caseId };
  t.equal(await rawStep(p.app, p.officer, p.officer.keys, r, { step: 'change', ground: 'on_request', seq: 1, previous: null }), '403 forbidden', 'the deciding head changes measures, not an intake officer');
  t.equal(await rawStep(p.app, p.head, p.head.keys, r, { step: 'change', ground: 'on_request', seq: 1, previous: null, withNotice: false }), '422 notice_required', 'the protected person is told (Art. 54(3))');
  t.equal(await rawStep(p.app, p.head, p.head.keys, r, { step: 'change', ground: 'conclusion', seq: 1, previous: null }), '409 conflict', 'a change rests on Art. 54(1)');
  t.equal(await rawStep(p.app, p.head, p.head.keys, r, { step: 'change', ground: 'on_request', seq: 2, previous: new Uint8Array(64) }), '422 crypto_failed',
    'signed over another place in the chain');

  await takeProtectionStep(p.head.client, p.requestId, { step: 'change', ground: 'on_request', record: 'chuyển nơi ở tạm', measures: 'Bố trí nơi ở tạm thời', responsibleBody: 'Công an huyện' }, p.head.keys);
  await takeProtectionStep(p.head.client, p.requestId, { step: 'add', ground: 'on_initiative', record: 'bảo vệ việc làm', measures: 'Giữ vị trí công tác' }, p.head.keys);
  t.equal(await code(takeProtectionStep(p.head.client, p.requestId, { step: 'end', ground: 'conclusion', record: 'x' }, p.head.keys)), '409 conflict',
    'no end at the conclusion before there is one (Art. 54(2)(a))');
  const ended = await takeProtectionStep(p.head.client, p.requestId, { step: 'end', ground: 'breach', record: 'cố ý tiết lộ việc được bảo vệ' }, p.head.keys);
  t.same(ended.history.steps.map((s) => [s.seq, s.step, s.ground, s.authenticity]),
    [[1, 'change', 'on_request', 'signed'], [2, 'add', 'on_initiative', 'signed'], [3, 'end', 'breach', 'signed']], 'the measures\' history, in order, every step signed');
  t.same([ended.history.endedOn, ended.endedOn], [today, today], 'ended, as the signed step says');
  t.equal(await code(takeProtectionStep(p.head.client, p.requestId, { step: 'add', ground: 'on_request', record: 'x', measures: 'y' }, p.head.keys)), '409 conflict', 'nothing after the end');
  t.equal(await rawStep(p.app, p.head, p.head.keys, r, { step: 'add', ground: 'on_request', seq: 4, previous: fromBase64Url(ended.history.steps[2]!.signature) }), '409 conflict', 'and the server agrees');

  // The person protected reads each notice with the receipt, as any other.
  const session = await openReceipt(p.kase.receipt, { server: p.head.client.http.baseUrl, fetch: p.head.client.http.fetchImpl });
  const texts = (await session.messages()).map((m) => m.text);
  for (const words of ['đã được chấp nhận', 'đã được thay đổi', 'Bố trí nơi ở tạm thời', 'đã được bổ sung', 'đã chấm dứt', 'deliberately breached']) {
    t.ok(texts.some((x) => x.includes(words)), `the protected person is told: ${words}`);
  }

  // Every step is in the audit log with its signature, which verifies offline.
  const rows = await p.db.selectFrom('audit_log').selectAll().where('action', 'in', ['protection.change', 'protection.add', 'protection.end', 'protection.intake']).orderBy('seq').execute();
  const be = await loadBackend();
  const keysOf = (id: string) => [p.head, p.officer].filter((x) => x.staffId === id).map((x) => x.keys.signPublicKey);
  t.same(rows.map((x) => x.action), ['protection.intake', 'protection.change', 'protection.add', 'protection.end']);
  t.same(rows.map((x) => checkSignedRow(be, { ...x, caseId: x.case_id, agencyId: x.agency_id, staffId: x.staff_id } as never, keysOf)), [null, null, null, null], 'each signed row verifies');
  t.ok((await protectionRequest(p.officer.client, p.requestId)).history.intact, 'the intake officer reads the same checked history');
});
