import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Browser, Page } from 'playwright-core';
import { HttpClient } from '../../src/client/http.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { requestIdentity } from '../../src/client/staff-identity.js';
import { requestProtectionDetails } from '../../src/client/staff-protection.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { submitCase } from '../../src/client/denouncer.js';
import { toBase64Url } from '../../src/protocol/index.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import type { FixtureStaff } from '../helpers/fixtures.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { NOTHING_STORED, seriousViolations, settledFocus, signIn, storageUsed, watch, type Watched } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// Two custodians of three release a denouncer's identity from the console, in Vietnamese,
// with no terminal: an investigator has asked (set up with the SDK); custodian 1 approves
// with the mouse, custodian 3 refuses with a reason, custodian 2 approves from the
// keyboard alone; the investigator then reads the identity in the console. An urgent
// protection request's details, asked for by the supervisor, are listed first and
// decided in the console too, and the supervisor reads them there. Throughout: axe, no
// request elsewhere, nothing stored, and neither keys, passphrase nor the identity in
// any request.

t.setTimeout(600_000);
const ARTIFACTS = 'test-artifacts/console';
const PASSPHRASE = 'mật khẩu người giữ khóa 2026';
const IDENTITY = { name: 'Trần Thị Bích', address: '12 Hàng Bài, Hà Nội', contact: '0912 345 678' };
const DETAILS = { reasons: 'Giám đốc dọa điều chuyển tôi.', measures: 'Giữ nguyên vị trí công tác.', urgent: true };
const WHY = 'Cần mời người tố cáo làm việc trực tiếp';

interface Custody {
  s: ConsoleScene; browser: Browser; investigator: FixtureStaff; supervisor: FixtureStaff; custodians: FixtureStaff[];
  publicNumber: string; identityAsk: string; protectionAsk: string;
}

const keyFileOf = (s: ConsoleScene, p: FixtureStaff) => keyFileFor(s.agency, p, PASSPHRASE);

async function clientOf(s: ConsoleScene, p: FixtureStaff): Promise<StaffClient> {
  const http = new HttpClient({ baseUrl: s.server.url });
  return new StaffClient(http, await login(http, p.id, p.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
}

/** A case with an identity, granted to the investigator, who asks for it; an urgent protection request whose details the supervisor asks for. */
async function setup(t: Test): Promise<Custody> {
  const s = await consoleScene(t, { agency: { investigators: 1, custodians: 3, threshold: 2, extraStaff: [['supervisor']] } });
  const [intake] = s.agency.withRole('intake');
  const [investigator] = s.agency.withRole('investigator');
  const [supervisor] = s.agency.withRole('supervisor');
  const sent = await submitCase({
    server: s.server.url, agency: s.agency.slug, pinnedFingerprint: s.agency.fingerprint, body: { what: 'Nhận hối lộ' }, identity: IDENTITY,
  });
  await (await clientOf(s, intake!)).grant(sent.caseId, { staffId: investigator!.id }, intake!.keys);
  const identityAsk = await requestIdentity(await clientOf(s, investigator!), sent.caseId, WHY, investigator!.keys);
  const page = receiptWorkflow(s.agency.be, sent.receipt, s.server.url);
  await page.requestProtection({ agencyId: s.agency.id, caseId: sent.caseId }, s.agency.bundle, DETAILS);
  page.forget();
  const row = await s.server.database.db.selectFrom('protection_requests').select('id').where('case_id', '=', sent.caseId).executeTakeFirstOrThrow();
  const protectionAsk = await requestProtectionDetails(await clientOf(s, supervisor!), row.id, 'Để phối hợp với công an', supervisor!.keys);
  const browser = await launchChromium();
  return { s, browser, investigator: investigator!, supervisor: supervisor!, custodians: s.agency.withRole('custodian'), publicNumber: sent.publicNumber, identityAsk, protectionAsk };
}

/**
 * Signs in at `tipline console`. A custodian who does no casework lands on the Requests
 * view, with no inbox to go back to; anyone else lands on the inbox.
 */
async function signedIn(c: Custody, p: FixtureStaff, width: number): Promise<Watched & { close: () => Promise<void> }> {
  const context = await c.browser.newContext({ viewport: { width, height: 900 } });
  const w = await watch(context);
  await w.page.goto(c.s.localUrl);
  await signIn(w.page, await keyFileOf(c.s, p), PASSPHRASE, { fingerprint: c.s.agency.fingerprint });
  const custodianOnly = p.roles.every((r) => r === 'custodian');
  await w.page.getByRole('heading', { name: custodianOnly ? 'Yêu cầu mở danh tính và thông tin bảo vệ' : 'Hộp vụ việc' }).waitFor();
  if (custodianOnly && (await w.page.getByRole('button', { name: 'Hộp vụ việc' }).count()) > 0) throw new Error('a custodian was offered an inbox');
  return { ...w, close: () => context.close() };
}

const item = (page: Page, subject: 'Danh tính người tố cáo' | 'Thông tin yêu cầu bảo vệ') => page.locator('li.request').filter({ has: page.getByRole('heading', { name: subject }) });
const shot = (page: Page, name: string) => screenshot(page, join(ARTIFACTS, `${name}.png`));

/** Presses Tab until the focused element's text is `name` (keyboard-only flows). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')) === name) return;
  }
  throw new Error(`no focusable "${name}" reached with Tab`);
}

function checkTraffic(t: Test, w: Watched, c: Custody, p: FixtureStaff, who: string): void {
  const secrets = [p.keys.signSecretKey, p.keys.boxSecretKey].flatMap((k) => [toBase64Url(k), Buffer.from(k).toString('base64'), Buffer.from(k).toString('hex')])
    .concat([PASSPHRASE, encodeURIComponent(PASSPHRASE), IDENTITY.name, IDENTITY.contact, DETAILS.measures]);
  const origin = new URL(c.s.localUrl).origin;
  t.same(w.requests.map((r) => r.url()).filter((u) => new URL(u).origin !== origin && !u.startsWith('data:')), [], `${who}: no request leaves ${origin}`);
  t.same(w.requests.filter((r) => secrets.some((x) => (r.postData() ?? '').includes(x) || r.url().includes(encodeURIComponent(x)))).map((r) => r.url()), [],
    `${who}: no key, passphrase, identity or detail in any request`);
  t.same(w.problems.filter((x) => /Content Security Policy|Trusted Type|Refused/i.test(x)), [], `${who}: no CSP or Trusted Types complaint`);
}

/** Custodian 1, with the mouse, at 1280 px: the urgent protection ask first, then the identity; approves both. */
async function custodianOneApproves(t: Test, c: Custody): Promise<void> {
  const c1 = c.custodians[0]!;
  const one = await signedIn(c, c1, 1280);
  const p = one.page;
  await item(p, 'Danh tính người tố cáo').getByText(WHY).waitFor();
  const headings = await p.locator('li.request h3').allInnerTexts();
  t.match(headings[0], /Thông tin yêu cầu bảo vệ[\s\S]*Khẩn/, 'the urgent protection ask comes first');
  t.match(headings[1], `Danh tính người tố cáo — vụ việc ${c.publicNumber}`, 'then the identity, with the case number');
  const identity = item(p, 'Danh tính người tố cáo');
  const text = await identity.innerText();
  t.match(text, c.investigator.displayName, 'who asks, by name');
  t.match(text, c.investigator.id, 'with the staff id beside it');
  t.match(text, /0\/2 người giữ khóa đã phê duyệt/, 'how many of m approved');
  t.match(text, 'Chữ ký của người yêu cầu đã được kiểm tra', 'the check against the bundle');
  t.same(await seriousViolations(p), [], 'requests: no serious or critical accessibility violation');
  await shot(p, 'custody-vi-1280');

  await identity.getByRole('button', { name: 'Phê duyệt…' }).click();
  const confirm = identity.locator('section.confirm');
  await confirm.getByText(WHY).waitFor();
  const restated = await confirm.innerText();
  t.match(restated, new RegExp(`Mở\\s+Danh tính người tố cáo — vụ việc ${c.publicNumber}`), 'the confirmation restates what opens, for which case');
  t.match(restated, new RegExp(`Gửi mảnh khóa cho\\s+${c.investigator.displayName} ${c.investigator.id}`), 'who gets the share');
  t.match(restated, new RegExp(`Lý do\\s+${WHY}`), 'and why');
  t.equal(await c.s.server.database.db.selectFrom('identity_decisions').select('custodian_id').execute().then((r) => r.length), 0, 'nothing released by the first click');
  t.same(await seriousViolations(p), [], 'confirmation: no serious or critical accessibility violation');
  await shot(p, 'custody-confirm-vi-1280');
  await confirm.getByRole('button', { name: 'Gửi mảnh khóa của tôi' }).click();
  await p.getByRole('status').filter({ hasText: `Đã phê duyệt yêu cầu cho vụ việc ${c.publicNumber}` }).waitFor();
  await identity.getByText('1/2 người giữ khóa đã phê duyệt').waitFor();
  t.ok(await identity.getByRole('button', { name: 'Phê duyệt…' }).isDisabled(), 'a second decision is disabled');
  t.match(await identity.innerText(), 'Bạn đã phê duyệt yêu cầu này; mỗi người giữ khóa chỉ quyết định một lần.', 'with the reason in words');

  // The protection ask, approved by custodian 1 too.
  const protection = item(p, 'Thông tin yêu cầu bảo vệ');
  await protection.getByRole('button', { name: 'Phê duyệt…' }).click();
  await protection.getByRole('button', { name: 'Gửi mảnh khóa của tôi' }).click();
  await protection.getByText('1/2 người giữ khóa đã phê duyệt').waitFor();
  await p.getByRole('button', { name: 'English' }).click();
  await p.getByRole('heading', { name: 'Identity and protection-detail requests' }).waitFor();
  t.match(await p.locator('main').innerText(), 'You approved this request; each custodian decides once.', 'English beside Vietnamese');
  await shot(p, 'custody-en-1280');
  t.same(await storageUsed(p, p.context()), NOTHING_STORED, 'nothing stored in the browser');
  checkTraffic(t, one, c, c1, 'custodian 1');
  await one.close();
}

/** Custodian 3 refuses the identity request: a reason is required. */
async function custodianThreeRefuses(t: Test, c: Custody): Promise<void> {
  const c3 = c.custodians[2]!;
  const three = await signedIn(c, c3, 1024);
  const refused = item(three.page, 'Danh tính người tố cáo');
  await refused.getByRole('button', { name: 'Từ chối…' }).click();
  await refused.getByText(WHY).nth(1).waitFor();
  await refused.getByRole('button', { name: 'Xác nhận từ chối' }).click();
  await refused.getByRole('alert').getByText('Hãy ghi lý do từ chối').waitFor();
  t.equal((await c.s.server.database.db.selectFrom('identity_decisions').select('custodian_id').execute()).length, 2, 'no refusal without a reason');
  await refused.getByLabel('Lý do từ chối (bắt buộc)').fill('Chưa nêu rõ vì sao cần gặp trực tiếp');
  await shot(three.page, 'custody-refuse-vi-1024');
  await refused.getByRole('button', { name: 'Xác nhận từ chối' }).click();
  await three.page.getByRole('status').filter({ hasText: 'Đã từ chối yêu cầu' }).waitFor();
  await refused.getByText('Chưa nêu rõ vì sao cần gặp trực tiếp').waitFor();
  checkTraffic(t, three, c, c3, 'custodian 3');
  await three.close();
}

/** Custodian 2, from the keyboard alone, at 1024 px, approves both: the identity is released. */
async function custodianTwoApprovesByKeyboard(t: Test, c: Custody): Promise<void> {
  const c2 = c.custodians[1]!;
  const two = await signedIn(c, c2, 1024);
  const k = two.page;
  await item(k, 'Danh tính người tố cáo').getByText(WHY).waitFor();
  t.equal(await settledFocus(k, 'id', 'custody-title'), 'custody-title', 'focus lands on the Requests view');
  await shot(k, 'custody-vi-1024');
  await tabTo(k, 'Phê duyệt…'); // the protection ask's, listed first
  await tabTo(k, 'Phê duyệt…'); // the identity's
  t.ok(await item(k, 'Danh tính người tố cáo').getByRole('button', { name: 'Phê duyệt…' }).evaluate((b) => b === document.activeElement), 'Tab reaches the identity request\'s approve button');
  await k.keyboard.press('Enter');
  await k.getByRole('button', { name: 'Gửi mảnh khóa của tôi' }).and(k.locator(':enabled')).waitFor();
  t.equal(await settledFocus(k, 'id', 'approve-title'), 'approve-title', 'focus moves to the confirmation');
  await tabTo(k, 'Gửi mảnh khóa của tôi');
  await k.keyboard.press('Enter');
  await k.getByRole('status').filter({ hasText: 'Trạng thái: Đã đủ phê duyệt' }).waitFor();
  t.pass('the identity request is approved by two custodians');
  // The protection ask, also from the keyboard.
  await tabTo(k, 'Phê duyệt…');
  await k.keyboard.press('Enter');
  await k.getByRole('button', { name: 'Gửi mảnh khóa của tôi' }).and(k.locator(':enabled')).waitFor();
  await tabTo(k, 'Gửi mảnh khóa của tôi');
  await k.keyboard.press('Enter');
  await item(k, 'Thông tin yêu cầu bảo vệ').getByText('2/2 người giữ khóa đã phê duyệt').waitFor();
  await k.getByRole('button', { name: 'English' }).click();
  await k.getByRole('heading', { name: 'Identity and protection-detail requests' }).waitFor();
  t.match(await k.locator('main').innerText(), `You approved the request for case ${c.publicNumber}. Status: Approved.`, 'what the decision did, in the language shown');
  await shot(k, 'custody-en-1024');
  checkTraffic(t, two, c, c2, 'custodian 2');
  await two.close();
}

/** The investigator reads the identity in the console; closing the panel or the view clears it. */
async function investigatorReads(t: Test, c: Custody): Promise<void> {
  const inv = await signedIn(c, c.investigator, 1280);
  const r = inv.page;
  await r.getByRole('button', { name: 'Yêu cầu mở danh tính' }).click();
  const mine = item(r, 'Danh tính người tố cáo');
  await mine.getByText('Chưa nêu rõ vì sao cần gặp trực tiếp').waitFor();
  t.match(await mine.innerText(), /2\/2 người giữ khóa đã phê duyệt/, 'the requester sees the status and the refusal reason');
  t.equal(await mine.getByRole('button', { name: 'Phê duyệt…' }).count(), 0, 'no decision buttons for a requester who is not a custodian');
  await mine.getByRole('button', { name: 'Đọc danh tính…' }).click();
  await mine.getByText('không gửi đi đâu').waitFor();
  t.notMatch(await r.locator('main').innerText(), IDENTITY.name, 'nothing opens before the warning is confirmed');
  await mine.getByRole('button', { name: 'Ghép mảnh khóa và đọc' }).click();
  await mine.getByText(IDENTITY.name).waitFor();
  t.match(await mine.innerText(), new RegExp(`Họ tên\\s+${IDENTITY.name}[\\s\\S]*Địa chỉ\\s+${IDENTITY.address}[\\s\\S]*Cách liên lạc\\s+${IDENTITY.contact}`), 'the identity, combined and opened in the page');
  t.same(await seriousViolations(r), [], 'reveal: no serious or critical accessibility violation');
  await shot(r, 'custody-reveal-vi-1280');
  await mine.getByRole('button', { name: 'Đóng và xóa khỏi màn hình' }).click();
  t.notMatch(await r.locator('main').innerText(), IDENTITY.name, 'closing clears it');
  await mine.getByRole('button', { name: 'Đọc danh tính…' }).click();
  await mine.getByRole('button', { name: 'Ghép mảnh khóa và đọc' }).click();
  await mine.getByText(IDENTITY.name).waitFor();
  await r.getByRole('button', { name: 'English' }).click();
  await r.getByText('Opened on this machine').waitFor();
  await shot(r, 'custody-reveal-en-1280');
  await r.getByRole('button', { name: 'Inbox' }).click();
  await r.getByRole('heading', { name: 'Inbox' }).waitFor();
  t.notMatch(await r.locator('body').innerText(), IDENTITY.name, 'leaving the view clears it too');
  t.same(await storageUsed(r, r.context()), NOTHING_STORED, 'nothing stored in the browser');
  checkTraffic(t, inv, c, c.investigator, 'investigator');
  await inv.close();
}

/** The supervisor reads the protection details the same way. */
async function supervisorReads(t: Test, c: Custody): Promise<void> {
  const sup = await signedIn(c, c.supervisor, 1024);
  await sup.page.getByRole('button', { name: 'Yêu cầu mở danh tính' }).click();
  const asked = item(sup.page, 'Thông tin yêu cầu bảo vệ');
  await asked.getByRole('button', { name: 'Đọc thông tin bảo vệ…' }).click();
  await asked.getByRole('button', { name: 'Ghép mảnh khóa và đọc' }).click();
  await asked.getByText(DETAILS.measures).waitFor();
  t.match(await asked.innerText(), /Khẩn cấp\s+Có/, 'the details open in the page, in words');
  checkTraffic(t, sup, c, c.supervisor, 'supervisor');
  await sup.close();
}

t.test('custodians decide in the console and the requesters read there', async (t) => {
  if (!browserOrSkip(t)) return;
  const c = await setup(t);
  await custodianOneApproves(t, c);
  await custodianThreeRefuses(t, c);
  await custodianTwoApprovesByKeyboard(t, c);
  await investigatorReads(t, c);
  await supervisorReads(t, c);
});
