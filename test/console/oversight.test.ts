import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import t from 'tap';
import { HttpClient } from '../../src/client/http.js';
import { deadlines } from '../../src/client/staff-oversight.js';
import { resolveCaseId } from '../../src/client/staff-workflow.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { today } from '../../src/console/deadline.js';
import { addCalendarDays, vietnamCalendar, workingDaysBetween } from '../../src/domain/index.js';
import { loadBackend } from '../../src/protocol/index.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene, keyFileFor } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// The head of agency's day without a terminal: the deadlines board shows the case nobody
// acted on as overdue, in working days on the agency's calendar, and the urgent
// protection request first in the coming week, each opening its case; the periodic
// report for a chosen period shows the form's figures in Vietnamese with the English
// beside, six charts drawn in the page with their figures as tables, and a CSV and an
// .xlsx made in the page, the latter by a chunk that runs only if it matches the hash
// index.html pins (a tampered one is refused, never run). Vietnamese then English, 1280
// then 1024 px.

const ARTIFACTS = 'test-artifacts/console';

t.test("the head of agency's deadlines board and periodic report, in the console", async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { custodians: 3, threshold: 2, extraStaff: [['supervisor']] } });
  const head = s.agency.withRole('supervisor')[0]!;
  const on = today();
  // The case came in a month ago and nobody has acted on it: its first deadline has passed.
  const receivedOn = addCalendarDays(on, -32);
  await s.server.database.db.updateTable('cases').set({ received_on: receivedOn }).where('public_number', '=', s.publicNumber).execute();
  const http = new HttpClient({ baseUrl: s.server.url });
  const asHead = new StaffClient(http, await login(http, head.id, head.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
  const caseId = await resolveCaseId(asHead, s.publicNumber);
  const denouncer = receiptWorkflow(await loadBackend(), s.receipt, s.server.url);
  await denouncer.requestProtection({ agencyId: s.agency.id, caseId }, s.agency.bundle, { urgent: true, reasons: 'Bị đe dọa', measures: 'Giữ nguyên vị trí công tác' });
  const served = (await deadlines(asHead.http, 90)).items;
  const triage = served.find((i) => i.kind === 'case')!;
  const protection = served.find((i) => i.kind === 'protection_request')!;
  const calendar = vietnamCalendar();

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(context);
  const { page } = w;
  await page.goto(s.localUrl);
  await signIn(page, await keyFileFor(s.agency, head, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  await page.getByRole('button', { name: 'Thời hạn', exact: true }).click();

  const overdue = page.locator('section.deadline-group.overdue');
  await overdue.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).waitFor();
  t.match(await overdue.innerText(), 'Phân loại, xử lý ban đầu', 'the triage clock, named');
  t.match(await overdue.innerText(), `Quá hạn ${workingDaysBetween(triage.due, on, calendar)} ngày làm việc`, 'overdue by working days, as the triage rule counts');
  const week = page.locator('section.deadline-group.week');
  const first = week.locator('tbody tr').first();
  t.match(await first.innerText(), 'Yêu cầu bảo vệ', 'the urgent protection request comes first in the week');
  t.match(await first.innerText(), '⚑ Khẩn');
  const left = workingDaysBetween(on, protection.due, calendar);
  t.match(await first.innerText(), left === 0 ? 'Hết hạn hôm nay' : `Còn ${left} ngày làm việc`, 'counted in working days on the agency calendar');
  t.same(await seriousViolations(page), [], 'deadlines board: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'deadlines-vi.png'));

  // Each item opens its case in place, and the way back leads to the board.
  await first.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await page.getByRole('heading', { name: `Vụ việc ${s.publicNumber}` }).waitFor();
  await page.getByRole('button', { name: '← Quay lại bảng thời hạn' }).click();
  await page.getByRole('heading', { name: 'Các thời hạn đang chạy của cơ quan' }).waitFor();

  // The report for a range of days: the case, and the protection request still pending.
  await page.getByRole('button', { name: 'Báo cáo', exact: true }).click();
  await page.getByLabel('Kỳ báo cáo').selectOption('range');
  await page.getByLabel('Từ ngày').fill(addCalendarDays(on, 1));
  await page.getByLabel('Đến ngày').fill(on);
  await page.getByRole('button', { name: 'Xem báo cáo' }).click();
  await page.getByText('Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.').waitFor();
  t.pass('a range that runs backwards is stopped in the page');
  await page.getByLabel('Từ ngày').fill(addCalendarDays(on, -60));
  await page.getByRole('button', { name: 'Xem báo cáo' }).click();
  const received = page.getByRole('row', { name: /Số đơn tiếp nhận trong kỳ/ });
  await received.waitFor();
  t.match(await received.innerText(), /Số đơn tiếp nhận trong kỳ\s+Received in the period\s+1/, 'the figure with its Vietnamese and English labels');
  t.equal(await page.locator('figure.chart').count(), 6, 'six charts');
  t.equal(await page.locator('figure.chart svg[role=img]').count(), 5, 'drawn in the page as images with a text alternative');
  const channelChart = page.locator('figure.chart').filter({ hasText: 'Đơn đến theo tháng, theo kênh tiếp nhận' });
  await channelChart.getByText('Số liệu của biểu đồ').click();
  t.match(await channelChart.locator('table').innerText(), /Gửi trực tuyến/, 'arrivals by channel, the online one named');
  t.match(await page.locator('figure.chart').filter({ hasText: 'Đúng hạn và quá hạn' }).innerText(), 'Không có số liệu trong kỳ.', 'nothing resolved yet: said, not drawn');
  const protectionChart = page.locator('figure.chart').filter({ hasText: 'Yêu cầu bảo vệ trong kỳ, theo kết quả' });
  await protectionChart.getByText('Số liệu của biểu đồ').click();
  t.match(await protectionChart.locator('table').innerText(), /Chưa quyết định\s+1/, 'the chart\'s figures as a table');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tải tệp CSV' }).click();
  const file = await download;
  const csv = await readFile((await file.path())!, 'utf8');
  t.ok(csv.startsWith('\uFEFF'), 'the CSV starts with a byte-order mark, for spreadsheets');
  t.match(csv, '"Số đơn tiếp nhận trong kỳ","Received in the period",1', 'and carries the form\'s rows');
  t.match(csv, `"${s.agency.slug}"`, 'and the agency its verified bundle names');

  const xlsxDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Tải tệp Excel (.xlsx)' }).click();
  const xlsxFile = await xlsxDownload;
  t.equal(xlsxFile.suggestedFilename(), `bao-cao-${addCalendarDays(on, -60)}-${on}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile((await xlsxFile.path())!);
  const sheet = workbook.worksheets[0]!;
  t.same([sheet.getCell('A1').value, sheet.getCell('A4').value], ['BÁO CÁO KẾT QUẢ GIẢI QUYẾT TỐ CÁO', s.agency.slug], 'the workbook: the form\'s title and the agency its verified bundle names');
  const receivedRow = sheet.getRows(1, sheet.rowCount)!.find((r) => r.getCell(2).value === 'Số đơn tiếp nhận trong kỳ')!;
  t.same([receivedRow.getCell(3).value, receivedRow.getCell(4).value], ['Received in the period', 1], 'and the figure with its labels');
  t.equal(sheet.pageSetup.orientation, 'landscape', 'laid out for printing');
  t.same(await seriousViolations(page), [], 'report: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'report-vi.png'));

  // In English, at 1024 px: the form keeps its Vietnamese labels beside the English.
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Reports', exact: true }).click();
  await page.getByLabel('Reporting period').selectOption('Y');
  await page.getByRole('button', { name: 'Show the report' }).click();
  await page.getByRole('row', { name: /Received in the period/ }).waitFor();
  t.match(await page.getByRole('row', { name: /Received in the period/ }).innerText(), 'Số đơn tiếp nhận trong kỳ');
  t.same(await seriousViolations(page), [], 'report in English: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'report-en.png'));
  await page.getByRole('button', { name: 'Deadlines', exact: true }).click();
  await page.locator('section.deadline-group.overdue').getByText(`${workingDaysBetween(triage.due, on, calendar)} working days overdue`).waitFor();
  await screenshot(page, join(ARTIFACTS, 'deadlines-en.png'));

  t.same(await storageUsed(page, context), NOTHING_STORED, 'nothing stored in the browser');
  checkTraffic(t, w, new URL(s.localUrl).origin, secretEncodings(head.keys, s.passphrase), 'head of agency');
  await context.close();

  // A server that swaps the workbook chunk: the browser refuses the bytes, nothing of them runs.
  const tampered = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await tampered.route('**/console-xlsx.js', (route) => route.fulfill({
    contentType: 'text/javascript',
    body: 'globalThis.tamperedChunkRan = true; export async function reportXlsx() { globalThis.tamperedChunkRan = true; return new Uint8Array(1); }',
  }));
  const other = await tampered.newPage();
  const downloads: string[] = [];
  other.on('download', (d) => downloads.push(d.suggestedFilename()));
  await other.goto(s.localUrl);
  await signIn(other, await keyFileFor(s.agency, head, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  await other.getByRole('button', { name: 'Báo cáo', exact: true }).click();
  await other.getByRole('button', { name: 'Xem báo cáo' }).click();
  await other.getByRole('row', { name: /Số đơn tiếp nhận trong kỳ/ }).waitFor();
  await other.getByRole('button', { name: 'Tải tệp Excel (.xlsx)' }).click();
  await other.getByRole('alert').filter({ hasText: 'không khớp với mã băm' }).waitFor();
  t.pass('a chunk that does not match its hash is refused, and the page says so');
  t.equal(await other.evaluate(() => (globalThis as { tamperedChunkRan?: boolean }).tamperedChunkRan), undefined, 'none of it ran');
  t.same(downloads, [], 'and no file was offered');
  await tampered.close();
});
