import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { Page } from 'playwright-core';
import { HttpClient } from '../../src/client/http.js';
import { encodeJson } from '../../src/client/plaintext.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { sealMessage } from '../../src/protocol/index.js';
import { postMessage } from '../../src/server/db/messages.js';
import { signIn } from './page-checks.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { consoleScene, type ConsoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// The inbox's unread marker in Chromium: the denouncer writes, the case's row carries
// "✉ Tin nhắn mới" and the unread filter keeps it; once the officer has opened the case
// and its thread was shown, the marker is gone and the filter leaves nothing; the
// denouncer writes again and it is back. The notifications panel counts the same news
// (and the top bar's badge), and takes the officer's e-mail digest, in both languages.

const ARTIFACTS = 'test-artifacts/console';

/** A message from the denouncer, sealed with the case's content key as their device seals it. */
async function denouncerWrites(s: ConsoleScene, text: string): Promise<void> {
  const http = new HttpClient({ baseUrl: s.server.url });
  const officer = new StaffClient(http, await login(http, s.officer.id, s.officer.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
  const caseId = (await officer.cases()).cases.find((c) => c.publicNumber === s.publicNumber)!.caseId;
  const { contentKey } = await officer.openCase(caseId, s.officer.keys);
  const messageId = randomUUID();
  const ciphertext = sealMessage(s.agency.be, { agencyId: s.agency.id, caseId }, contentKey, {
    messageId, direction: 'from_denouncer', plaintext: encodeJson({ text, attachments: [] }),
  });
  await postMessage(s.server.database.db, { id: messageId, caseId, direction: 'from_denouncer', authorId: null, ciphertext, signature: null });
  await officer.logout();
}

async function axeSerious(page: Page): Promise<string[]> {
  await page.evaluate(await readFile('node_modules/axe-core/axe.min.js', 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
    return (await axe.run()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}

t.test('the unread marker appears when the denouncer writes and clears once the thread is shown', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t);
  await denouncerWrites(s, 'Tôi có thêm chứng cứ.');
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(s.localUrl);
  await signIn(page, s.keyFile, s.passphrase, { fingerprint: s.agency.fingerprint });

  const row = page.getByRole('row').filter({ hasText: s.publicNumber });
  await row.waitFor();
  t.match(await row.innerText(), '✉ Tin nhắn mới', 'the row says in words and a symbol that a message is unread');
  const filter = page.getByLabel('Chỉ vụ việc có tin nhắn chưa đọc');
  await filter.check();
  await page.getByRole('status').getByText('1 vụ việc').waitFor();
  t.ok(await row.isVisible(), 'the unread filter keeps the case');
  t.same(await axeSerious(page), [], 'inbox with the marker: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'inbox-unread-vi.png'));

  const marked = page.waitForResponse((r) => r.url().endsWith('/read') && r.request().method() === 'POST');
  await page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await page.getByText('Tôi có thêm chứng cứ.').waitFor();
  t.equal((await marked).status(), 200, 'the thread, once shown, is marked read');
  await page.getByRole('button', { name: 'Quay lại hộp vụ việc' }).click();
  await row.waitFor();
  t.notMatch(await row.innerText(), 'Tin nhắn mới', 'back in the inbox, the marker is gone');
  await filter.check();
  await page.getByText('Không có vụ việc nào.').waitFor();
  t.pass('and the unread filter leaves no case');

  await denouncerWrites(s, 'Xin hãy trả lời.');
  await filter.uncheck();
  await filter.check();
  await row.waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.setViewportSize({ width: 1024, height: 800 });
  t.match(await row.innerText(), '✉ New message', 'the denouncer wrote again: the marker is back, in English too');
  await screenshot(page, join(ARTIFACTS, 'inbox-unread-en.png'));

  // The same news as counts: the top bar's badge, and the notifications panel with its e-mail digest.
  const bell = page.getByRole('button', { name: /^Notifications \d+ items waiting$/ });
  await bell.waitFor();
  await bell.click();
  const replies = page.getByRole('row', { name: /Cases with an unread message from the denouncer/ });
  t.match(await replies.innerText(), /\b1\b/, 'one case with an unread message, counted');
  t.notMatch(await page.locator('main').innerText(), s.publicNumber, 'the panel names no case');
  await page.getByLabel('Your work e-mail address').fill('tiep.nhan@agency.test');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').getByText('Saved: the digest goes to tiep.nhan@agency.test.').waitFor();
  t.same(await axeSerious(page), [], 'notifications in English: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'notifications-en.png'));
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await page.getByRole('heading', { name: 'Việc đang chờ bạn' }).waitFor();
  await page.getByRole('button', { name: 'Tắt thư thông báo' }).waitFor();
  await page.getByRole('status').getByText('Đã lưu: thư gửi tới tiep.nhan@agency.test.').waitFor();
  t.same(await axeSerious(page), [], 'notifications in Vietnamese: no serious or critical accessibility violation');
  await screenshot(page, join(ARTIFACTS, 'notifications-vi.png'));
  await replies.or(page.getByRole('row', { name: /Hồ sơ có tin nhắn chưa đọc/ })).first().getByRole('button', { name: 'Mở mục Hộp vụ việc' }).click();
  await row.waitFor();
  t.pass('the count leads into the inbox');
  await context.close();
});
