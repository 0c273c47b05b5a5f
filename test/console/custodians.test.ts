import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { base32Encode } from '../../src/protocol/base32.js';
import { loadBackend, makeRecoveryKey, recoveryKeyId, toBase64Url } from '../../src/protocol/index.js';
import { publishBundle, type FixtureStaff } from '../helpers/fixtures.js';
import { tiplineCli } from '../cli/in-process.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene, keyFileFor } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// The admin's custodian part without a terminal. The agency key has signed a bundle that
// moves the agency from 2 of 3 to 3 of 3 and lists an offline recovery recipient. The
// admin (vi, 1280 px) reads the recipient's key id, the one its paper shares carry; a
// plan at 2 (the old threshold, not the signed one) and one with no old custodian are
// stopped in the page; then they sign a plan from custodians 1 and 2 to all three, which
// shows open at 0/1. The custodians complete it with `tipline reshare split | accept`,
// and the page, refreshed, shows it finished (then in English, at 1024 px); a plan the
// server rewrites is then refused.

t.setTimeout(300_000);
const ARTIFACTS = 'test-artifacts/console';
const PASSPHRASE = 'mật khẩu quản trị 2026';

t.test('the admin reads the recovery recipient and signs a reshare plan that CLI custodians complete', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { custodians: 3, threshold: 2, extraStaff: [['admin']] }, identity: { name: 'Trần Văn E', address: 'Đà Nẵng', contact: '0912 000 222' } });
  const [c1, c2, c3] = s.agency.withRole('custodian') as [FixtureStaff, FixtureStaff, FixtureStaff];
  const admin = s.agency.withRole('admin')[0]!;
  const be = await loadBackend();
  const recovery = await makeRecoveryKey(be, 2, 3);
  await publishBundle(s.server.database.db, s.agency.be, {
    ...s.agency.bundle, serial: 2, threshold: 3, recovery: { boxPublicKey: toBase64Url(recovery.publicKey), threshold: 2, shares: 3 },
  }, s.agency.keys);
  const keyId = base32Encode(recoveryKeyId(be, recovery.publicKey));

  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(context);
  const p = w.page;
  await p.goto(s.localUrl);
  await signIn(p, await keyFileFor(s.agency, admin, PASSPHRASE), PASSPHRASE, { fingerprint: s.agency.fingerprint });
  await p.getByRole('heading', { name: 'Quản trị cơ quan' }).waitFor();
  await p.getByRole('button', { name: 'Người giữ khóa và khôi phục' }).click();
  const rec = p.locator('section.recovery');
  await rec.getByText('Gói khóa đã ký số 2 có ghi một người nhận khôi phục').waitFor();
  t.equal((await rec.locator('code.recovery-key-id').innerText()).trim(), keyId, "the recovery key id shown is the signed bundle's");
  t.match(await rec.innerText(), /bất kỳ 2 trong 3 mảnh[\s\S]*tipline recovery init[\s\S]*tipline recovery open/, 'its shares, and that init and open are done offline');
  t.notMatch(await p.content(), /type="file"/, 'the page asks for no recovery share');

  const plan = p.locator('section.reshare-plan');
  await plan.getByText('Chưa có kế hoạch chuyển giao nào.').waitFor();
  t.equal(await plan.getByLabel('Ngưỡng mới').inputValue(), '3', "the threshold offered is the agency-signed one");
  await plan.getByLabel('Ngưỡng mới').fill('2');
  await plan.getByRole('button', { name: 'Xem lại kế hoạch…' }).click();
  await plan.getByRole('alert').filter({ hasText: 'Ngưỡng 2 không phải ngưỡng 3 đã ký trong gói khóa hiện hành' }).waitFor();
  await plan.getByLabel('Ngưỡng mới').fill('3');
  await plan.getByRole('button', { name: 'Xem lại kế hoạch…' }).click();
  await plan.getByRole('alert').filter({ hasText: 'Chọn ít nhất một người giữ khóa cũ.' }).waitFor();
  const from = plan.getByRole('group', { name: 'Người giữ khóa cũ tham gia' });
  for (const c of [c1, c2]) await from.getByLabel(c.displayName).check();
  await plan.getByRole('button', { name: 'Xem lại kế hoạch…' }).click();
  await plan.getByText('Ký kế hoạch: 2 người giữ khóa cũ chia lại mảnh của họ cho 3 người giữ khóa mới, bất kỳ 3 người').waitFor();
  const db = s.server.database.db;
  t.equal((await db.selectFrom('reshares').select('id').execute()).length, 0, 'nothing signed before the confirmation');
  t.same(await seriousViolations(p), [], 'custodians: no serious or critical accessibility violation');
  await plan.getByRole('button', { name: 'Ký và gửi kế hoạch' }).click();
  await plan.getByRole('status').filter({ hasText: 'Đã ký kế hoạch chuyển giao' }).waitFor();
  t.match(await plan.locator('.reshare-state').innerText(), 'đang mở', 'the plan shows open');
  t.match(await plan.innerText(), /0\/1 danh tính[\s\S]*Một kế hoạch đang mở/, 'at 0 of 1, and no second plan offered');
  t.match(await plan.innerText(), c3.displayName, 'the new custodians by their signed names');
  await screenshot(p, join(ARTIFACTS, 'admin-custodians-vi.png'));

  // The custodians' part, on their own machines with the CLI.
  const dir = await mkdtemp(join(tmpdir(), 'tipline-custodians-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const tipline = async (who: FixtureStaff, ...args: string[]) => {
    const key = join(dir, `${who.id}.json`);
    await writeFile(key, await keyFileFor(s.agency, who, PASSPHRASE));
    const r = await tiplineCli(args, { DATABASE_URL: undefined, TIPLINE_SERVER: s.server.url, TIPLINE_ORIGIN: s.server.url, TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: key, TIPLINE_PASSPHRASE: PASSPHRASE });
    t.equal(r.code, 0, `tipline ${args.slice(0, 2).join(' ')}`, { stderr: r.stderr });
    return r.stdout;
  };
  await tipline(c1, 'agency', 'pin', s.agency.id, s.agency.fingerprint);
  for (const c of [c1, c2, c3]) await tipline(c, 'login');
  t.match(await tipline(c1, 'reshare', 'split', '--yes'), /re-split your share of 1 blocks/);
  await plan.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
  const old = plan.locator('dd').filter({ has: p.getByText(c2.displayName) }).first();
  await old.locator('li').filter({ hasText: c1.displayName }).filter({ hasText: 'đã chia lại 1/1' }).waitFor();
  t.match(await old.locator('li').filter({ hasText: c2.displayName }).innerText(), 'đã chia lại 0/1', 'which old custodian has split, and which not yet');
  t.match(await tipline(c2, 'reshare', 'split', '--yes'), /re-split your share of 1 blocks/);
  for (const c of [c1, c2, c3]) await tipline(c, 'reshare', 'accept');

  await plan.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
  await plan.locator('.reshare-state').filter({ hasText: 'đã xong' }).waitFor();
  t.match(await plan.innerText(), /1\/1 danh tính[\s\S]*vô hiệu hóa người giữ khóa đã thay/, 'finished, with what comes next');
  t.equal(await plan.getByText('đã nhận 1/1').count(), 3, 'every new custodian has taken their share');
  t.same((await db.selectFrom('cases').select('identity_threshold').executeTakeFirstOrThrow()).identity_threshold, 3, 'the identity is held at 3 now');
  await p.setViewportSize({ width: 1024, height: 900 });
  await p.getByRole('button', { name: 'English' }).click();
  await plan.locator('.reshare-state').filter({ hasText: 'finished' }).waitFor();
  t.match(await rec.innerText(), /any 2 of 3 shares[\s\S]*offline/, 'English beside Vietnamese');
  t.same(await seriousViolations(p), [], 'custodians (en): no serious or critical accessibility violation');
  await screenshot(p, join(ARTIFACTS, 'admin-custodians-en.png'));

  // A server that rewrites the plan it serves (its threshold) gets it refused: no facts, no new plan offered.
  await db.updateTable('reshares').set({ threshold: 2 }).execute();
  await p.getByRole('button', { name: 'Key bundle' }).click();
  await p.getByRole('button', { name: 'Custodians and recovery' }).click();
  await plan.getByRole('alert').waitFor();
  t.equal(await plan.locator('.reshare-state').count(), 0, 'a plan that does not verify is not shown');
  t.equal(await plan.getByRole('button', { name: 'Review the plan…' }).count(), 0, 'nor is a new plan offered over it');
  t.same(await storageUsed(p, context), NOTHING_STORED, 'nothing stored in the browser');
  checkTraffic(t, w, new URL(s.localUrl).origin, secretEncodings(admin.keys, PASSPHRASE), 'admin');
  await context.close();
});
