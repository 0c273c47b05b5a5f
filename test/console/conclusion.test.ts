import t from 'tap';
import { HttpClient } from '../../src/client/http.js';
import { checkedWorkflow, resolveCaseId, transitionCase } from '../../src/client/staff-workflow.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { addPeriod, utcToDay, vietnamCalendar } from '../../src/domain/index.js';
import { formatDayIn } from '../../src/web/i18n/format.js';
import type { FixtureStaff } from '../helpers/fixtures.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, secretEncodings, seriousViolations, signIn, watch } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';

// What follows a conclusion (VN-2026), in the console, by the head of agency: the duties
// the conclusion opened are on the deadlines board and in the case view with their due
// days; the head records the conclusion
// sent (Law Art. 35(3)), the handling of a denunciation found false (Art. 36(1)(a): only
// the measures that finding allows are offered), assigns an advisory unit to monitor it
// (Decree 31 Art. 18(2); the unit's name goes in the sealed record), publishes it in
// print with its runs (Decree 31 Art. 6(2)) and records the result, which closes the case.
// Every step is checked afterwards through the SDK, as a colleague's client sees it.

async function asStaff(s: ConsoleScene, who: { id: string; keys: FixtureStaff['keys'] }) {
  const http = new HttpClient({ baseUrl: s.server.url });
  return new StaffClient(http, await login(http, who.id, who.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
}

t.test('the head sends, handles, monitors and publishes a conclusion, then closes the case', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { extraStaff: [['supervisor']] } });
  const investigator = s.agency.withRole('investigator')[0]!;
  const head = s.agency.withRole('supervisor')[0]!;
  const officer = await asStaff(s, s.officer);
  const caseId = await resolveCaseId(officer, s.publicNumber);
  await transitionCase(officer, caseId, { action: 'triage', reason: 'Đủ điều kiện phân loại.' }, s.officer.keys);
  await officer.grant(caseId, { staffId: investigator.id }, s.officer.keys);
  await officer.grant(caseId, { staffId: head.id }, s.officer.keys);
  const asHead = await asStaff(s, head);
  await transitionCase(asHead, caseId, { action: 'accept', reason: 'Đủ điều kiện thụ lý.' }, head.keys);
  await transitionCase(await asStaff(s, investigator), caseId, { action: 'start_verification', reason: 'Thành lập tổ xác minh.' }, investigator.keys);
  await transitionCase(asHead, caseId, { action: 'conclude', reason: 'Không có vi phạm.', finding: 'false' }, head.keys);
  const today = utcToDay(Date.now());
  const due = (n: number) => formatDayIn('vi', addPeriod(today, { amount: n, unit: 'working_days' }, vietnamCalendar()));

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(context);
  const page = w.page;
  await page.goto(s.localUrl);
  await signIn(page, await keyFileFor(s.agency, head, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  // The head's deadlines board lists each duty, named, counted in working days.
  await page.getByRole('button', { name: 'Thời hạn', exact: true }).click();
  const board = page.locator('section.board');
  await board.getByText('Gửi kết luận cho người bị tố cáo và cơ quan quản lý (Điều 35(3))').waitFor();
  const sending = board.locator('tbody tr', { hasText: 'Điều 35(3)' });
  t.match(await sending.innerText(), 'Còn 5 ngày làm việc', 'the sending: 5 working days left on the day of the conclusion');
  t.match(await board.locator('tbody tr', { hasText: 'Công khai kết luận (Điều 40(1))' }).innerText(), 'Còn 7 ngày làm việc', 'the publication: 7');
  t.equal(await board.locator('tbody tr', { hasText: 'Xử lý kết luận (Điều 36(1))' }).count(), 1, 'and the handling');
  t.match(await board.locator('tbody tr', { hasText: 'Thông báo nội dung tố cáo cho người bị tố cáo (Điều 29(3))' }).innerText(), 'Còn 5 ngày làm việc',
    'the content notice owed since the acceptance, the same day: 5 working days left');
  await sending.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await page.getByRole('heading', { name: 'Xử lý vụ việc' }).waitFor();
  const duties = page.locator('ul.duties');
  await duties.waitFor();
  t.match(await duties.innerText(), `Gửi kết luận cho người bị tố cáo và cơ quan quản lý (Điều 35(3)): hạn ${due(5)}`, 'the sending, 5 working days after');
  t.match(await duties.innerText(), `Xử lý kết luận (Điều 36(1)): hạn ${due(7)}`, 'the handling, 7');
  t.notOk(await page.getByRole('button', { name: 'Đóng hồ sơ', exact: true }).count(), 'a concluded case is not closed straight away');

  // The content notice owed since the acceptance (Law Art. 29(3)): form 06, written from the checked history.
  t.match(await duties.innerText(), `Thông báo nội dung tố cáo cho người bị tố cáo (Điều 29(3)): hạn ${due(5)}`, 'the content notice, 5 working days after the acceptance');
  await page.getByRole('button', { name: 'Thông báo nội dung tố cáo cho người bị tố cáo', exact: true }).click();
  const contentNotice = page.getByLabel('Thông báo về nội dung tố cáo (Mẫu 06), niêm phong trong hồ sơ: không ghi bất cứ điều gì về người tố cáo');
  const template = await contentNotice.inputValue();
  t.match(template, `(hồ sơ số ${s.publicNumber})`, 'the template names the case and the acceptance, with blanks for the rest');
  await contentNotice.fill(template.replaceAll('[Họ tên, chức vụ, nơi công tác của người bị tố cáo / name, position, workplace of the person denounced]', 'Ông B, Chủ tịch UBND xã'));
  await page.getByRole('button', { name: 'Xem lại' }).click();
  await page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  await page.locator('section.actions p.done').getByText('✓ Thông báo nội dung tố cáo cho người bị tố cáo').waitFor();

  const step = async (name: string, record: string, text: string, fill = async () => undefined) => {
    await page.getByRole('button', { name, exact: true }).click();
    await page.getByLabel(record).fill(text);
    await fill();
    await page.getByRole('button', { name: 'Xem lại' }).click();
    await page.getByRole('button', { name: 'Xác nhận và ký' }).click();
    await page.locator('section.actions p.done').getByText(`✓ ${name}`).waitFor();
  };
  await step('Ghi nhận đã gửi kết luận cho người bị tố cáo', 'Gửi đến ai (người bị tố cáo, cơ quan quản lý, người có liên quan), ngày và cách gửi (được niêm phong trong hồ sơ)',
    'Gửi ông B và Sở X qua đường công văn.');
  await page.getByRole('button', { name: 'Xử lý kết luận nội dung tố cáo', exact: true }).click();
  const measure = page.getByLabel('Biện pháp đã thực hiện (Luật Tố cáo Điều 36(1))');
  const offered = await measure.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  t.same(offered, ['rights_restored', 'false_denouncer_handled'], 'a denunciation found false: the measures of Art. 36(1)(a) only');
  await measure.selectOption('false_denouncer_handled');
  await page.getByLabel('Lý do (niêm phong trong hồ sơ; người tố cáo không thấy)').fill('Kiến nghị xử lý kỷ luật người cố ý tố cáo sai.');
  await page.getByRole('button', { name: 'Xem lại' }).click();
  await page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  await page.locator('section.actions p.done').getByText('✓ Xử lý kết luận nội dung tố cáo').waitFor();
  await step('Theo dõi việc thực hiện kết luận', 'Quyết định giao theo dõi: tên đơn vị được giao, nội dung theo dõi (được niêm phong trong hồ sơ)',
    'Giao Phòng Pháp chế theo dõi, đôn đốc.', () => page.getByLabel('Ai theo dõi, đôn đốc (Nghị định 31 Điều 18(2))').selectOption('advisory_unit').then(() => undefined));
  t.match(await page.locator('section.actions p.done').innerText(), 'nay là «Đã có kết luận, đang theo dõi, đôn đốc việc thực hiện kết luận»');

  const publication = page.locator('section.publication');
  await publication.getByLabel('Hình thức công khai').selectOption('print');
  await publication.getByLabel('Nội dung công khai (văn bản thuần, được công bố đúng như viết)').fill('Kết luận: nội dung tố cáo là sai sự thật.');
  await publication.getByLabel('Tôi xác nhận nội dung là công khai và không có thông tin về người tố cáo').check();
  await publication.getByLabel('Số lần đăng, phát liên tục (ít nhất 2)').fill('1');
  await publication.getByRole('button', { name: 'Công khai', exact: true }).click();
  await publication.getByText('Số lần đăng, phát phải là số nguyên, ít nhất 2.').waitFor();
  t.pass('print runs at least twice in a row: stopped in the page');
  await publication.getByLabel('Số lần đăng, phát liên tục (ít nhất 2)').fill('2');
  await publication.getByRole('button', { name: 'Công khai', exact: true }).click();
  await publication.getByText(`✓ Đã công khai (Báo in) ngày ${formatDayIn('vi', today)}.`).waitFor();
  t.same(await seriousViolations(page), [], 'the steps after a conclusion: no serious or critical accessibility violation');

  await step('Ghi nhận kết quả thực hiện kết luận và kết thúc hồ sơ', 'Kết quả thực hiện kết luận, theo báo cáo của đơn vị theo dõi (được niêm phong trong hồ sơ)',
    'Đơn vị đã thực hiện xong kết luận.');
  t.match(await page.locator('section.actions p.done').innerText(), 'nay là «Đã kết thúc»');
  checkTraffic(t, w, new URL(s.localUrl).origin, secretEncodings(head.keys, s.passphrase), 'head of agency after the conclusion');
  await context.close();

  const { history } = await checkedWorkflow(officer, caseId);
  const after = history.events.slice(-4);
  t.same(after.map((e) => [e.action, e.authenticity]), [
    ['send_conclusion', 'signed'], ['handle_conclusion', 'signed'], ['monitor', 'signed'], ['end_monitoring', 'signed'],
  ], 'a colleague\'s client checks every step as signed by the head');
  t.equal(history.snapshot.state, 'CLOSED');
  t.same(history.snapshot.duties.map((d) => [d.duty, d.metOn !== null]), [['notify_denounced', true], ['send_conclusion', true], ['handle_conclusion', true], ['publish_conclusion', false]],
    'the publication is the server\'s record, not a step of the history');
});
