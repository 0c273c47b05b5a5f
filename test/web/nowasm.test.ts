import { randomBytes } from 'node:crypto';
import t from 'tap';
import { browserOrSkip, lazyChunks, offOrigin } from './helpers.js';
import { fillReport, intakeOfficer, scene, sendAndReadReceipt } from './flow.js';

// Tor Browser "Safer" removes WebAssembly: Chromium with --noexpose_wasm stands in for
// it. The page must fall back to the pure-JavaScript backend and work the same, on a
// 360 px screen, with a real proof of work.

if (browserOrSkip(t)) {
  t.test('an anonymous tip without WebAssembly, on a small screen, then follow-up by typing the receipt', async (t) => {
    const s = await scene(t, { wasm: false, width: 360, powDifficulty: 12 });
    const { page, shot } = s;
    t.equal(await page.evaluate(() => typeof WebAssembly), 'undefined', 'WebAssembly is really off');
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    // The backend is fetched after the first view is drawn: wait until it has started.
    await page.waitForFunction(() => document.documentElement.dataset['backend'] !== undefined);
    t.equal(await page.evaluate(() => document.documentElement.dataset['backend']), 'noble', 'the page chose the noble backend');
    const sodium = await lazyChunks(s.server.config.webDir, 'sodium');
    t.notOk(s.requests.some((r) => sodium.some((c) => r.url().endsWith(c))), 'libsodium is never fetched without WebAssembly');
    await page.getByText('JavaScript thuần (không dùng WebAssembly)').waitFor();

    const file = randomBytes(70_000);
    await fillReport(page, s.agency, {
      who: 'Ông Hoàng E, Chủ tịch UBND xã Z',
      what: 'Thu tiền sai quy định khi cấp giấy chứng nhận.',
      when: '2026',
      where: 'UBND xã Z',
      evidence: 'Biên lai thu tiền.',
      file: { name: 'bien-lai.jpg', mimeType: 'image/jpeg', buffer: file },
    });
    await shot('nowasm-1-filled-vi-360');
    const { receipt, publicNumber } = await sendAndReadReceipt(page);
    await shot('nowasm-2-receipt-vi-360');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    t.equal(overflow, 0, 'the receipt fits a 360 px screen');

    const staff = await intakeOfficer(s);
    const caseId = await staff.caseId(publicNumber);
    const { body } = await staff.open(caseId);
    t.equal(body.summary.what, 'Thu tiền sai quy định khi cấp giấy chứng nhận.');
    t.ok((await staff.attachmentBytes(caseId, body.attachments[0]!)).equals(file), 'the attachment is byte-identical');
    t.equal((await staff.client.caseDetail(caseId)).hasIdentity, false, 'an anonymous tip has no identity block');

    // The denouncer comes back later and types the receipt: lower case, spaces for dashes.
    await page.getByRole('button', { name: 'Theo dõi vụ việc đã gửi' }).click();
    await page.getByRole('textbox', { name: 'Mã biên nhận (25 ký tự)' }).fill(receipt.toLowerCase().replaceAll('-', ' '));
    await page.getByRole('textbox', { name: 'Mã biên nhận (25 ký tự)' }).press('Enter');
    await page.getByText(`Hồ sơ số ${publicNumber}`).waitFor({ timeout: 60_000 });
    t.equal(await page.locator('.receipt-input').inputValue(), '', 'the typed receipt is cleared once used');
    await shot('nowasm-3-followup-vi-360');
    await page.getByRole('button', { name: 'English' }).click();
    await shot('nowasm-3-followup-en-360');
    await page.getByRole('button', { name: 'Close the report and forget the code' }).click();
    t.equal(await page.locator('.case').innerText(), '', 'closing removes the case from the page');
    t.same(offOrigin(s.requests, s.server.url), [], 'no request to any other origin');
    t.same(s.consoleProblems.filter((m) => /security policy|trusted type/i.test(m)), [], 'no CSP or Trusted Types violation');
  });
}
