import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Browser, Page } from 'playwright-core';
import { HttpClient } from '../../src/client/http.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { publishBundle } from '../../src/client/staff-bundle.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { decryptKeyFile, staffKeyFingerprint } from '../../src/protocol/index.js';
import type { FixtureStaff } from '../helpers/fixtures.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, settledFocus, signIn, storageUsed, watch, type Watched } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// A member rotates their own key without a terminal (PROTOCOL.md §7.1). The intake
// officer (vi, 1280 px) is stopped in the page by a short passphrase and by two that
// differ, then makes the new key in the page: the key file is downloaded, every key they
// hold is re-sealed, and the page gives the new fingerprint and what to do next. The admin
// (en, 1024 px) sees the rotated key in the bundle part with that fingerprint; the bundle
// is published with it (SDK, as `tipline bundle publish` on the agency key's machine), the
// old key file no longer logs in, and the officer signs in with the downloaded file and
// reads the case. Throughout: axe, no other origin, nothing stored, no secret sent.

t.setTimeout(300_000);
const ARTIFACTS = 'test-artifacts/console';
const PASSPHRASE = 'mật khẩu cũ của cán bộ 2026';
const NEW_PASSPHRASE = 'mật khẩu tệp khóa mới 2027';

async function clientOf(s: ConsoleScene, p: FixtureStaff): Promise<StaffClient> {
  const http = new HttpClient({ baseUrl: s.server.url });
  return new StaffClient(http, await login(http, p.id, p.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
}

async function signedIn(t: Test, browser: Browser, s: ConsoleScene, keyFile: string, passphrase: string, width: number): Promise<Watched & { close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const w = await watch(context);
  await w.page.goto(s.localUrl);
  await signIn(w.page, keyFile, passphrase, { fingerprint: s.agency.fingerprint });
  await w.page.locator('header.top .who').waitFor();
  t.teardown(() => context.close().catch(() => undefined));
  return { ...w, close: async () => { t.same(await storageUsed(w.page, context), NOTHING_STORED, 'nothing stored in the browser'); await context.close(); } };
}

const shot = (page: Page, name: string) => screenshot(page, join(ARTIFACTS, `${name}.png`));

async function rotateInPage(t: Test, s: ConsoleScene, w: Watched): Promise<{ file: string; fingerprint: string }> {
  const p = w.page;
  await p.locator('header.top').getByRole('button', { name: 'Khóa của tôi' }).click();
  await p.getByRole('heading', { name: 'Khóa của tôi', level: 2 }).waitFor();
  t.equal(await settledFocus(p, 'id', 'keys-title'), 'keys-title', 'focus on the section heading');
  const officer = s.agency.withRole('intake')[0]!;
  t.match(await p.locator('section.own-key').innerText(), staffKeyFingerprint(s.agency.be, officer.keys.signPublicKey, officer.keys.boxPublicKey), 'the key in use, by its fingerprint');
  await p.getByText('Chưa có lần xoay khóa nào đang chờ.').waitFor();
  const rotate = p.getByRole('button', { name: 'Tạo khóa mới và xoay khóa' });
  await p.getByLabel('Mật khẩu cho tệp khóa mới').fill('ngắn');
  await p.getByLabel('Nhập lại mật khẩu').fill('ngắn');
  await rotate.click();
  await p.getByRole('alert').filter({ hasText: 'Mật khẩu cần ít nhất 8 ký tự.' }).waitFor();
  await p.getByLabel('Mật khẩu cho tệp khóa mới').fill(NEW_PASSPHRASE);
  await p.getByLabel('Nhập lại mật khẩu').fill(`${NEW_PASSPHRASE}!`);
  await rotate.click();
  await p.getByRole('alert').filter({ hasText: 'Hai lần nhập mật khẩu không khớp nhau.' }).waitFor();
  t.notOk(w.requests.some((r) => r.method() === 'POST' && r.url().includes('/v1/staff/rotation')), 'a passphrase refused in the page sends nothing');
  t.same(await seriousViolations(p), [], 'my key: no serious or critical accessibility violation');

  await p.getByLabel('Nhập lại mật khẩu').fill(NEW_PASSPHRASE);
  const [download] = await Promise.all([p.waitForEvent('download'), rotate.click()]);
  const file = await readFile((await download.path())!, 'utf8');
  t.match(download.suggestedFilename(), /^tipline-key-\d{4}-\d{2}-\d{2}\.json$/, 'the new key file is downloaded under a dated name');
  const done = p.locator('section.rotated');
  await done.getByRole('heading', { name: 'Đã niêm phong lại 1 khóa cho khóa mới.' }).waitFor();
  t.equal(await settledFocus(p, 'id', 'keys-done-title'), 'keys-done-title', 'focus on the outcome');
  const fingerprint = (await done.locator('code.fingerprint').innerText()).trim();
  const unlocked = await decryptKeyFile(file, NEW_PASSPHRASE);
  t.equal(fingerprint, staffKeyFingerprint(s.agency.be, unlocked.keys.signPublicKey, unlocked.keys.boxPublicKey), 'the fingerprint shown is the downloaded key\'s');
  t.same([unlocked.meta.staffId, unlocked.meta.agencyId], [officer.id, s.agency.id], 'the key file is enrolled as the officer, in the agency');
  t.equal(JSON.parse(file).kdf.alg, 'argon2id13', 'protected by Argon2id, in the key-file format');
  const text = await done.innerText();
  t.match(text, 'Tự đọc dấu vân tay khóa mới ở trên cho quản trị viên', 'what to do next: read the fingerprint to the admin');
  t.match(text, 'công bố gói khóa mới', 'who then publishes it');
  await p.getByText('Xoay lại sẽ thay lần xoay đang chờ này').waitFor();
  await p.getByText(`sang khóa ${fingerprint}; mọi khóa đã được niêm phong lại`).waitFor();
  t.same(await seriousViolations(p), [], 'rotated: no serious or critical accessibility violation');
  await shot(p, 'keys-rotated-vi');
  await p.getByRole('button', { name: 'English' }).click();
  await done.getByRole('heading', { name: 'Keys re-sealed to the new key: 1.' }).waitFor();
  t.match(await done.innerText(), /Read the new fingerprint above to your admin yourself[\s\S]*keep signing in with the old key file/, 'English beside Vietnamese');
  await shot(p, 'keys-rotated-en');
  checkTraffic(t, w, new URL(s.localUrl).origin, [...secretEncodings(officer.keys, PASSPHRASE), ...secretEncodings(unlocked.keys, NEW_PASSPHRASE)], 'rotation');
  return { file, fingerprint };
}

t.test('a member rotates their key in the page, and opens a case with the new key file', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { extraStaff: [['admin']] } });
  const officer = s.agency.withRole('intake')[0]!;
  const admin = s.agency.withRole('admin')[0]!;
  const browser = await launchChromium();
  t.teardown(() => browser.close());

  const w = await signedIn(t, browser, s, await keyFileFor(s.agency, officer, PASSPHRASE), PASSPHRASE, 1280);
  const { file, fingerprint } = await rotateInPage(t, s, w);
  await w.close();

  // The admin's bundle part names the rotated key by the fingerprint the officer reads out.
  const a = await signedIn(t, browser, s, await keyFileFor(s.agency, admin, PASSPHRASE), PASSPHRASE, 1024);
  await a.page.getByRole('button', { name: 'English' }).click();
  await a.page.getByRole('button', { name: 'Key bundle' }).click();
  const member = a.page.locator('ul.bundle-members li').filter({ hasText: officer.displayName });
  await member.locator('.rotated').waitFor();
  t.match(await member.innerText(), fingerprint, 'the rotated key, by its new fingerprint');
  t.match(await member.innerText(), 'signed by the old key', 'marked as a rotation the old key signed');
  t.same(await seriousViolations(a.page), [], 'bundle with a rotation: no serious or critical accessibility violation');
  await shot(a.page, 'keys-bundle-en');
  await a.close();
  await publishBundle(await clientOf(s, admin), s.agency.keys, { accept: [fingerprint] });
  await t.rejects(clientOf(s, officer), 'once published, the old key no longer logs in');

  const n = await signedIn(t, browser, s, file, NEW_PASSPHRASE, 1280);
  await n.page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await n.page.getByText(s.body.summary.what!).waitFor();
  t.match(await n.page.locator('main').innerText(), s.body.summary.who!, 'the new key file opens the case');
  await n.close();
});
