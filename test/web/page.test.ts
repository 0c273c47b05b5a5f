import t from 'tap';
import { generateReceipt, loadBackend } from '../../src/protocol/index.js';
import { caughtTypo } from '../helpers/receipt.js';
import { ARTIFACTS, browserOrSkip, buildPage, launchChromium, offOrigin, openBrowser, startServer } from './helpers.js';
import { screenshot } from '../helpers/screenshots.js';

// The page without a case behind it: JavaScript off, language switch, small screens,
// and a mistyped receipt caught before anything is sent.

if (browserOrSkip(t)) {
  t.test('with JavaScript off the page explains itself and cannot send anything', async (t) => {
    const built = await buildPage(t);
    const server = await startServer(t, built.outDir);
    const browser = await launchChromium();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
    t.teardown(() => context.close());
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(server.url);
    // innerText is what is rendered: the <noscript> explanation, in both languages.
    const shown = await page.locator('body').innerText();
    t.match(shown, 'Trang này cần JavaScript');
    t.match(shown, 'This page needs JavaScript');
    t.notMatch(shown, /Đang tải|Loading/, 'no "loading" line that would never go away');
    t.equal(await page.locator('form, input, textarea, button').count(), 0, 'nothing to type into, nothing to post');
    await screenshot(page, `${ARTIFACTS}/noscript-360.png`);
    t.ok(requests.every((u) => u.startsWith(server.url)), 'no request leaves the origin');
  });

  t.test('language switch, small screen, and a mistyped receipt caught locally', async (t) => {
    const built = await buildPage(t);
    const server = await startServer(t, built.outDir);
    const { page, requests, shot } = await openBrowser(t, server.url, { width: 360 });
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    t.equal(await page.getAttribute('html', 'lang'), 'vi');
    t.equal(await page.locator('.loading').count(), 0, 'the "loading" line of the HTML is gone once the page runs');
    await shot('empty-submit-vi-360');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    t.equal(overflow, 0, 'nothing wider than a 360 px screen');

    await page.getByRole('button', { name: 'English' }).click();
    t.equal(await page.getAttribute('html', 'lang'), 'en');
    t.ok(await page.getByRole('heading', { name: 'Send a new report' }).isVisible());
    await shot('empty-submit-en-360');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    t.equal(await page.getAttribute('html', 'lang'), 'vi');

    // Keyboard only: Tab reaches the controls in order, and focus is always visible.
    await page.locator('#app-title').click();
    await page.keyboard.press('Tab');
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'English', 'the language switch comes first');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    t.not(ring, 'none', 'the focused control shows an outline');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    t.equal(await page.locator('[data-view-section="followUp"]').isVisible(), true, 'Enter on a tab opens its view');


    const be = await loadBackend('noble');
    const good = generateReceipt(be);
    // One symbol changed so that the check symbol no longer matches.
    const typo = caughtTypo(good, 3);
    const before = requests.length;
    await page.getByRole('textbox', { name: 'Mã biên nhận (25 ký tự)' }).fill(typo);
    await page.getByRole('button', { name: 'Mở', exact: true }).click();
    await page.getByText('Mã biên nhận có lỗi đánh máy').waitFor();
    t.equal(await page.getByRole('textbox', { name: 'Mã biên nhận (25 ký tự)' }).getAttribute('aria-invalid'), 'true');
    t.same(requests.slice(before).map((r) => r.url()), [], 'no request was sent for the mistyped receipt');
    await shot('receipt-typo-vi-360');
    t.same(offOrigin(requests, server.url), [], 'no request leaves the origin');

    // The page's CSP enforces Trusted Types: an HTML string can never become markup.
    const injected = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<img src=x>');
        return 'inserted';
      } catch (err) {
        return (err as Error).name;
      }
    });
    t.equal(injected, 'TypeError', 'HTML injection is refused by the browser');
  });
}

if (browserOrSkip(t)) {
  t.test('fields are checked as the person types, once they have tried to send', async (t) => {
    const built = await buildPage(t);
    const server = await startServer(t, built.outDir);
    const { page, shot } = await openBrowser(t, server.url);
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    const what = page.getByLabel('Hành vi vi phạm là gì?');
    const errors = page.locator('.errors');
    const invalid = () => page.locator('[aria-invalid="true"]').count();

    // Before a first attempt, typing and clearing says nothing.
    await what.fill('x');
    await what.fill('');
    t.equal(await invalid(), 0, 'no field is marked before a send attempt');
    t.equal(await errors.innerText(), '', 'and nothing is said');

    await page.getByLabel('Tố cáo chính thức').check();
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    t.equal(await page.getByLabel('Chọn cơ quan').getAttribute('aria-invalid'), 'true', 'the agency is marked');
    t.equal(await what.getAttribute('aria-invalid'), 'true', 'the description is marked');
    t.equal(await page.getByLabel('Họ và tên').getAttribute('aria-invalid'), 'true', 'the identity is marked');
    t.equal(await page.evaluate(() => document.activeElement?.tagName), 'SELECT', 'focus goes to the first problem');
    t.match(await errors.innerText(), 'Hãy mô tả hành vi vi phạm.');
    await shot('validation-1-attempt-vi');

    // Fixing a field clears its mark and its message at once; the others stay.
    await what.pressSequentially('Ký khống');
    t.equal(await what.getAttribute('aria-invalid'), null, 'the fixed field is no longer marked');
    t.notMatch(await errors.innerText(), 'Hãy mô tả hành vi vi phạm.', 'and its message is gone');
    t.match(await errors.innerText(), 'Hãy chọn cơ quan nhận tố cáo.', 'the agency message stays');
    // Emptying it again adds nothing until the next attempt.
    await what.fill('');
    t.equal(await what.getAttribute('aria-invalid'), null, 'no new mark on a keystroke');
    await page.getByLabel('Họ và tên').fill('Lê E');
    t.equal(await page.getByLabel('Họ và tên').getAttribute('aria-invalid'), null, 'a filled identity field is cleared');
    t.match(await errors.innerText(), 'Tố cáo chính thức cần họ tên', 'while the other identity fields still miss');
    // Back to the anonymous track: the identity is no longer asked, so its message goes.
    await page.getByLabel('Tin báo nặc danh').check();
    t.notMatch(await errors.innerText(), 'Tố cáo chính thức cần họ tên', 'switching track clears the identity message');
    t.equal(await invalid(), 1, 'only the agency is still marked');
    await shot('validation-2-fixed-vi');
  });

  t.test('the follow-up receipt field is masked, with an accessible toggle, and pasting works', async (t) => {
    const built = await buildPage(t);
    const server = await startServer(t, built.outDir);
    const { page, shot } = await openBrowser(t, server.url);
    await page.getByRole('button', { name: 'Theo dõi vụ việc đã gửi' }).click();
    const input = page.getByRole('textbox', { name: 'Mã biên nhận (25 ký tự)' });
    const masking = () => input.evaluate((el) => getComputedStyle(el).getPropertyValue('-webkit-text-security'));
    t.equal(await input.getAttribute('type'), 'text', 'a text field, never a password field a browser would offer to save');
    t.equal(await masking(), 'disc', 'masked by default');
    const toggle = page.getByRole('button', { name: 'Hiện mã' });
    t.equal(await toggle.getAttribute('aria-pressed'), 'false');
    const receipt = generateReceipt(await loadBackend('noble'));
    await page.evaluate((r) => navigator.clipboard.writeText(r), receipt);
    await input.focus();
    await page.keyboard.press('Control+V');
    t.equal(await input.inputValue(), receipt, 'pasting into the masked field works');
    await shot('followup-masked-vi');
    await toggle.click();
    t.equal(await toggle.getAttribute('aria-pressed'), 'true', 'the toggle says the code is shown');
    t.equal(await masking(), 'none', 'and it is');
    await page.getByRole('button', { name: 'English' }).click();
    t.equal(await page.getByRole('button', { name: 'Show the code' }).getAttribute('aria-pressed'), 'true', 'the toggle is named in English too');
    await shot('followup-shown-en');
  });
}
