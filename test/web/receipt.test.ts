import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { Page, Route } from 'playwright-core';
import { formatDayIn } from '../../src/web/i18n/format.js';
import { browserOrSkip } from './helpers.js';
import { fillReport, intakeOfficer, scene } from './flow.js';
import { seriousViolations } from '../console/page-checks.js';

// Receipt first: the receipt is on screen as soon as the case is stored, while its files
// are still on their way (the chunk uploads are held by the test, not slowed by timers),
// with bytes sent per file and overall, and a warning before leaving until all are sent.
// Then the printed slip, and hiding the code on screen.

/** Holds every request matching `pattern` until the test lets it go, in order. */
async function holdRequests(page: Page, pattern: string): Promise<{ next(): Promise<Route> }> {
  const queue: Route[] = [];
  const waiting: ((r: Route) => void)[] = [];
  await page.route(pattern, (route) => {
    const waiter = waiting.shift();
    if (waiter) waiter(route);
    else queue.push(route);
  });
  return { next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise<Route>((resolve) => waiting.push(resolve))) };
}

/** Whether leaving the page now would ask first (the page's beforeunload listener cancels). */
const leavingAsks = (page: Page) =>
  page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });

const values = async (page: Page, name: string) => {
  const bar = page.getByRole('progressbar', { name, exact: true });
  return { now: await bar.getAttribute('aria-valuenow'), max: await bar.getAttribute('aria-valuemax'), text: await bar.getAttribute('aria-valuetext') };
};

if (browserOrSkip(t)) {
  t.test('the receipt comes before the files, which follow with their progress', async (t) => {
    const s = await scene(t);
    const { page, shot } = s;
    const file = randomBytes(20 * 65536 - 100); // two requests: a batch of 16 chunks, then 4
    const what = 'Thu tiền ngoài quy định khi cấp phép xây dựng.';
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    await fillReport(page, s.agency, {
      who: 'Bà Q', what, when: '2026', where: 'Phòng Quản lý đô thị', evidence: 'Ảnh biên lai.',
      file: { name: 'bien-lai.jpg', mimeType: 'image/jpeg', buffer: file },
    });
    const chunks = await holdRequests(page, '**/chunks/*');
    t.notOk(await leavingAsks(page), 'nothing to lose before sending: leaving asks nothing');
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();

    const first = await chunks.next();
    // The first chunk request is held: no byte of the file has reached the server yet.
    await page.locator('.receipt-code').waitFor();
    t.match((await page.locator('.receipt-code').innerText()).replace(/\s+/g, ''), /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'the receipt is shown before any file is sent');
    await page.getByText('Hãy để trang này mở cho đến khi gửi xong các tệp').waitFor();
    t.same(await values(page, 'bien-lai.jpg'), { now: '0', max: String(file.length), text: 'Đã gửi 0 B / 1.2 MB (0%)' }, 'the file bar starts at 0 bytes of its size');
    t.same((await values(page, 'Tệp đính kèm đang được gửi')).max, String(file.length), 'the overall bar counts every byte to send');
    t.ok(await leavingAsks(page), 'leaving now asks first');
    t.same(await seriousViolations(page), [], 'no serious accessibility violation while sending');
    await shot('receipt-first-1-held-vi');

    await first.continue();
    const second = await chunks.next();
    await page.locator(`[role=progressbar][aria-valuenow="${16 * 65536}"]`).first().waitFor();
    t.same(await values(page, 'bien-lai.jpg'), { now: String(16 * 65536), max: String(file.length), text: 'Đã gửi 1.0 MB / 1.2 MB (80%)' }, 'the first batch is counted in bytes');
    t.same((await values(page, 'Tệp đính kèm đang được gửi')).now, String(16 * 65536), 'and overall');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Keep this page open until the files are sent').waitFor();
    t.equal((await values(page, 'bien-lai.jpg')).text, 'Sent 1.0 MB of 1.2 MB (80%)', 'the figures follow the language');
    await shot('receipt-first-2-half-en');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();

    await second.continue();
    await page.getByText('Đã gửi xong tất cả các tệp.').waitFor({ timeout: 60_000 });
    t.same((await values(page, 'Tệp đính kèm đang được gửi')).now, String(file.length), 'all bytes sent');
    t.notOk(await leavingAsks(page), 'once every file is sent, leaving asks nothing');
    await shot('receipt-first-3-done-vi');

    const receipt = (await page.locator('.receipt-code').innerText()).replace(/\s+/g, '');
    const publicNumber = ((await page.locator('.public-number').innerText()).split(':').pop() ?? '').trim();
    const staff = await intakeOfficer(s);
    const caseId = await staff.caseId(publicNumber);
    const { body } = await staff.open(caseId);
    t.ok((await staff.attachmentBytes(caseId, body.attachments[0]!)).equals(file), 'the file arrives whole');

    // The printed slip: code, number, agency, site, day (never a time), how to follow; no content.
    const row = await s.server.database.db.selectFrom('cases').select('received_on').where('id', '=', caseId).executeTakeFirstOrThrow();
    const receivedOn = typeof row.received_on === 'string' ? row.received_on : (row.received_on as Date).toISOString().slice(0, 10);
    await page.emulateMedia({ media: 'print' });
    const slip = page.locator('.slip');
    t.ok(await slip.isVisible(), 'the slip is printed');
    const printed = await slip.innerText();
    for (const [what_, value] of [
      ['receipt', receipt], ['public number', publicNumber], ['agency', s.agency.name], ['site address', s.server.url],
      ['day (vi)', formatDayIn('vi', receivedOn)], ['day (en)', receivedOn],
      ['how to follow (vi)', 'chọn "Theo dõi vụ việc đã gửi"'], ['how to follow (en)', 'choose "Follow a report you sent"'],
    ]) t.match(printed, value!, `the slip shows the ${what_}`);
    t.notMatch(printed, /\b\d{1,2}:\d{2}\b/, 'and no time of day');
    t.equal((await page.locator('body').innerText()).trim(), printed.trim(), 'nothing but the slip is printed');
    t.notMatch(printed, what, 'nothing of the report is on it');
    await shot('receipt-slip-print');
    await page.emulateMedia({ media: 'screen' });
    t.notOk(await slip.isVisible(), 'the slip is not on screen');

    // Hiding the code on screen; copying still copies it.
    const hide = page.getByRole('button', { name: 'Ẩn mã' });
    t.equal(await hide.getAttribute('aria-pressed'), 'false');
    await hide.click();
    t.equal(await hide.getAttribute('aria-pressed'), 'true', 'the toggle says it is on');
    t.notMatch(await page.locator('.receipt-code').innerText(), receipt.slice(0, 5), 'the code is hidden');
    await page.getByRole('button', { name: 'Sao chép mã' }).click();
    await page.getByText('Đã sao chép.').waitFor();
    t.equal(await page.evaluate(() => navigator.clipboard.readText()), receipt, 'copying a hidden code copies the code');
    await hide.click();
    t.equal((await page.locator('.receipt-code').innerText()).replace(/\s+/g, ''), receipt, 'shown again');
  });
}
