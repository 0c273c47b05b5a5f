import { join } from 'node:path';
import t from 'tap';
import { openReceipt } from '../../src/client/denouncer.js';
import { HttpClient } from '../../src/client/http.js';
import { recordUrgentProtection } from '../../src/client/staff-intake.js';
import { decideProtection, protectionRequest, protectionRequests } from '../../src/client/staff-protection.js';
import { takeProtectionStep } from '../../src/client/staff-protection-steps.js';
import { resolveCaseId } from '../../src/client/staff-workflow.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { loadBackend } from '../../src/protocol/index.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import type { FixtureStaff } from '../helpers/fixtures.js';
import { screenshot } from '../helpers/screenshots.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, settledFocus, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';

// The head of agency's protection decisions in the console (Law Art. 50–54). An intake
// officer took an urgent request by phone (SDK) and, in the page (en, 1024 px), records its
// written confirmation, the only step offered to them. The head (vi, 1280 px), who holds
// the case, is stopped refusing without reasons, grants it
// with the notice written from the template and edited, changes a measure on the
// protected person's request, and ends it on request — the conclusion and the
// discontinuation not offered on a case that has neither. A second request whose step the
// server rewrote offers nothing and says why. The denouncer's receipt reads every notice,
// and a colleague's client checks every step as the head's.

async function asStaff(s: ConsoleScene, who: { id: string; keys: FixtureStaff['keys'] }) {
  const http = new HttpClient({ baseUrl: s.server.url });
  return new StaffClient(http, await login(http, who.id, who.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
}

const ARTIFACTS = 'test-artifacts/console';
const CALL = { protectedPersons: 'Đỗ Văn H', reasons: 'Bị dọa sau khi tố cáo.', measures: 'Công an xã bảo vệ nơi cư trú' };

t.test('the officer confirms an urgent protection in the page, the head grants, changes and ends it; the denouncer reads each notice', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { custodians: 1, extraStaff: [['supervisor']] } });
  const head = s.agency.withRole('supervisor')[0]!;
  const officer = await asStaff(s, s.officer);
  const caseId = await resolveCaseId(officer, s.publicNumber);
  await officer.grant(caseId, { staffId: head.id }, s.officer.keys);
  const phoned = await recordUrgentProtection(officer, { case: caseId, channel: 'phone', details: CALL }, s.officer.keys);
  // The denouncer's own request, granted and changed with the SDK; the server then rewrites the change's ground.
  const denouncer = receiptWorkflow(await loadBackend(), s.receipt, s.server.url);
  await denouncer.requestProtection({ agencyId: s.agency.id, caseId }, s.agency.bundle, { urgent: false, reasons: 'Bị điều chuyển', measures: 'Giữ vị trí công tác' });
  const asHead = await asStaff(s, head);
  const online = (await protectionRequests(asHead)).find((r) => r.channel === 'online')!;
  await decideProtection(asHead, online.protectionRequestId, { decision: 'granted', reason: 'Có căn cứ', measures: 'Giữ vị trí công tác', responsibleBody: 'Sở Nội vụ' }, head.keys);
  await takeProtectionStep(asHead, online.protectionRequestId, { step: 'change', ground: 'on_request', record: 'Theo đơn', measures: 'Chuyển công tác tạm thời' }, head.keys);
  await s.server.database.db.updateTable('protection_steps').set({ ground: 'on_initiative' }).where('request_id', '=', online.protectionRequestId).execute();

  const browser = await launchChromium();
  t.teardown(() => browser.close());
  // The intake officer (en, 1024 px) records the written confirmation of the call: the only step offered to them.
  const desk = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const o = await watch(desk);
  await o.page.goto(s.localUrl);
  await signIn(o.page, s.keyFile, s.passphrase, { fingerprint: s.agency.fingerprint });
  await o.page.getByRole('button', { name: 'English' }).click();
  await o.page.getByRole('button', { name: `Open case ${s.publicNumber}` }).click();
  const call = o.page.locator('section.protection > ul > li.urgent');
  await call.getByRole('button', { name: 'Record the written confirmation' }).waitFor();
  t.same(await call.getByRole('button').allInnerTexts(), ['Record the written confirmation'], 'an intake officer decides nothing: they record the confirmation');
  await call.getByRole('button', { name: 'Record the written confirmation' }).click();
  await o.page.getByLabel('What the letter says and the day it came (sealed in the file)').fill('Letter from Mr H confirming the call, handed in today.');
  await o.page.getByRole('button', { name: 'Review' }).click();
  await o.page.getByText('This step sends the denouncer no notice.').waitFor();
  await o.page.getByRole('button', { name: 'Confirm and sign' }).click();
  await o.page.getByText('✓ Signed: Record the written confirmation.').waitFor();
  await call.getByText(/confirmed in writing on/).waitFor();
  t.same(await seriousViolations(o.page), [], 'the officer\'s protection requests: no serious or critical accessibility violation');
  checkTraffic(t, o, new URL(s.localUrl).origin, secretEncodings(s.officer.keys, s.passphrase), 'intake officer confirming');
  await desk.close();

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(context);
  const page = w.page;
  await page.goto(s.localUrl);
  await signIn(page, await keyFileFor(s.agency, head, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  await page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  const section = page.locator('section.protection');
  // The urgent request by phone, and the denouncer's own, not urgent.
  const byPhone = section.locator(':scope > ul > li.urgent');
  const rewritten = section.locator(':scope > ul > li:not(.urgent)');
  await byPhone.getByRole('button', { name: 'Áp dụng biện pháp bảo vệ', exact: true }).waitFor();
  const offered = async () => byPhone.getByRole('button').allInnerTexts();
  t.same(await offered(), ['Áp dụng biện pháp bảo vệ', 'Từ chối áp dụng biện pháp bảo vệ'], 'pending and confirmed: grant or refuse; no measure is changed before one is applied');
  await byPhone.getByText(/đã xác nhận bằng văn bản ngày/).waitFor();
  await rewritten.getByText('Không có thao tác nào: một bước trong lịch sử biện pháp không kiểm chứng được').waitFor();
  t.equal(await rewritten.getByRole('button').count(), 0, 'a history that does not check out offers nothing, and says why');

  const review = () => page.getByRole('button', { name: 'Xem lại' }).click();
  const signed = async (choice: string) => {
    await page.getByRole('button', { name: 'Xác nhận và ký' }).click();
    await section.locator('p.done').getByText(`✓ Đã ký: ${choice}.`).waitFor();
  };
  // A refusal without its reasons is stopped in the page (Art. 52).
  await byPhone.getByRole('button', { name: 'Từ chối áp dụng biện pháp bảo vệ' }).click();
  await review();
  await page.getByText('Từ chối phải nêu rõ lý do (Điều 52).').waitFor();
  await page.getByRole('button', { name: 'Hủy' }).click();

  // The grant: the notice is written from the template as the measures are typed, then edited.
  await byPhone.getByRole('button', { name: 'Áp dụng biện pháp bảo vệ', exact: true }).click();
  t.match(await settledFocus(page, 'tagName', 'H4'), 'H4', 'the dialog takes the focus');
  await page.getByLabel('Biện pháp bảo vệ', { exact: true }).fill('Công an xã bảo vệ nơi cư trú');
  await page.getByLabel('Cơ quan thực hiện biện pháp').fill('Công an xã Đông Anh');
  await page.getByLabel('Căn cứ của quyết định (niêm phong trong hồ sơ)').fill('Có dấu hiệu đe dọa thật.');
  const notice = page.getByLabel('Thông báo cho người được bảo vệ (niêm phong và ký; người tố cáo đọc bằng mã biên nhận)');
  const template = await notice.inputValue();
  t.match(template, 'Biện pháp bảo vệ / Measures: Công an xã bảo vệ nơi cư trú', 'the template carries the measures as typed');
  t.match(template, 'Cơ quan thực hiện / Responsible body: Công an xã Đông Anh');
  await notice.fill(`${template}\nLiên hệ Công an xã khi cần: 0241 234 567.`);
  await review();
  t.match(await page.locator('div.dialog blockquote').innerText(), 'Liên hệ Công an xã khi cần', 'the review restates the edited notice');
  t.same(await seriousViolations(page), [], 'the grant\'s review: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'protection-grant-vi.png'));
  await signed('Áp dụng biện pháp bảo vệ');
  await byPhone.getByText(/đã chấp nhận, do .+ ký ngày/).waitFor();
  t.same(await offered(), ['Thay đổi biện pháp bảo vệ', 'Bổ sung biện pháp bảo vệ', 'Chấm dứt việc áp dụng biện pháp bảo vệ'], 'granted: change, add or end');

  await byPhone.getByRole('button', { name: 'Thay đổi biện pháp bảo vệ' }).click();
  const ground = page.getByLabel('Căn cứ', { exact: true });
  const grounds = async () => ground.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  t.same(await grounds(), ['on_initiative', 'on_request'], 'a change rests on Art. 54(1)');
  await ground.selectOption('on_request');
  await screenshot(page, join(ARTIFACTS, 'protection-change-vi.png'));
  await page.getByLabel('Biện pháp bảo vệ sau quyết định này').fill('Bố trí nơi ở tạm thời');
  await page.getByLabel('Nội dung quyết định và lý do (niêm phong trong hồ sơ)').fill('Ông H đề nghị chuyển nơi ở.');
  t.match(await notice.inputValue(), /đã được thay đổi[^]*Bố trí nơi ở tạm thời/, 'the change\'s notice, from stepNotices, with the new measure');
  await review();
  await signed('Thay đổi biện pháp bảo vệ');

  await byPhone.getByRole('button', { name: 'Chấm dứt việc áp dụng biện pháp bảo vệ' }).click();
  const endGrounds = await grounds();
  t.ok(endGrounds.includes('on_request') && !endGrounds.includes('conclusion') && !endGrounds.includes('termination'),
    `an end on a case neither concluded nor discontinued: ${endGrounds.join(', ')}`);
  await ground.selectOption('on_request');
  await page.getByLabel('Nội dung quyết định và lý do (niêm phong trong hồ sơ)').fill('Ông H có đơn xin thôi bảo vệ.');
  t.match(await notice.inputValue(), 'theo đề nghị bằng văn bản của người được bảo vệ', 'the end\'s notice names its ground');
  await review();
  await signed('Chấm dứt việc áp dụng biện pháp bảo vệ');
  await byPhone.getByText(/đã chấm dứt ngày/).waitFor();
  t.same(await offered(), [], 'nothing more once ended');

  await page.getByRole('button', { name: 'English' }).click();
  await byPhone.getByText(/ended on/).waitFor();
  await section.getByText('✓ Signed: End the protection.').waitFor();
  t.match(await byPhone.innerText(), /written confirmation received, signed by .+ on/, 'a confirmation, which rests on no ground, says none');
  t.match(await rewritten.innerText(), "Nothing is offered: a step of the measures' history does not check out", 'why, in English too');
  t.same(await seriousViolations(page), [], 'the protection requests in English: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'protection-en.png'));
  t.same(await storageUsed(page, context), NOTHING_STORED, 'nothing stored in the browser');
  checkTraffic(t, w, new URL(s.localUrl).origin, secretEncodings(head.keys, s.passphrase), 'head of agency deciding protection');
  await context.close();

  const history = (await protectionRequest(officer, phoned.protectionRequestId)).history;
  t.same(history.steps.map((x) => [x.step, x.ground, x.by === head.id, x.authenticity]),
    [['confirm_writing', '', false, 'signed'], ['change', 'on_request', true, 'signed'], ['end', 'on_request', true, 'signed']], 'a colleague checks every step as signed: the officer\'s confirmation, the head\'s measures');
  t.equal(history.steps[0]!.by, s.officer.id);
  const texts = (await (await openReceipt(s.receipt, { server: s.server.url })).messages()).map((m) => m.text);
  for (const words of ['Liên hệ Công an xã khi cần: 0241 234 567.', 'đã được thay đổi', 'Bố trí nơi ở tạm thời', 'đã chấm dứt', 'at the written request of the protected person']) {
    t.ok(texts.some((x) => x.includes(words)), `the denouncer's receipt reads: ${words}`);
  }
});
