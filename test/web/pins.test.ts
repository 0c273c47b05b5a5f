import t from 'tap';
import { generateAgencyKeys, signAgencyKeyTransition, signDetached } from '../../src/protocol/index.js';
import { publishBundle } from '../helpers/fixtures.js';
import { browserOrSkip } from './helpers.js';
import { fillReport, scene, sendAndReadReceipt, type Report, type Scene } from './flow.js';

// The agency's key bundle is checked against the fingerprint and the minimum serial
// compiled into the page, and must be within its dates. A wrong pin, an older bundle
// or an expired one stops everything before a byte of the report leaves. A missing pin
// stops a production page; a development page goes on under a warning, and never
// promises that the server cannot read what it seals to an unchecked key.

const tip: Report = {
  who: 'Bà Đỗ F, Kế toán trưởng',
  what: 'Lập chứng từ khống để rút tiền ngân sách.',
  when: 'Quý I/2026',
  where: 'Ban quản lý dự án G',
  evidence: 'Chứng từ số 12, 13, 14.',
};

const PROMISE_VI = 'máy chủ không bao giờ đọc được';
const PROMISE_EN = 'server can never read it';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Every request but the page's own GETs: a proof-of-work challenge, a case, a file. */
const posted = (s: Scene) => s.requests.filter((r) => r.method() !== 'GET').map((r) => `${r.method()} ${new URL(r.url()).pathname}`);
const bodyText = (s: Scene) => s.page.locator('body').innerText();

// Five browsers, one after another: on a loaded machine each takes most of a minute.
t.setTimeout(600_000);

if (browserOrSkip(t)) {
  t.test('a bundle that does not match the pinned fingerprint stops the submission', async (t) => {
    const s = await scene(t, { pin: 'wrong' });
    const { page, shot } = s;
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    await fillReport(page, s.agency, tip);
    await page.locator('.trust').getByText('Đã dừng: khóa mà máy chủ cung cấp').waitFor();
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    await page.locator('.errors').getByText('Có thể máy chủ đã bị can thiệp').waitFor();
    await shot('pin-mismatch-vi');
    await page.getByRole('button', { name: 'English' }).click();
    await shot('pin-mismatch-en');
    t.same(posted(s), [], 'nothing was posted: no proof-of-work challenge, no case');
    t.equal(await page.locator('.receipt-code').count(), 0, 'no receipt was issued');
  });

  t.test('rollback: the page refuses a bundle older than the serial compiled in or seen since', async (t) => {
    // The agency published serials 2 and 3; the page was built when 2 was the newest.
    const s = await scene(t, {
      pinSerial: 2,
      prepare: async (agency, server) => {
        for (const serial of [2, 3]) await publishBundle(server.database.db, agency.be, { ...agency.bundle, serial }, agency.keys);
      },
    });
    const { page, shot } = s;
    const dropNewest = (serial: number) =>
      s.server.database.db.deleteFrom('key_bundles').where('agency_id', '=', s.agency.id).where('serial', '=', serial).execute();
    await fillReport(page, s.agency, { ...tip, identity: { name: 'Đỗ Văn H', address: 'Hà Nội', contact: 'h@example.vn' } });
    await page.locator('.trust').getByText('Khóa của cơ quan này được ghim sẵn').waitFor();
    t.match(await bodyText(s), PROMISE_VI, 'beside a verified pinned bundle the page makes its promise');

    // The keys checked out, so the page asked for its proof of work while the person wrote:
    // a challenge, which carries nothing (WEB.md), and nothing else.
    for (let waited = 0; posted(s).length === 0 && waited < 30_000; waited += 100) await page.waitForTimeout(100);
    t.same(posted(s), ['POST /v1/pow'], 'only the challenge solved ahead');
    const ahead = posted(s).length;

    // The attack: whoever writes to the database deletes the newest bundle row, so the
    // server answers with serial 2, still validly signed and not below the compiled floor.
    await dropNewest(3);
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    await page.locator('.errors').getByText('cũ hơn danh sách mà trang đã biết').waitFor();
    await shot('bundle-rollback-vi');
    t.same(posted(s).slice(ahead), [], 'refused on the serial seen earlier in this page load: nothing was posted');

    // A fresh load remembers nothing of serial 3 (nothing is stored on the device)...
    await page.reload();
    await page.getByLabel('Chọn cơ quan').selectOption({ label: s.agency.name });
    await page.locator('.trust').getByText('Khóa của cơ quan này được ghim sẵn').waitFor();
    // ...but never goes below the serial compiled in with the pin.
    await dropNewest(2);
    await page.reload();
    const reloaded = posted(s).length;
    await fillReport(page, s.agency, tip);
    await page.locator('.trust').getByText('Đã dừng: máy chủ đưa ra danh sách khóa của cơ quan này cũ hơn').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('.trust').getByText('older list of this agency').waitFor();
    t.notMatch(await bodyText(s), PROMISE_EN, 'no promise beside a refused bundle');
    await page.getByRole('button', { name: 'Encrypt and send' }).click();
    await page.locator('.errors').getByText('older list of this agency').waitFor();
    t.same(posted(s).slice(reloaded), [], 'still nothing posted, not even a challenge: the keys were refused before anything was asked');
  });

  t.test('an expired bundle is refused, even with the right pin and serial', async (t) => {
    const s = await scene(t, {
      prepare: (agency, server) => publishBundle(server.database.db, agency.be,
        { ...agency.bundle, serial: 2, issuedOn: day(-400), expiresOn: day(-1) }, agency.keys),
    });
    const { page, shot } = s;
    await fillReport(page, s.agency, tip);
    await page.locator('.trust').getByText('danh sách khóa đã hết hạn').waitFor();
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    await page.locator('.errors').getByText('danh sách khóa đã hết hạn').waitFor();
    await shot('bundle-expired-vi');
    t.same(posted(s), [], 'nothing was posted');
  });

  t.test('a production page seals nothing to an agency it has no pin for', async (t) => {
    const s = await scene(t, { pin: 'none', production: true });
    const { page, shot } = s;
    await fillReport(page, s.agency, { ...tip, identity: { name: 'Đỗ Văn H', address: 'Hà Nội', contact: 'h@example.vn' } });
    await page.locator('.trust').getByText('Trang này không có khóa được ghim của cơ quan này').waitFor();
    t.notMatch(await bodyText(s), PROMISE_VI, 'no promise');
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    await page.locator('.errors').getByText('sẽ không gửi gì đến cơ quan này').waitFor();
    await shot('pin-missing-production-vi');
    t.same(posted(s), [], 'nothing was posted');
    t.equal(await page.locator('.receipt-code').count(), 0, 'no receipt was issued');
  });

  t.test('a development page warns about an unpinned agency and drops the promise, in both languages', async (t) => {
    const s = await scene(t, { pin: 'none' });
    const { page, shot } = s;
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    t.notMatch(await bodyText(s), PROMISE_VI, 'no promise before an agency is chosen');
    await fillReport(page, s.agency, { ...tip, identity: { name: 'Đỗ Văn H', address: 'Hà Nội', contact: 'h@example.vn' } });
    await page.getByText('Cảnh báo: khóa của cơ quan này chưa được ghim').waitFor();
    t.match(await page.locator('.trust').innerText(), s.agency.fingerprint, 'the warning shows the fingerprint it asks the person to compare');
    await page.getByText('người kiểm soát máy chủ có thể đọc được danh tính của bạn').waitFor();
    t.notMatch(await bodyText(s), PROMISE_VI, 'the Vietnamese page makes no promise it cannot keep');
    await shot('pin-missing-vi');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText("Warning: this agency's key is not pinned in the page (this is a development build)").waitFor();
    t.match(await page.locator('.trust').innerText(), s.agency.fingerprint, 'in English too');
    await page.getByText('whoever controls the server may be able to read your identity').waitFor();
    t.notMatch(await bodyText(s), PROMISE_EN, 'nor the English one');
    await shot('pin-missing-en');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    const { receipt } = await sendAndReadReceipt(page);
    t.match(receipt, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'a development page still sends, under the warning');
  });

  t.test('a page pinned to K0 follows the K0→K1 hand-over; a forged one stops the submission', async (t) => {
    // The agency rotated after the page was built: K1 signs serial 2, with the statement K0 and K1 signed.
    const s = await scene(t, {
      prepare: async (agency, server) => {
        const db = server.database.db;
        const k1 = generateAgencyKeys(agency.be);
        const statement = signAgencyKeyTransition(agency.be, {
          agencyId: agency.id, oldPublicKey: agency.keys.publicKey, newPublicKey: k1.publicKey, effectiveSerial: 2, issuedOn: day(0),
        }, agency.keys.secretKey, k1.secretKey);
        await db.insertInto('agency_key_transitions').values({
          agency_id: agency.id, effective_serial: 2, issued_on: statement.issuedOn, old_public_key: statement.oldPublicKey,
          new_public_key: statement.newPublicKey, old_signature: statement.oldSignature, new_signature: statement.newSignature,
        }).execute();
        await db.updateTable('agencies').set({ signing_public_key: k1.publicKey }).where('id', '=', agency.id).execute();
        await publishBundle(db, agency.be, { ...agency.bundle, serial: 2 }, k1);
      },
    });
    const { page, shot } = s;
    await fillReport(page, s.agency, tip);
    await page.locator('.trust').getByText('Khóa của cơ quan này được ghim sẵn').waitFor();
    t.match(await bodyText(s), PROMISE_VI, 'the chain from the compiled-in pin verifies: the page makes its promise');
    const { receipt } = await sendAndReadReceipt(page);
    t.match(receipt, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'sealed to the bundle K1 signs');

    // The attack: the statement's K0 signature replaced, as a server with its own key would have to.
    const sent = posted(s).length;
    const forged = signDetached(s.agency.be, 'agency-key-transition', new Uint8Array(32), generateAgencyKeys(s.agency.be).secretKey);
    await s.server.database.db.updateTable('agency_key_transitions').set({ old_signature: forged }).where('agency_id', '=', s.agency.id).execute();
    await page.reload();
    await fillReport(page, s.agency, tip);
    await page.locator('.trust').getByText('Đã dừng: khóa mà máy chủ cung cấp').waitFor();
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    await page.locator('.errors').getByText('Có thể máy chủ đã bị can thiệp').waitFor();
    await shot('key-chain-forged-vi');
    t.equal(posted(s).length, sent, 'after the forged statement nothing more was posted');
  });
}
