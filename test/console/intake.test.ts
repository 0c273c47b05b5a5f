import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import t from 'tap';
import { openReceipt } from '../../src/client/denouncer.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// The intake desk without a terminal. In Vietnamese, an intake officer records a formal
// denunciation presented in person: the content typed, the signed record attached (sealed
// in the page, with its progress), the identity for the custodians; the page ends with the
// person's slip, Vietnamese with English beside, which prints alone and whose receipt
// opens the case as the denouncer's page would; closed, the code is gone. In English, the
// same officer records an urgent protection request by phone for that case. Throughout:
// live validation, axe, no other origin, nothing stored, no secret sent.

t.setTimeout(600_000);
const ARTIFACTS = 'test-artifacts/console';
const REPORT = 'Chủ tịch xã nhận 200 triệu đồng để hợp thức hóa đất lấn chiếm.';
const RECEIPT = /[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}/;

t.test('an intake officer records a denunciation in person, prints the slip, then an urgent protection request by phone', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { custodians: 2, threshold: 2 } });
  const db = s.server.database.db;
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(context);
  const { page } = w;
  await page.goto(s.localUrl);
  await signIn(page, s.keyFile, s.passphrase, { fingerprint: s.agency.fingerprint });
  await page.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
  await page.getByRole('heading', { name: 'Ghi nhận tố cáo' }).waitFor();

  // Live validation: nothing is sealed while the content or a formal identity is missing.
  await page.getByRole('button', { name: 'Niêm phong và ghi nhận' }).click();
  await page.getByText('Hãy ghi nội dung trước khi niêm phong.').waitFor();
  await page.getByLabel('Nội dung (gõ hoặc dán)').fill(REPORT);
  t.match(await page.locator('#intake-content-hint').innerText(), `${REPORT.length} ký tự`, 'the length is counted as one types');
  const record = { name: 'bien-ban-da-ky.pdf', mimeType: 'application/pdf', buffer: randomBytes(300_000) };
  await page.getByLabel('Tệp đính kèm: biên bản đã ký, đơn đã quét…').setInputFiles(record);
  await page.getByLabel('Tố cáo có nêu danh tính (họ tên, địa chỉ — Điều 23)').check();
  await page.getByLabel('Họ tên', { exact: true }).fill('Đỗ Văn H');
  await page.getByRole('button', { name: 'Niêm phong và ghi nhận' }).click();
  await page.getByText('Tố cáo có danh tính cần họ tên, địa chỉ và cách liên lạc.').waitFor();
  t.equal(await db.selectFrom('cases').select('id').execute().then((r) => r.length), 1, 'nothing sent while the form is incomplete');
  await page.getByLabel('Địa chỉ', { exact: true }).fill('Thôn 3, xã Y');
  await page.getByLabel('Cách liên lạc', { exact: true }).fill('0912 345 678');
  await page.getByRole('button', { name: 'Niêm phong và ghi nhận' }).click();
  await page.getByText(/Đang gửi tệp bien-ban-da-ky\.pdf|Đã ghi nhận vụ việc/).first().waitFor();
  t.pass('the upload shows its progress');

  const slip = page.locator('.slip');
  await slip.waitFor();
  const text = await slip.innerText();
  const receipt = RECEIPT.exec(text)?.[0];
  t.ok(receipt, 'the receipt code is on the slip');
  const publicNumber = /TL-\d{4}-\d{6}/.exec(text)?.[0];
  for (const part of ['Biên nhận tố cáo', 'Report receipt', 'Mã biên nhận', 'Receipt code', s.agency.slug, s.server.url, 'Theo dõi vụ việc']) {
    t.match(text, part, `the slip carries ${part}`);
  }
  t.notMatch(text, 'Chủ tịch xã', 'nothing of the report is on the slip');
  t.same(await seriousViolations(page), [], 'intake with its slip: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'intake-slip-vi.png'));
  await page.emulateMedia({ media: 'print' });
  t.same([await slip.isVisible(), await page.locator('form.intake-form').isVisible(), await page.locator('header.top').isVisible()], [true, false, false], 'printing prints the slip alone');
  await page.emulateMedia({ media: 'screen' });

  // The person follows the case with the slip, as from the page: the content, the record, the channel.
  const session = await openReceipt(receipt!, { server: s.server.url });
  t.equal((await session.status()).publicNumber, publicNumber, 'the slip\'s receipt opens the case');
  const { body } = await session.readCase();
  t.same([body.summary.what, body.attachments.map((a) => a.name)], [REPORT, [record.name]], 'with the content and the signed record');
  const kase = await db.selectFrom('cases').select(['id', 'has_identity']).where('public_number', '=', publicNumber!).executeTakeFirstOrThrow();
  t.equal(kase.has_identity, true, 'the identity went to the custodians');
  t.same(await db.selectFrom('case_channels').select('channel').where('case_id', '=', kase.id).execute(), [{ channel: 'in_person' }]);

  await page.getByRole('button', { name: 'Đã trao phiếu — đóng phiếu' }).click();
  t.notMatch(await page.locator('main').innerText(), receipt!, 'closed, the receipt code is gone from the page');

  // In English: the urgent request by phone, for that case.
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Urgent protection request' }).click();
  await page.getByLabel('Public number of the case').fill('TL-12');
  await page.getByRole('button', { name: 'Seal and record the urgent request' }).click();
  await page.getByText('A public number looks like TL-2026-000123.').waitFor();
  await page.getByText('Write who is to be protected, why, and the measures asked for.').waitFor();
  await page.getByLabel('Public number of the case').fill(publicNumber!);
  await page.getByLabel('Who is to be protected').fill('Đỗ Văn H và vợ');
  await page.getByLabel('Why protection is needed').fill('Bị dọa đánh tối nay nếu không rút đơn.');
  await page.getByLabel('Measures asked for').fill('Công an xã bảo vệ nơi ở');
  await page.getByRole('button', { name: 'Seal and record the urgent request' }).click();
  await page.getByText(`Urgent protection request recorded for case ${publicNumber} (Phone).`, { exact: false }).waitFor();
  const request = await db.selectFrom('protection_requests').select(['id', 'urgent', 'case_id', 'sealed_details']).executeTakeFirstOrThrow();
  t.same([request.case_id, request.urgent], [kase.id, true], 'an urgent request on the case');
  t.notOk(Buffer.from(request.sealed_details!).includes(Buffer.from('Công an')), 'its details sealed in the page');
  t.same(await db.selectFrom('protection_channels').select('channel').execute(), [{ channel: 'phone' }], 'by phone');
  t.same(await seriousViolations(page), [], 'urgent protection request in English: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'intake-protection-en.png'));

  t.same(await storageUsed(page, context), NOTHING_STORED, 'nothing stored in the browser');
  checkTraffic(t, w, new URL(s.localUrl).origin, secretEncodings(s.officer.keys, s.passphrase), 'intake officer');
  t.notOk(w.requests.some((r) => (r.postData() ?? '').includes(receipt!)), 'the receipt code never travels');
  await context.close();
  await browser.close();
});
