import t from 'tap';
import { CHROMIUM, hasChromium } from './helpers.js';
import { fillReport, scene, sendAndReadReceipt, type Report } from './flow.js';

// The agency's key bundle is checked against the fingerprint compiled into the page.
// A wrong pin stops everything before a byte of the report leaves; a missing pin is
// allowed but shown as a warning.

const tip: Report = {
  who: 'Bà Đỗ F, Kế toán trưởng',
  what: 'Lập chứng từ khống để rút tiền ngân sách.',
  when: 'Quý I/2026',
  where: 'Ban quản lý dự án G',
  evidence: 'Chứng từ số 12, 13, 14.',
};

if (!hasChromium) {
  t.plan(0, `browser tests need ${CHROMIUM} (apt-get install chromium)`);
} else {
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
    const sent = s.requests.filter((r) => r.method() !== 'GET').map((r) => `${r.method()} ${new URL(r.url()).pathname}`);
    t.same(sent, [], 'nothing was posted: no proof-of-work challenge, no case');
    t.equal(await page.locator('.receipt-code').count(), 0, 'no receipt was issued');
  });

  t.test('an agency without a pin can be used, under a visible warning', async (t) => {
    const s = await scene(t, { pin: 'none' });
    const { page, shot } = s;
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    await fillReport(page, s.agency, tip);
    await page.getByText('Cảnh báo: khóa của cơ quan này chưa được ghim').waitFor();
    await shot('pin-missing-vi');
    const { receipt } = await sendAndReadReceipt(page);
    t.match(receipt, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  });
}
