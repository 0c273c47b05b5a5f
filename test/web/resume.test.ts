import { randomBytes } from 'node:crypto';
import t from 'tap';
import { browserOrSkip } from './helpers.js';
import { fillReport, intakeOfficer, scene } from './flow.js';

// Uploads survive the network going away: the case and its receipt are kept, the file
// rows say what was cut off, and "resume" continues from the chunks the server holds.

if (browserOrSkip(t)) {
  t.test('an upload cut off mid-file resumes from the chunks already stored', async (t) => {
    const s = await scene(t);
    const { page, shot } = s;
    const file = randomBytes(19 * 65536 - 1000); // 19 chunks: a batch of 16, then 3
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    await fillReport(page, s.agency, {
      who: 'Ông M', what: 'Nâng khống giá thiết bị.', when: '2025', where: 'Bệnh viện N', evidence: 'Hóa đơn và báo giá.',
      file: { name: 'hoa-don.bin', mimeType: 'application/octet-stream', buffer: file },
    });

    // The first batch goes through; then every chunk upload fails until the network returns.
    let batches = 0;
    const chunkPuts: string[] = [];
    await page.route('**/chunks/*', async (route) => {
      chunkPuts.push(new URL(route.request().url()).pathname.split('/').pop()!);
      batches += 1;
      if (batches === 1) await route.continue();
      else await route.abort('internetdisconnected');
    });
    await page.getByRole('button', { name: 'Mã hóa và gửi' }).click();
    await page.getByText('Một số tệp chưa gửi xong').waitFor({ timeout: 60_000 });
    const receipt = (await page.locator('.receipt-code').innerText()).replace(/\s+/g, '');
    t.match(receipt, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'the receipt is shown even though a file was cut off');
    await shot('resume-1-interrupted-vi');

    await page.unroute('**/chunks/*');
    const resumedFrom: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') resumedFrom.push(new URL(r.url()).pathname.split('/').pop()!);
    });
    await page.getByRole('button', { name: 'Tiếp tục tải lên' }).click();
    await page.getByText('Đã gửi xong tất cả các tệp.').waitFor({ timeout: 60_000 });
    await shot('resume-2-done-vi');
    t.same(resumedFrom, ['16'], 'the resumed upload starts at chunk 16, after the stored batch');

    const staff = await intakeOfficer(s);
    const publicNumber = ((await page.locator('.public-number').innerText()).split(':').pop() ?? '').trim();
    const caseId = await staff.caseId(publicNumber);
    const { body } = await staff.open(caseId);
    t.ok((await staff.attachmentBytes(caseId, body.attachments[0]!)).equals(file), 'the file arrives whole and byte-identical');
  });
}
