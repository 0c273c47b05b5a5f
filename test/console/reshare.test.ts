import t from 'tap';
import { HttpClient } from '../../src/client/http.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { acceptReshare, planReshare, reshareMyShares } from '../../src/client/staff-reshare.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { publishBundle, type FixtureStaff } from '../helpers/fixtures.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';

// Handing shares on from the console (PROTOCOL.md §6.2): the admin has planned (with the
// SDK) to move the agency from 2 of 3 to 3 of 3; custodian 1 sees the verified plan in the
// Requests view, re-splits after confirming, and takes their new share; the others do
// their parts with the SDK, and the identity is then held at 3.

t.setTimeout(600_000);
const PASSPHRASE = 'mật khẩu người giữ khóa 2026';

async function clientOf(s: ConsoleScene, p: FixtureStaff): Promise<StaffClient> {
  const http = new HttpClient({ baseUrl: s.server.url });
  return new StaffClient(http, await login(http, p.id, p.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
}

t.test('a custodian re-splits and takes their new share in the console', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { custodians: 3, threshold: 2, extraStaff: [['admin']] }, identity: { name: 'Phạm Văn D', address: 'Cần Thơ', contact: '0987 000 111' } });
  const [c1, c2, c3] = s.agency.withRole('custodian') as [FixtureStaff, FixtureStaff, FixtureStaff];
  const admin = s.agency.withRole('admin')[0]!;
  // The agency key signs the new threshold first; the admin's plan follows it.
  await publishBundle(s.server.database.db, s.agency.be, { ...s.agency.bundle, serial: s.agency.bundle.serial + 1, threshold: 3 }, s.agency.keys);
  await planReshare(await clientOf(s, admin), admin.keys, { from: [c1.id, c2.id], threshold: 3 });
  await reshareMyShares(await clientOf(s, c2), c2.keys);

  const browser = await launchChromium();
  t.teardown(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(context);
  const p = w.page;
  await p.goto(s.localUrl);
  await signIn(p, await keyFileFor(s.agency, c1, PASSPHRASE), PASSPHRASE, { fingerprint: s.agency.fingerprint });
  const panel = p.locator('section.reshare');
  await panel.getByRole('heading', { name: 'Chuyển giao mảnh khóa cho người giữ khóa mới' }).waitFor();
  const text = await panel.innerText();
  t.match(text, /bất kỳ 3 trong 3 người/, "the new threshold, in words");
  t.match(text, c3.displayName, 'the new custodians by their signed names');
  t.match(text, /0\/1 danh tính/, 'and the progress');
  await panel.getByRole('button', { name: 'Chia lại mảnh khóa của tôi…' }).click();
  await panel.getByText('Không thể thu hồi').waitFor();
  t.equal((await s.server.database.db.selectFrom('reshare_parts').select('custodian_id').where('custodian_id', '=', c1.id).execute()).length, 0, 'nothing re-split by the first click');
  t.same(await seriousViolations(p), [], 'reshare: no serious or critical accessibility violation');
  await panel.getByRole('button', { name: 'Chia lại và gửi' }).click();
  await panel.getByRole('status').filter({ hasText: 'Đã chia lại mảnh khóa cho 1 danh tính.' }).waitFor();
  await panel.getByRole('button', { name: 'Nhận mảnh khóa mới của tôi' }).click();
  await panel.getByRole('status').filter({ hasText: 'Đã giữ mảnh khóa mới cho 1 danh tính' }).waitFor();
  await p.getByRole('button', { name: 'English' }).click();
  await panel.getByRole('heading', { name: 'Handing shares on to new custodians' }).waitFor();
  t.match(await panel.innerText(), 'any 3 of 3', 'English beside Vietnamese');
  t.same(await storageUsed(p, context), NOTHING_STORED, 'nothing stored in the browser');
  checkTraffic(t, w, new URL(s.localUrl).origin, secretEncodings(c1.keys, PASSPHRASE), 'custodian 1');
  await context.close();

  for (const c of [c2, c3]) await acceptReshare(await clientOf(s, c), c.keys);
  const db = s.server.database.db;
  const rows = await db.selectFrom('identity_shares').select('custodian_id').execute();
  t.same(rows.map((r) => r.custodian_id).sort(), [c1.id, c2.id, c3.id].sort(), 'the new shares replaced the old');
  t.same((await db.selectFrom('cases').select('identity_threshold').executeTakeFirstOrThrow()).identity_threshold, 3, 'held at 3 now');
});
