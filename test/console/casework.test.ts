import { join } from 'node:path';
import t from 'tap';
import type { Page } from 'playwright-core';
import { HttpClient } from '../../src/client/http.js';
import { loadBackend } from '../../src/protocol/index.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import { identityRequests, readReasons } from '../../src/client/staff-identity.js';
import { readMessages } from '../../src/client/staff-messages.js';
import { resolveCaseId, transitionCase } from '../../src/client/staff-workflow.js';
import { decideProtection, protectionRequests } from '../../src/client/staff-protection.js';
import { takeProtectionStep } from '../../src/client/staff-protection-steps.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, secretEncodings, seriousViolations, settledFocus, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene, keyFileFor } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// A day's casework in the console, in Debian's Chromium, without a terminal: the intake
// officer takes a case into classification, proposes its acceptance to the head of
// agency (who decides it, Law Art. 29(1)), assigns it by name to an investigator and to
// the head, and replies; the head accepts it with the notice the law owes the denouncer
// (edited in the dialog); the investigator, in English at 1024 px, starts verification,
// sees the head's steps disabled with the reason, proposes a conclusion with a finding
// and asks the custodians for the identity. Every step is checked afterwards through the
// SDK, as a colleague's own client would see it.

const ARTIFACTS = 'test-artifacts/console';
const noStorage = { localStorage: 0, sessionStorage: 0, indexedDB: 0, cookie: 0, caches: 0, contextCookies: 0 };

/** Chooses a step, fills its dialog with `fill`, reviews it and signs it; returns the outcome line. */
async function takeStep(page: Page, step: string, reason: string, fill: (page: Page) => Promise<void> = async () => undefined, words = VI): Promise<string> {
  await page.getByRole('button', { name: step, exact: true }).click();
  await page.getByLabel(words.reason).fill(reason);
  await fill(page);
  await page.getByRole('button', { name: words.review }).click();
  await page.getByRole('button', { name: words.sign }).click();
  const done = page.locator('section.actions p.done');
  await done.waitFor();
  return done.innerText();
}

const VI = { reason: 'Lý do (niêm phong trong hồ sơ; người tố cáo không thấy)', review: 'Xem lại', sign: 'Xác nhận và ký' };
const PROPOSE = { reason: 'Lý do đề xuất (niêm phong trong hồ sơ; người tố cáo không thấy)' };
const PROPOSE_EN = { reason: 'Reasons for the proposal (sealed in the case file; the denouncer never sees them)' };
const EN = { reason: 'Reason (sealed in the case file; the denouncer does not see it)', review: 'Review', sign: 'Confirm and sign' };

t.test('intake officer and investigator do their casework in the console', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, {
    agency: { custodians: 2, threshold: 2, extraStaff: [['supervisor'], ['supervisor']] },
    identity: { name: 'Nguyễn Văn A', address: 'Hà Nội', contact: '0900 000 000' },
  });
  const shot = (page: Page, name: string) => screenshot(page, join(ARTIFACTS, `${name}.png`));
  const investigator = s.agency.withRole('investigator')[0]!;
  // Two heads of agency: one is granted the case and decides it; the other holds no key to it.
  const [decider, head] = [s.agency.withRole('supervisor')[0]!, s.agency.withRole('supervisor')[1]!];
  const browser = await launchChromium();
  const origin = new URL(s.localUrl).origin;

  // The intake officer, in Vietnamese at 1280 px, from `tipline console`.
  const officerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(officerContext);
  const page = w.page;
  await page.goto(s.localUrl);
  await signIn(page, s.keyFile, s.passphrase, { fingerprint: s.agency.fingerprint });
  await page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await page.getByText(s.body.summary.what!).waitFor();
  await page.getByRole('heading', { name: 'Xử lý vụ việc' }).waitFor();
  t.notOk(await page.getByRole('button', { name: 'Thụ lý', exact: true }).count(), 'a step the law does not allow from this state is absent');

  // From the keyboard: the step's button opens its dialog with focus on the dialog.
  await page.getByRole('button', { name: 'Chuyển sang phân loại', exact: true }).focus();
  await page.keyboard.press('Enter');
  t.equal(await settledFocus(page, 'tagName', 'H4'), 'H4', 'focus moves into the dialog');
  await page.getByRole('button', { name: 'Xem lại' }).click();
  await page.getByRole('alert').getByText('Hãy ghi lý do.').waitFor();
  t.pass('a step without a reason is stopped in the page, before anything is signed');
  await page.getByLabel(VI.reason).fill('Đơn có đủ thông tin để phân loại.');
  await page.getByRole('button', { name: 'Xem lại' }).click();
  // The review takes focus on its heading; only then is the confirm button focused, or the
  // heading's focus could land after it and take the key press.
  await page.waitForFunction(() => document.activeElement?.textContent?.startsWith('Xác nhận:'));
  await page.getByRole('button', { name: 'Xác nhận và ký' }).focus();
  await page.keyboard.press('Enter');
  await page.locator('section.actions p.done').getByText('nay là «Đang phân loại»').waitFor();
  t.pass('triage signed from the keyboard');

  // The acceptance is the head of agency's (Law Art. 29(1)): the intake officer proposes it.
  const acceptButton = page.getByRole('button', { name: 'Thụ lý', exact: true });
  t.ok(await acceptButton.isDisabled(), 'acceptance is not the intake officer\'s to take');
  t.match(await page.locator('section.actions').innerText(), 'Chỉ thủ trưởng cơ quan thực hiện được bước này.', 'with the reason in words');
  await page.getByRole('button', { name: 'Đề xuất: Thụ lý' }).click();
  await page.getByLabel(PROPOSE.reason).fill('Đủ bốn điều kiện thụ lý theo Điều 29.');
  await page.getByRole('button', { name: 'Xem lại' }).click();
  await page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  await page.getByText('✓ Đã gửi đề xuất «Thụ lý» cho thủ trưởng cơ quan.').waitFor();
  t.pass('the acceptance is proposed to the head, sealed and signed');

  // Assign by name: the key is re-sealed here to the investigator's key from the verified bundle.
  const option = page.getByLabel('Giao cho').locator(`option[value="${investigator.id}"]`);
  t.match(await option.innerText(), `${investigator.displayName} (${investigator.id.slice(0, 8)}) — cán bộ xác minh`, 'colleagues are offered by name, with their id and role');
  await page.getByLabel('Giao cho').selectOption(investigator.id);
  await page.getByRole('button', { name: 'Giao vụ việc' }).click();
  await page.getByRole('button', { name: 'Xác nhận giao' }).click();
  await page.getByText(`Đã giao cho ${investigator.displayName}`).waitFor();
  await page.getByLabel('Giao cho').selectOption(decider.id);
  await page.getByRole('button', { name: 'Giao vụ việc' }).click();
  await page.getByRole('button', { name: 'Xác nhận giao' }).click();
  await page.getByText(`Đã giao cho ${decider.displayName}`).waitFor();
  t.pass('and to the head of agency, who may need to read it to decide');

  const replyText = 'Xin ông/bà cho biết thêm thời điểm nhận tiền.';
  await page.getByLabel('Nội dung (niêm phong và ký trên máy này)').fill(replyText);
  await page.getByRole('button', { name: 'Gửi trả lời' }).click();
  await page.locator('ol.messages').getByText(replyText).waitFor();
  t.same(await seriousViolations(page), [], 'case view with its actions: no serious or critical accessibility violation');
  await shot(page, 'casework-intake-vi');
  t.same(await storageUsed(page, officerContext), noStorage, 'intake: nothing stored in the browser');
  checkTraffic(t, w, origin, secretEncodings(s.officer.keys, s.passphrase), 'intake officer');
  await officerContext.close();

  // The head of agency decides the proposed acceptance, with the notice the law owes.
  const deciderContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const d = await watch(deciderContext);
  await d.page.goto(s.localUrl);
  await signIn(d.page, await keyFileFor(s.agency, decider, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  await d.page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await d.page.locator('section.proposals').getByText('Đủ bốn điều kiện thụ lý theo Điều 29.').waitFor();
  const notice = 'Cơ quan đã thụ lý tố cáo của ông/bà ngày hôm nay; thời hạn giải quyết là 30 ngày.';
  await d.page.getByRole('button', { name: 'Quyết định: Thụ lý' }).click();
  const noticeBox = d.page.getByLabel('Thông báo cho người tố cáo (Luật yêu cầu; có thể sửa)');
  t.match(await noticeBox.inputValue(), 'Vụ việc của bạn đã được thụ lý', 'the notice the law owes comes as an editable template');
  t.match(await d.page.getByLabel(VI.reason).inputValue(), 'Đủ bốn điều kiện thụ lý theo Điều 29.', 'the form carries the proposal\'s reasons');
  await noticeBox.fill(notice);
  t.same(await seriousViolations(d.page), [], 'step dialog: no serious or critical accessibility violation');
  await shot(d.page, 'action-accept-vi');
  await d.page.getByRole('button', { name: 'Xem lại' }).click();
  await d.page.getByRole('button', { name: 'Xác nhận và ký' }).waitFor();
  t.match(await d.page.locator('.dialog').innerText(), notice, 'the review restates the notice to be sent');
  await d.page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  const accepted = await d.page.locator('section.actions p.done').innerText();
  t.match(accepted, /nay là «Đã thụ lý»[\s\S]*Đã gửi thông báo cho người tố cáo/, 'accepted, and the notice sent');
  await d.page.locator('ol.messages').getByText(notice).waitFor();
  t.pass('the notice shows in the thread, signed');
  checkTraffic(t, d, origin, secretEncodings(decider.keys, s.passphrase), 'head of agency deciding');
  await deciderContext.close();

  // The investigator, in English at 1024 px.
  const invContext = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const v = await watch(invContext);
  await v.page.goto(s.localUrl);
  await signIn(v.page, await keyFileFor(s.agency, investigator, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  await v.page.getByRole('button', { name: 'English' }).click();
  await v.page.getByLabel('Assigned to me only').check();
  await v.page.getByRole('button', { name: `Open case ${s.publicNumber}` }).click();
  await v.page.getByRole('heading', { name: 'Work on this case' }).waitFor();
  const extend = v.page.getByRole('button', { name: 'Extend the time limit', exact: true });
  await extend.waitFor();
  t.ok(await extend.isDisabled(), 'the head of agency\'s step is disabled for an investigator');
  t.match(await v.page.locator('section.actions').innerText(), 'Only the head of agency can take this step.', 'with the reason in words');
  t.match(await takeStep(v.page, 'Start verification', 'Verification team formed.', undefined, EN), 'now “Being verified”', 'verification started');
  t.ok(await v.page.getByRole('button', { name: 'Conclude on the denunciation', exact: true }).isDisabled(), 'the conclusion is the head\'s');
  await v.page.getByRole('button', { name: 'Propose: Conclude on the denunciation' }).click();
  await v.page.getByLabel(PROPOSE_EN.reason).fill('The evidence supports part of the report.');
  await v.page.getByLabel('Finding').selectOption('partly_true');
  await v.page.getByRole('button', { name: 'Review' }).click();
  await v.page.getByRole('button', { name: 'Confirm and sign' }).click();
  await v.page.getByText('✓ Proposal "Conclude on the denunciation" sent to the head of agency.').waitFor();
  t.pass('a conclusion with a finding, proposed to the head');

  const why = 'Cần đối chất trực tiếp với người tố cáo.';
  await v.page.getByLabel('Reason for the request').fill(why);
  await v.page.getByRole('button', { name: 'Send the request' }).click();
  await v.page.getByRole('button', { name: 'Confirm and send' }).click();
  await v.page.getByText('Request sent; the custodians will decide.').waitFor();
  t.same(await seriousViolations(v.page), [], 'investigator view: no serious or critical accessibility violation');
  await shot(v.page, 'casework-investigator-en');
  t.same(await storageUsed(v.page, invContext), noStorage, 'investigator: nothing stored in the browser');
  checkTraffic(t, v, origin, secretEncodings(investigator.keys, s.passphrase), 'investigator');
  await invContext.close();

  // The head takes the proposed conclusion (in the console as with the acceptance above; here through the SDK).
  const deciderHttp = new HttpClient({ baseUrl: s.server.url });
  const asDecider = new StaffClient(deciderHttp, await login(deciderHttp, decider.id, decider.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
  await transitionCase(asDecider, await resolveCaseId(asDecider, s.publicNumber), { action: 'conclude', reason: 'As proposed.', finding: 'partly_true' }, decider.keys);

  // The denouncer reports retaliation and asks for urgent protection on the same receipt.
  const be = await loadBackend();
  const denouncer = receiptWorkflow(be, s.receipt, s.server.url);
  const staffHttp = new HttpClient({ baseUrl: s.server.url });
  const asOfficer = new StaffClient(staffHttp, await login(staffHttp, s.officer.id, s.officer.keys, s.server.url));
  const caseIdA = await resolveCaseId(asOfficer, s.publicNumber);
  const retaliation = await denouncer.reportRetaliation(caseIdA, s.agency.bundle, 'Tôi bị điều chuyển công tác sau khi tố cáo.');
  await denouncer.requestProtection({ agencyId: s.agency.id, caseId: caseIdA }, s.agency.bundle, { urgent: true, reasons: 'Bị đe dọa', measures: 'Giữ nguyên vị trí công tác' });
  // The head who holds the case grants it, and ends it at the conclusion (Law Art. 54(2)(a)), through the SDK.
  const [asked] = (await protectionRequests(asDecider)).filter((r) => r.caseId === caseIdA);
  await decideProtection(asDecider, asked!.protectionRequestId, { decision: 'granted', reason: 'Có căn cứ', measures: 'Giữ nguyên vị trí công tác', responsibleBody: 'Sở Nội vụ' }, decider.keys);
  await takeProtectionStep(asDecider, asked!.protectionRequestId, { step: 'end', ground: 'conclusion', record: 'Đã có kết luận nội dung tố cáo.' }, decider.keys);

  // The intake officer opens the retaliation report and, from it, the case it is about.
  const again = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const o = await watch(again);
  await o.page.goto(s.localUrl);
  await signIn(o.page, s.keyFile, s.passphrase, { fingerprint: s.agency.fingerprint });
  await o.page.getByRole('button', { name: `Mở vụ việc ${retaliation.publicNumber}` }).click();
  await o.page.getByText('Tôi bị điều chuyển công tác sau khi tố cáo.').waitFor();
  await o.page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await o.page.getByRole('heading', { name: `Vụ việc ${s.publicNumber}` }).waitFor();
  t.pass('the retaliation report links to its original case, which opens in place');
  await again.close();

  // The head of agency holds no key to the case: its metadata, the steps (disabled with
  // why) and the urgent protection request are shown, the body is not.
  const headContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const h = await watch(headContext);
  await h.page.goto(s.localUrl);
  await signIn(h.page, await keyFileFor(s.agency, head, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  // The deadline filter asks the server for cases due by a day worked out here.
  const inboxRows = h.page.locator('table.cases tbody tr');
  await inboxRows.first().waitFor();
  await h.page.getByLabel('Thời hạn').selectOption('overdue');
  await h.page.getByText('Không có vụ việc nào.').waitFor();
  await s.server.database.db.updateTable('cases').set({ due_on: '2026-01-05' }).where('id', '=', caseIdA).execute();
  await h.page.getByLabel('Thời hạn').selectOption('soon');
  await h.page.getByRole('row').filter({ hasText: s.publicNumber }).waitFor();
  t.equal(await inboxRows.count(), 1, 'overdue or due soon: only the case past its time limit');
  t.match(await inboxRows.first().innerText(), /Quá hạn \d+ ngày/, 'marked overdue in words');
  await h.page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  const protection = h.page.locator('section[aria-labelledby="protection-title"]');
  await protection.getByText('Lịch sử biện pháp bảo vệ').waitFor();
  t.match(await protection.innerText(), /Khẩn/, 'the urgent protection request is listed for the head of agency');
  t.match(await protection.innerText(), /chấm dứt bảo vệ — đã có kết luận nội dung tố cáo \(Điều 54\(2\)\(a\)\), do .+ ký ngày/, 'with its measures\' history: ended at the conclusion, signed');
  t.match(await protection.innerText(), /đã chấm dứt ngày/, 'and shown as ended');
  // The case's metadata loads apart from its protection requests: wait for it too.
  await h.page.getByText('Bạn không giữ khóa của vụ việc này nên không thể đọc nội dung.').waitFor();
  t.notOk(await h.page.getByText(s.body.summary.what!).count(), 'without a key the body is not shown, and the page says why');
  t.same(await seriousViolations(h.page), [], 'head of agency view: no serious or critical accessibility violation');
  await shot(h.page, 'casework-head-vi');
  checkTraffic(t, h, origin, secretEncodings(head.keys, s.passphrase), 'head of agency');
  await headContext.close();

  // What a colleague's own client sees: the checked history, the thread, the request.
  const http = new HttpClient({ baseUrl: s.server.url });
  const trust = () => new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint });
  const inv = new StaffClient(http, await login(http, investigator.id, investigator.keys, s.server.url), trust());
  const workflow = await inv.http.get<{ state: string; events: { action: string; actorId: string }[] }>(`/v1/staff/cases/${(await inv.cases()).cases[0]!.caseId}/workflow`);
  t.same(workflow.events.map((e) => [e.action, e.actorId]), [
    ['triage', s.officer.id], ['accept', decider.id], ['start_verification', investigator.id], ['conclude', decider.id],
  ], 'every step is recorded under the person who signed it');
  t.equal(workflow.state, 'CONCLUDED');
  const caseId = (await inv.cases()).cases[0]!.caseId;
  const { detail, contentKey } = await inv.openCase(caseId, investigator.keys);
  const thread = await readMessages(inv, caseId, detail.agencyId, contentKey);
  t.ok(thread.some((m) => m.text === notice && m.authenticity === 'signed' && m.authorId === decider.id), 'the edited notice is sealed and signed by the head who decided');
  t.ok(thread.some((m) => m.text === replyText && m.authenticity === 'signed'), 'the reply is sealed and signed');
  const custodian = s.agency.withRole('custodian')[0]!;
  const cust = new StaffClient(http, await login(http, custodian.id, custodian.keys, s.server.url), trust());
  const pending = (await identityRequests(cust)).requests.filter((r) => r.caseId === caseId);
  t.equal(pending.length, 1, 'the custodians have the request');
  t.equal((await readReasons(pending[0]!, custodian.keys)).reason, why, 'with the reason, readable only by them');
});
