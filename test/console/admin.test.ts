import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Browser, Page } from 'playwright-core';
import { HttpClient } from '../../src/client/http.js';
import { enrol } from '../../src/client/staff.js';
import { loadBackend, staffKeyFingerprint } from '../../src/protocol/index.js';
import type { FixtureStaff } from '../helpers/fixtures.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, settledFocus, signIn, storageUsed, watch, type Watched } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// An agency's administration without a terminal. The admin (vi, 1280 px) sees the staff
// beside the verified bundle, invites a member — the one-time code shown once, with the
// fingerprint of their own pin, and gone on leaving the part — and deactivates the
// investigator after a confirmation. The new member enrols with that code (SDK); the
// bundle part then names them with their fingerprint, leaves the investigator out, and
// gives the `tipline bundle publish` command with only the ticked fingerprints. The head
// of agency (en, 1024 px) adds and removes a holiday and places a legal hold on a case
// past its retention. Intake finds the case only the investigator held flagged. Throughout: axe, no other origin, nothing stored, no secret sent.

t.setTimeout(600_000);
const ARTIFACTS = 'test-artifacts/console';
const PASSPHRASE = 'mật khẩu quản trị 2026';
const NEWCOMER = 'Nguyễn Thị Mới';
const HOLIDAY = 'Nghỉ theo quyết định 12/QĐ-UBND';
const BASIS = 'Quyết định của Tòa án 34/2026';

interface Admin { s: ConsoleScene; browser: Browser; admin: FixtureStaff; head: FixtureStaff; investigator: FixtureStaff; intake: FixtureStaff; caseId: string }

async function setup(t: Test): Promise<Admin> {
  const s = await consoleScene(t, { agency: { investigators: 1, extraStaff: [['admin'], ['supervisor']] } });
  const db = s.server.database.db;
  // The scene's case, closed eleven years ago: past any retention period.
  const kase = await db.selectFrom('cases').select('id').where('public_number', '=', s.publicNumber).executeTakeFirstOrThrow();
  await db.updateTable('cases').set({ closed_on: '2015-04-10' }).where('id', '=', kase.id).execute();
  // Assigned to the investigator alone, who leaves: the case is flagged to intake.
  const intake = s.agency.withRole('intake')[0]!;
  const investigator = s.agency.withRole('investigator')[0]!;
  await db.insertInto('case_keys').values({
    id: crypto.randomUUID(), case_id: kase.id, recipient: 'staff', staff_id: investigator.id, wrapped: new Uint8Array(114), granted_by: intake.id, signature: new Uint8Array(64),
  }).execute();
  return {
    s, browser: await launchChromium(), caseId: kase.id, intake,
    admin: s.agency.withRole('admin')[0]!, head: s.agency.withRole('supervisor')[0]!, investigator: s.agency.withRole('investigator')[0]!,
  };
}

async function signedIn(a: Admin, p: FixtureStaff, width: number): Promise<Watched & { close: () => Promise<void> }> {
  const context = await a.browser.newContext({ viewport: { width, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const w = await watch(context);
  await w.page.goto(a.s.localUrl);
  await signIn(w.page, await keyFileFor(a.s.agency, p, PASSPHRASE), PASSPHRASE, { fingerprint: a.s.agency.fingerprint });
  await w.page.locator('header.top .who').waitFor();
  return { ...w, close: () => context.close() };
}

const shot = (page: Page, name: string) => screenshot(page, join(ARTIFACTS, `${name}.png`));
const row = (page: Page, text: string) => page.locator('tbody tr').filter({ hasText: text });

function pageChecks(t: Test, a: Admin, w: Watched, p: FixtureStaff, who: string): void {
  checkTraffic(t, w, new URL(a.s.localUrl).origin, secretEncodings(p.keys, PASSPHRASE), who);
}

async function adminDay(t: Test, a: Admin): Promise<void> {
  const w = await signedIn(a, a.admin, 1280);
  const p = w.page;
  // An admin who does no casework lands on Administration.
  await p.getByRole('heading', { name: 'Quản trị cơ quan' }).waitFor();
  await p.getByRole('heading', { name: 'Cán bộ của cơ quan' }).waitFor();
  await p.getByText('Gói khóa hiện hành: số 1, đã kiểm tra.').waitFor();
  const inv = row(p, a.investigator.displayName);
  t.match(await inv.innerText(), /cán bộ xác minh[\s\S]*đang hoạt động/, 'the investigator, with role and status');
  t.match(await inv.locator('td').first().innerText(), a.investigator.displayName, 'the name the bundle signs, beside the server\'s');
  t.same(await seriousViolations(p), [], 'staff: no serious or critical accessibility violation');

  // Invite: a missing role is caught in the page; then the code, once.
  await p.getByLabel('Họ tên').fill(NEWCOMER);
  await p.getByRole('button', { name: 'Tạo giấy mời' }).click();
  await p.getByRole('alert').filter({ hasText: 'Chọn ít nhất một vai trò.' }).waitFor();
  await p.getByLabel('cán bộ tiếp nhận').check();
  await p.getByRole('button', { name: 'Tạo giấy mời' }).click();
  const invitation = p.locator('section.invitation');
  await invitation.getByText('Mã đăng ký chỉ hiện một lần', { exact: false }).waitFor();
  t.equal(await settledFocus(p, 'id', 'invitation-title'), 'invitation-title', 'focus moves to the invitation');
  const code = (await invitation.locator('code.code').innerText()).trim();
  const staffId = (await invitation.locator('dd').nth(2).innerText()).trim();
  t.match(await invitation.innerText(), a.s.agency.fingerprint, 'the agency fingerprint, from the admin\'s own pin');
  t.match(await invitation.innerText(), `tipline staff enrol --agency-id ${a.s.agency.id}`, 'the enrolment command');
  await invitation.getByRole('button', { name: 'Chép giấy mời' }).click();
  await invitation.getByText('Đã chép vào bộ nhớ tạm.').waitFor();
  t.match(await p.evaluate(() => navigator.clipboard.readText()), `enrolment code:      ${code}`, 'the copy carries the code');
  await row(p, NEWCOMER).getByText('đã mời, chưa đăng ký').waitFor();
  t.same(await seriousViolations(p), [], 'invitation: no serious or critical accessibility violation');
  await shot(p, 'admin-invite-vi-1280');
  // Leaving the part drops the code; coming back does not bring it.
  await p.getByRole('button', { name: 'Lịch ngày nghỉ' }).click();
  await p.getByRole('button', { name: 'Cán bộ và giấy mời' }).click();
  await row(p, NEWCOMER).waitFor();
  t.notMatch(await p.locator('body').innerText(), code, 'the code is gone after leaving the part');
  t.equal(await p.locator('section.invitation').count(), 0, 'and so is the invitation');
  t.notOk(w.requests.some((r) => r.url().includes(code) || (r.postData() ?? '').includes(code)), 'the code never went back to a server');

  // Deactivate, after a confirmation.
  await inv.getByRole('button', { name: `Vô hiệu hóa… (${a.investigator.displayName})` }).click();
  await p.getByRole('heading', { name: `Vô hiệu hóa tài khoản của ${a.investigator.displayName}?` }).waitFor();
  t.equal((await a.s.server.database.db.selectFrom('staff').select('status').where('id', '=', a.investigator.id).executeTakeFirstOrThrow()).status, 'active', 'nothing done by the first click');
  await p.locator('section.confirm').getByRole('button', { name: 'Vô hiệu hóa', exact: true }).click();
  await p.getByRole('status').filter({ hasText: `Đã vô hiệu hóa tài khoản của ${a.investigator.displayName}` }).waitFor();
  await row(p, a.investigator.displayName).getByText('đã vô hiệu hóa').waitFor();
  t.equal((await a.s.server.database.db.selectFrom('staff').select('status').where('id', '=', a.investigator.id).executeTakeFirstOrThrow()).status, 'deactivated', 'deactivated on the server');
  t.equal(await row(p, a.admin.displayName).getByRole('button').count(), 0, 'the admin is not offered their own deactivation');

  // The newcomer enrols with the code from the page, on their own machine.
  const be = await loadBackend();
  const keys = await enrol(new HttpClient({ baseUrl: a.s.server.url }), a.s.server.url, staffId, code);
  const fingerprint = staffKeyFingerprint(be, keys.signPublicKey, keys.boxPublicKey);

  await p.getByRole('button', { name: 'Gói khóa' }).click();
  await p.getByRole('heading', { name: 'Gói khóa tiếp theo' }).waitFor();
  const added = p.locator('ul.bundle-members li.added');
  await added.locator('strong').filter({ hasText: NEWCOMER }).waitFor();
  t.match(await added.innerText(), fingerprint, 'the new member, with the fingerprint they read from their enrolment');
  t.match(await p.locator('li.removed').innerText(), a.investigator.displayName, 'the deactivated investigator is left out');
  const command = p.locator('pre.command');
  t.notMatch(await command.innerText(), '--accept', 'no fingerprint in the command before it is ticked');
  await p.getByText('Còn 1 khóa chưa xác nhận', { exact: false }).waitFor();
  await added.getByLabel(`${NEWCOMER} đã tự đọc cho tôi đúng dấu vân tay này`).check();
  t.equal((await command.innerText()).trim(),
    `tipline bundle publish --server ${a.s.server.url} --agency-key agency-key.json --key me.json --accept "${fingerprint}"`, 'the exact command, with the ticked key');
  await p.getByText('Mọi khóa mới hoặc thay đổi đã được xác nhận.').waitFor();
  t.same(await seriousViolations(p), [], 'bundle: no serious or critical accessibility violation');
  await shot(p, 'admin-bundle-vi-1280');
  // The admin reads the calendar but does not edit it, and has no retention part.
  await p.getByRole('button', { name: 'Lịch ngày nghỉ' }).click();
  await p.getByText('Chỉ thủ trưởng cơ quan sửa được lịch', { exact: false }).waitFor();
  t.equal(await p.getByRole('button', { name: 'Thêm ngày' }).count(), 0, 'no edit for an admin');
  t.equal(await p.getByRole('button', { name: 'Lưu trữ và giữ hồ sơ' }).count(), 0, 'no retention part for an admin');
  await p.getByRole('button', { name: 'English' }).click();
  await p.getByRole('button', { name: 'Key bundle' }).click();
  await p.getByRole('heading', { name: 'The next key bundle' }).waitFor();
  t.match(await p.locator('main').innerText(), 'The agency key never enters the browser', 'English beside Vietnamese');
  await shot(p, 'admin-bundle-en-1280');
  t.same(await storageUsed(p, p.context()), NOTHING_STORED, 'admin: nothing stored in the browser');
  pageChecks(t, a, w, a.admin, 'admin');
  await w.close();
}

async function intakeAfterDeparture(t: Test, a: Admin): Promise<void> {
  const w = await signedIn(a, a.intake, 1024);
  const p = w.page;
  const flagged = p.locator('section.reassignments');
  await flagged.getByRole('heading', { name: 'Vụ việc cần giao lại (1)' }).waitFor();
  t.match(await flagged.innerText(), a.investigator.displayName, 'the case its only holder left is flagged, naming who left');
  t.same(await seriousViolations(p), [], 'reassignments: no serious or critical accessibility violation');
  await flagged.getByRole('button', { name: a.s.publicNumber }).click();
  await p.locator('#case-title').filter({ hasText: a.s.publicNumber }).waitFor();
  t.pass('it opens in the case view, where it is assigned again');
  pageChecks(t, a, w, a.intake, 'intake');
  await w.close();
}

async function headOfAgency(t: Test, a: Admin): Promise<void> {
  const w = await signedIn(a, a.head, 1024);
  const p = w.page;
  await p.getByRole('button', { name: 'English' }).click();
  await p.getByRole('button', { name: 'Administration' }).click();
  await p.getByRole('heading', { name: 'Agency administration' }).waitFor();
  t.equal(await p.getByRole('button', { name: 'Staff and invitations' }).count(), 0, 'no accounts for the head of agency');
  const year = new Date().getUTCFullYear();
  await p.getByRole('heading', { name: `Holiday calendar ${year}` }).waitFor();
  await p.getByLabel('Day', { exact: true }).fill(`${year}-08-19`);
  await p.getByLabel('Name of the day').fill(HOLIDAY);
  await p.getByRole('button', { name: 'Add the day' }).click();
  await p.getByRole('status').filter({ hasText: /added as a holiday; calendar version \d+, \d+ running deadline\(s\) recomputed/ }).waitFor();
  const day = row(p, HOLIDAY);
  t.match(await day.innerText(), /holiday[\s\S]*added by the agency/, 'listed as the agency\'s own holiday');
  t.same(await seriousViolations(p), [], 'holidays: no serious or critical accessibility violation');
  await shot(p, 'admin-holidays-en-1024');
  await day.getByRole('button', { name: /^Remove… / }).click();
  await p.locator('section.confirm').getByRole('button', { name: 'Confirm' }).click();
  await p.getByRole('status').filter({ hasText: 'is removed' }).waitFor();
  await row(p, HOLIDAY).waitFor({ state: 'detached' });
  t.pass('removed from the calendar');
  const entries = await a.s.server.database.db.selectFrom('agency_holidays').select('day').where('agency_id', '=', a.s.agency.id).execute();
  t.same(entries, [], 'and from the server');

  await p.getByRole('button', { name: 'Retention and legal holds' }).click();
  const kept = row(p, a.s.publicNumber);
  await kept.waitFor();
  t.match(await kept.innerText(), /no/, 'past its retention, not held');
  t.equal(await kept.getByRole('button', { name: `Purge… (case ${a.s.publicNumber})` }).count(), 1, 'purge is offered');
  await kept.getByRole('button', { name: `Place a hold… (case ${a.s.publicNumber})` }).click();
  const confirm = p.locator('section.confirm');
  await confirm.getByRole('button', { name: 'Place the hold' }).click();
  await confirm.getByRole('alert').filter({ hasText: 'Give the basis for the hold' }).waitFor();
  await confirm.getByLabel('Basis for the hold').fill(BASIS);
  await confirm.getByRole('button', { name: 'Place the hold' }).click();
  await p.getByRole('status').filter({ hasText: `Case ${a.s.publicNumber} is under a legal hold.` }).waitFor();
  await kept.getByText('under a legal hold').waitFor();
  t.equal(await kept.getByRole('button', { name: /^Purge/ }).count(), 0, 'a held case offers no purge');
  const hold = await a.s.server.database.db.selectFrom('legal_holds').select(['basis', 'placed_by']).where('case_id', '=', a.caseId).executeTakeFirstOrThrow();
  t.same(hold, { basis: BASIS, placed_by: a.head.id }, 'the hold is on the server, with its basis and who placed it');
  t.same(await seriousViolations(p), [], 'retention: no serious or critical accessibility violation');
  await shot(p, 'admin-retention-en-1024');
  await p.getByRole('button', { name: 'Tiếng Việt' }).click();
  await row(p, a.s.publicNumber).getByText('đang giữ theo yêu cầu pháp lý').waitFor();
  t.same(await storageUsed(p, p.context()), NOTHING_STORED, 'head: nothing stored in the browser');
  pageChecks(t, a, w, a.head, 'head of agency');
  await w.close();
}

t.test('an agency administered in the console', async (t) => {
  if (!browserOrSkip(t)) return;
  const a = await setup(t);
  await adminDay(t, a);
  await intakeAfterDeparture(t, a);
  await headOfAgency(t, a);
});
