import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { anchorFromJson } from '../../src/client/staff-audit.js';
import type { Database } from '../../src/server/db/connect.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, signIn, storageUsed, watch, type Watched } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// An auditor's day without a terminal. In Vietnamese at 1280 px they read the log
// filtered by action and by actor (named by the verified bundle), verify the whole chain
// in the page (all good, every row checked) and download a signed anchor of its head. A
// database writer then cuts the log's tail: verification alone still passes, the anchor
// file chosen again catches it. In English at 1024 px, after a row's detail is rewritten and
// another row deleted behind the trigger, the page names both rows (seq, action, why) and
// signs no anchor. Throughout: axe, no other origin, nothing stored, no secret in a request.

t.setTimeout(600_000);
const ARTIFACTS = 'test-artifacts/console';
const PASSPHRASE = 'mật khẩu kiểm toán viên 2026';

/** Edits the log as someone with write access to the database would, behind the append-only trigger. */
async function behindTheTrigger(db: Database, statement: ReturnType<typeof sql>): Promise<void> {
  await sql`alter table audit_log disable trigger audit_log_no_change`.execute(db);
  await statement.execute(db);
  await sql`alter table audit_log enable trigger audit_log_no_change`.execute(db);
}

const rowsOf = async (db: Database, agencyId: string, staffId?: string) =>
  (await sql<{ seq: string; action: string }>`select seq::text as seq, action from audit_log
    where agency_id = ${agencyId}::uuid and (${staffId ?? null}::uuid is null or staff_id = ${staffId ?? null}::uuid) order by seq`.execute(db)).rows;

async function auditorPage(t: Test, s: ConsoleScene, browser: Awaited<ReturnType<typeof launchChromium>>, width: number): Promise<Watched> {
  const auditor = s.agency.withRole('auditor')[0]!;
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  t.teardown(() => context.close());
  const w = await watch(context);
  await w.page.goto(s.localUrl);
  await signIn(w.page, await keyFileFor(s.agency, auditor, PASSPHRASE), PASSPHRASE, { fingerprint: s.agency.fingerprint });
  await w.page.getByRole('heading', { name: 'Nhật ký kiểm toán', level: 2 }).waitFor();
  return w;
}

const shotTo = (page: Page, name: string) => screenshot(page, join(ARTIFACTS, name));
const listedActions = (page: Page) => page.locator('table.audit-rows tbody tr td:nth-child(4)').allInnerTexts();

/** Runs a verification and waits for its own result, not the one before. */
async function verify(page: Page, button: string): Promise<void> {
  const runs = Number(await page.locator('section.verify').getAttribute('data-runs'));
  await page.getByRole('button', { name: button }).click();
  await page.locator(`section.verify[data-runs="${runs + 1}"]`).waitFor();
}

/** Vietnamese: filters, a clean verification and a signed anchor; returns the anchor file's text. */
async function cleanDay(t: Test, s: ConsoleScene, w: Watched): Promise<string> {
  const p = w.page;
  await p.locator('table.audit-rows').waitFor();
  t.ok((await listedActions(p)).includes('message.send'), 'the log lists the officer\'s signed reply');
  t.same(await p.getByRole('button', { name: 'Hộp vụ việc' }).count(), 0, 'an auditor is offered no inbox');

  await p.getByLabel('Hành động').fill('Case Grant');
  await p.getByRole('button', { name: 'Lọc', exact: true }).click();
  await p.getByText('Hành động viết bằng chữ thường, ví dụ case.grant.').waitFor();
  await p.getByLabel('Hành động').fill('message.send');
  await p.getByRole('button', { name: 'Lọc', exact: true }).click();
  await p.getByText(/^Dòng 1–1 trên 1$/).waitFor();
  t.same(await listedActions(p), ['message.send'], 'filtered by action');
  t.match(await p.locator('table.audit-rows tbody').innerText(), /✍ có chữ ký \(message\)/, 'its signature is marked');
  await p.getByRole('button', { name: 'Bỏ lọc' }).click();
  await p.getByLabel('Người thực hiện').selectOption({ label: `${s.officer.displayName} (${s.officer.id.slice(0, 8)})` });
  await p.getByRole('button', { name: 'Lọc', exact: true }).click();
  const own = (await rowsOf(s.server.database.db, s.agency.id, s.officer.id)).length;
  await p.getByText(`Dòng 1–${own} trên ${own}`, { exact: true }).waitFor();
  const actors = await p.locator('table.audit-rows tbody tr td:nth-child(3)').allInnerTexts();
  t.ok(actors.length > 0 && actors.every((a) => a === s.officer.displayName), 'filtered by actor, named by the verified bundle');
  await p.getByLabel('Từ ngày (UTC)').fill('2000-01-01');
  await p.getByLabel('Đến ngày (UTC)').fill('2000-01-31');
  await p.getByRole('button', { name: 'Lọc', exact: true }).click();
  await p.getByText('Không có dòng nào khớp bộ lọc.').waitFor();
  await p.getByRole('button', { name: 'Bỏ lọc' }).click();
  await p.locator('table.audit-rows').waitFor();
  await shotTo(p, 'audit-log-vi-1280.png');

  await verify(p, 'Kiểm tra toàn bộ nhật ký');
  const good = await p.locator('.verify').innerText();
  t.match(good, /✓ Nhật ký nguyên vẹn: \d+ dòng, [1-9]\d* chữ ký đã kiểm tra/, 'a clean log is all good, signatures checked');
  const [, checked, total] = /Đã kiểm tra (\d+)\/(\d+) dòng/.exec(good) ?? [];
  t.ok(checked && checked === total, `progress ends at every row (${checked}/${total})`);
  t.same(await seriousViolations(p), [], 'audit view (vi): no serious or critical accessibility violation');
  await shotTo(p, 'audit-vi-1280.png');

  const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Ký và tải tệp mốc' }).click()]);
  const text = await readFile((await download.path())!, 'utf8');
  const anchor = anchorFromJson(text);
  t.equal(download.suggestedFilename(), `audit-anchor-${anchor.seq}.json`, 'the anchor is downloaded as a file');
  t.equal(anchor.signer, s.agency.withRole('auditor')[0]!.id, 'signed by the auditor');
  await p.getByText(`Đã ký mốc ở dòng ${anchor.seq}`).waitFor();
  return text;
}

/** A cut tail passes the chain's own checks; the anchor kept outside the server catches it. */
async function truncationCaught(t: Test, s: ConsoleScene, w: Watched, anchorText: string): Promise<void> {
  const p = w.page;
  const seq = anchorFromJson(anchorText).seq;
  await behindTheTrigger(s.server.database.db, sql`delete from audit_log where agency_id = ${s.agency.id}::uuid and seq >= ${seq}::bigint`);
  await verify(p, 'Kiểm tra toàn bộ nhật ký');
  t.match(await p.locator('.verify').innerText(), '✓ Nhật ký nguyên vẹn', 'without the anchor, a cut tail still links');
  await p.getByLabel('Đối chiếu với tệp mốc đã lưu (không bắt buộc)').setInputFiles({ name: 'anchor.json', mimeType: 'application/json', buffer: Buffer.from(anchorText) });
  await p.getByText(`Sẽ đối chiếu với mốc ở dòng ${seq}`).waitFor();
  await verify(p, 'Kiểm tra toàn bộ nhật ký');
  const refused = p.locator('table.refused-rows tbody tr');
  t.same(await refused.allInnerTexts(), [`${seq}\t(không còn dòng này)\tdòng đã ghi mốc không còn trong chuỗi: nhật ký đã bị cắt hoặc viết lại`], 'the anchor names the cut');
  t.same(await p.getByRole('button', { name: 'Ký và tải tệp mốc' }).count(), 0, 'no anchor is offered for a broken chain');
  // The same file moved to an earlier row, as a writer covering the cut would: its signature no longer holds.
  const moved = anchorText.replace(`"seq": "${seq}"`, '"seq": "1"');
  await p.getByLabel('Đối chiếu với tệp mốc đã lưu (không bắt buộc)').setInputFiles({ name: 'anchor.json', mimeType: 'application/json', buffer: Buffer.from(moved) });
  await verify(p, 'Kiểm tra toàn bộ nhật ký');
  t.match(await p.locator('.verify [role=alert]').innerText(), 'chữ ký trên tệp mốc không khớp', 'an anchor file edited after signing is refused');
  t.same(await storageUsed(p, p.context()), NOTHING_STORED, 'nothing is stored in the browser');
}

/** English: a rewritten detail and a deleted row are each named by seq, action and why. */
async function rewriteNamed(t: Test, s: ConsoleScene, w: Watched): Promise<void> {
  const db = s.server.database.db;
  const rows = await rowsOf(db, s.agency.id);
  const reply = rows.find((r) => r.action === 'message.send')!;
  const i = rows.indexOf(reply);
  const gone = rows[i + 2]!;
  const after = rows[i + 3]!;
  await behindTheTrigger(db, sql`update audit_log set detail = detail || '{"messageId":"00000000-0000-4000-8000-000000000000"}'::jsonb where seq = ${reply.seq}::bigint`);
  await behindTheTrigger(db, sql`delete from audit_log where seq = ${gone.seq}::bigint`);

  const p = w.page;
  await p.getByRole('button', { name: 'English' }).click();
  await p.getByRole('heading', { name: 'Audit log', level: 2 }).waitFor();
  await verify(p, 'Verify the whole log');
  t.match(await p.locator('.verify [role=alert]').innerText(), /The log has been tampered with: 2 rows refused/, 'the page says the log was tampered with');
  t.same(await p.locator('table.refused-rows tbody tr').allInnerTexts(), [
    `${reply.seq}\tmessage.send\tits content does not match its hash: this row was changed`,
    `${after.seq}\t${after.action}\tdoes not follow the row before it: a row before it was removed or changed`,
  ], 'each tampered row is named: seq, action, why');
  t.match(await p.locator('table.audit-rows tbody tr.refused').first().innerText(), `⚠ Refused: its content does not match its hash`, 'and marked in the log itself');
  t.same(await seriousViolations(p), [], 'refused rows (en): no serious or critical accessibility violation');
  await shotTo(p, 'audit-en-1024.png');
}

t.test('an auditor verifies, anchors and catches tampering in the console', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { investigators: 1, extraStaff: [['auditor']] } });
  const auditor = s.agency.withRole('auditor')[0]!;
  const browser = await launchChromium();
  t.teardown(() => browser.close());

  const vi = await auditorPage(t, s, browser, 1280);
  const anchor = await cleanDay(t, s, vi);
  await truncationCaught(t, s, vi, anchor);
  checkTraffic(t, vi, new URL(s.localUrl).origin, secretEncodings(auditor.keys, PASSPHRASE), 'auditor (vi)');
  t.notOk(vi.requests.some((r) => (r.postData() ?? '').includes('tipline-audit-anchor')), 'the anchor never goes to the server');

  const en = await auditorPage(t, s, browser, 1024);
  await rewriteNamed(t, s, en);
  checkTraffic(t, en, new URL(s.localUrl).origin, secretEncodings(auditor.keys, PASSPHRASE), 'auditor (en)');
  t.same(await storageUsed(en.page, en.page.context()), NOTHING_STORED, 'nothing is stored in the browser (en)');
});
