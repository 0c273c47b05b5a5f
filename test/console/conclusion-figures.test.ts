import t from 'tap';
import { HttpClient } from '../../src/client/http.js';
import { checkedWorkflow, resolveCaseId, transitionCase } from '../../src/client/staff-workflow.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { addCalendarDays, utcToDay } from '../../src/domain/index.js';
import type { FixtureStaff } from '../helpers/fixtures.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { seriousViolations, signIn, watch } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';

// The head of agency concludes in the console with the figures the conclusion recommends
// (form 03/KQGQ's money, land and persons): typed in the form's words, restated before
// signing, refused in the page when the officials outnumber the persons, and signed with
// the step, as a colleague's client checks it.

async function asStaff(s: ConsoleScene, who: { id: string; keys: FixtureStaff['keys'] }) {
  const http = new HttpClient({ baseUrl: s.server.url });
  return new StaffClient(http, await login(http, who.id, who.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
}

t.test('the head concludes with the figures, and they are signed with the step', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { extraStaff: [['supervisor']] } });
  const investigator = s.agency.withRole('investigator')[0]!;
  const head = s.agency.withRole('supervisor')[0]!;
  const officer = await asStaff(s, s.officer);
  const caseId = await resolveCaseId(officer, s.publicNumber);
  await transitionCase(officer, caseId, { action: 'triage', reason: 'Đủ điều kiện phân loại.' }, s.officer.keys);
  await officer.grant(caseId, { staffId: investigator.id }, s.officer.keys);
  await officer.grant(caseId, { staffId: head.id }, s.officer.keys);
  await transitionCase(await asStaff(s, head), caseId, { action: 'accept', reason: 'Đủ điều kiện thụ lý.' }, head.keys);
  await transitionCase(await asStaff(s, investigator), caseId, { action: 'start_verification', reason: 'Thành lập tổ xác minh.' }, investigator.keys);

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = (await watch(context)).page;
  await page.goto(s.localUrl);
  await signIn(page, await keyFileFor(s.agency, head, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  await page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).first().click();
  await page.getByRole('heading', { name: 'Xử lý vụ việc' }).waitFor();
  await page.getByRole('button', { name: 'Kết luận nội dung tố cáo', exact: true }).click();
  await page.getByLabel('Lý do (niêm phong trong hồ sơ; người tố cáo không thấy)').fill('Có vi phạm về quản lý đất đai.');
  await page.getByLabel('Kết luận', { exact: true }).selectOption('true');
  await page.getByLabel('Kiến nghị thu hồi cho Nhà nước: tiền (đồng)').fill('1250000000');
  await page.getByLabel('Kiến nghị thu hồi cho Nhà nước: đất (m²)').fill('340');
  await page.getByLabel('Trả lại cho tổ chức, cá nhân: tiền (đồng)').fill('75500000');
  await page.getByLabel('Kiến nghị xử lý hành chính: số người').fill('1');
  await page.getByLabel('Trong đó số cán bộ, công chức, viên chức').fill('2');
  await page.getByRole('button', { name: 'Xem lại' }).click();
  await page.getByText('số cán bộ, công chức, viên chức không vượt quá số người bị kiến nghị xử lý').waitFor();
  t.pass('more officials than persons: stopped in the page');
  await page.getByLabel('Kiến nghị xử lý hành chính: số người').fill('3');
  await page.getByRole('button', { name: 'Xem lại' }).click();
  await page.getByText('Kiến nghị thu hồi cho Nhà nước: tiền (đồng): 1250000000').waitFor();
  t.pass('the review restates the figures before signing');
  t.same(await seriousViolations(page), [], 'the conclusion with its figures: no serious or critical accessibility violation');
  await page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  await page.locator('section.actions p.done').getByText('✓ Kết luận nội dung tố cáo').waitFor();

  // The period's report: the form's money lines in million đồng, a decimal with the Vietnamese comma.
  const today = utcToDay(Date.now());
  await page.getByRole('button', { name: 'Báo cáo', exact: true }).click();
  await page.getByLabel('Kỳ báo cáo').selectOption('range');
  await page.getByLabel('Từ ngày').fill(addCalendarDays(today, -1));
  await page.getByLabel('Đến ngày').fill(today);
  await page.getByRole('button', { name: 'Xem báo cáo' }).click();
  const recovery = page.getByRole('row', { name: /Kiến nghị thu hồi cho Nhà nước: tiền/ });
  await recovery.waitFor();
  t.match(await recovery.innerText(), /Recommended for recovery to the State: money \(million VND\)\s+1250$/, '1 250 000 000 đồng: 1250 million');
  t.match(await page.getByRole('row', { name: /Trả lại cho tổ chức, cá nhân: tiền/ }).innerText(), /\s75,5$/, '75 500 000 đồng: 75,5 million');
  t.match(await page.getByRole('row', { name: /Trong đó số cán bộ, công chức, viên chức/ }).innerText(), /\s2$/, 'of which officials: 2');
  await context.close();

  const { history } = await checkedWorkflow(officer, caseId);
  const concluded = history.events.at(-1)!;
  t.same([concluded.action, concluded.authenticity, concluded.figures], ['conclude', 'signed', {
    recoveryMoney: 1_250_000_000, recoveryLand: 340, returnedMoney: 75_500_000, returnedLand: 0, sanctionPersons: 3, sanctionOfficials: 2, referredPersons: 0,
  }], 'a colleague\'s client checks the figures as signed by the head');
});
