import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { Page } from 'playwright-core';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, secretEncodings, seriousViolations, settledFocus, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// An intake officer's first day in the console, in Debian's Chromium: signs in with the
// key file, passphrase and the agency fingerprint from the invitation, sees the inbox,
// opens a case and reads its decrypted text, a verified reply and a refused forgery —
// once from `tipline console` on 127.0.0.1 and once from the server's /staff/ (there with
// a pin file). Throughout: no request to another origin, nothing stored in the browser,
// neither the passphrase nor a secret key in any request, no serious accessibility
// violation, no CSP or Trusted Types complaint.

const ARTIFACTS = 'test-artifacts/console';
t.test('an intake officer reads a case in the console, locally and at /staff/', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t);
  const shot = (page: Page, name: string) => screenshot(page, join(ARTIFACTS, `${name}.png`));
  const browser = await launchChromium();
  const secrets = secretEncodings(s.officer.keys, s.passphrase);

  // `tipline console` on this machine, at 1280 px.
  const local = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  // The Blob download path: saving straight to a chosen file is test/console/download.test.ts.
  await local.addInitScript({ content: 'delete window.showSaveFilePicker;' });
  const w = await watch(local);
  const page = w.page;
  const loaded = await page.goto(s.localUrl);
  t.match(loaded?.headers()['content-security-policy'] ?? '', /require-trusted-types-for 'script'; trusted-types 'none'/, 'the console carries the strict CSP');
  await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
  t.same(await seriousViolations(page), [], 'sign-in: no serious or critical accessibility violation');
  await shot(page, 'signin-vi');

  await page.getByLabel('Tệp khóa của bạn').setInputFiles({ name: 'me.json', mimeType: 'application/json', buffer: Buffer.from(s.keyFile) });
  await page.getByLabel('Mật khẩu của tệp khóa').fill('not the passphrase');
  await page.getByRole('button', { name: 'Mở khóa và đăng nhập' }).click();
  await page.getByRole('alert').getByText('sai mật khẩu').waitFor();
  t.notOk(w.requests.some((r) => r.url().includes('/v1/')), 'a wrong passphrase is caught on this machine: no request');

  await signIn(page, s.keyFile, s.passphrase, { fingerprint: s.agency.fingerprint });
  await page.getByRole('heading', { name: 'Hộp vụ việc' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: s.publicNumber });
  await row.waitFor();
  t.match(await row.innerText(), /Tố cáo[\s\S]*Đã tiếp nhận/, 'the inbox shows the case, its kind and status in words');
  t.match(await page.locator('header.top').innerText(), s.officer.displayName, 'signed in under the officer\'s name');
  t.same(await seriousViolations(page), [], 'inbox: no serious or critical accessibility violation');
  await shot(page, 'inbox-vi');

  // From the keyboard: the case number is a real button, and focus lands on the opened case.
  await page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).focus();
  await page.keyboard.press('Enter');
  await page.getByText(s.body.summary.what!).waitFor();
  t.equal(await settledFocus(page, 'id', 'case-title'), 'case-title', 'focus moves to the case opened');
  const text = await page.locator('main').innerText();
  t.match(text, s.body.summary.who!, 'the decrypted body shows its structured fields');
  t.match(text, s.replyText, 'the signed reply is shown');
  t.match(text, `Chữ ký của ${s.officer.displayName} đã được kiểm tra`, 'with its checked signature and its author\'s name');
  t.match(text, 'Tin nhắn bị từ chối', 'the forged reply is marked refused');
  t.notMatch(text, s.forgedText, 'and its text is not shown');
  // The attachment: fetched, opened chunk by chunk and checked in the page, then saved.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Tải về (giải mã trên máy này): ${s.file.name}` }).click(),
  ]);
  t.equal(download.suggestedFilename(), 'sao kê_ tháng 3.pdf', 'saved under a safe name: no path, no colon');
  t.ok((await readFile((await download.path())!)).equals(s.file.bytes), 'the saved file is byte-identical to the one sent');
  await page.getByText('Đã kiểm tra toàn vẹn và lưu').waitFor();
  t.same(await seriousViolations(page), [], 'case view: no serious or critical accessibility violation');
  await shot(page, 'case-vi');

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: `Case ${s.publicNumber}` }).waitFor();
  t.match(await page.locator('main').innerText(), `Signature of ${s.officer.displayName} checked`, 'English beside Vietnamese');
  await shot(page, 'case-en');
  await page.getByRole('button', { name: 'Back to the inbox' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  await page.getByRole('row').filter({ hasText: s.publicNumber }).waitFor();
  await shot(page, 'inbox-en');

  t.same(await storageUsed(page, local), { localStorage: 0, sessionStorage: 0, indexedDB: 0, cookie: 0, caches: 0, contextCookies: 0 }, 'nothing stored in the browser');
  // Idle for longer than the limit: the console locks, ends the session and wipes the keys.
  await page.clock.install();
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.clock.fastForward('16:00');
  await page.getByRole('status').getByText('Locked after 15 minutes').waitFor();
  t.ok(w.requests.some((r) => r.url().endsWith('/v1/staff/logout')), 'idle expiry ends the session on the server too');
  await shot(page, 'signin-en');
  checkTraffic(t, w, new URL(s.localUrl).origin, secrets, 'local console');
  await local.close();

  // The server's /staff/, signed in with a pin file instead of a typed fingerprint, at 1024 px.
  const served = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const v = await watch(served);
  await v.page.goto(`${s.server.url}/staff/`);
  const pins = JSON.stringify({ [s.agency.id]: { fingerprint: s.agency.fingerprint, highestSerial: 1 } });
  await signIn(v.page, s.keyFile, s.passphrase, { pinFile: pins });
  await v.page.getByRole('row').filter({ hasText: s.publicNumber }).waitFor();
  await shot(v.page, 'staff-inbox-vi');
  await v.page.getByRole('button', { name: 'Đăng xuất' }).click();
  await v.page.getByRole('status').getByText('Đã đăng xuất').waitFor();
  t.ok(v.requests.some((r) => r.url().endsWith('/v1/staff/logout')), 'signing out ends the session on the server');
  t.same(await storageUsed(v.page, served), { localStorage: 0, sessionStorage: 0, indexedDB: 0, cookie: 0, caches: 0, contextCookies: 0 }, '/staff/: nothing stored');
  checkTraffic(t, v, s.server.url, secrets, '/staff/');
  await served.close();
});
