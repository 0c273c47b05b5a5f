import { randomBytes } from 'node:crypto';
import t from 'tap';
import { readMessages, reply } from '../../src/client/staff-messages.js';
import { browserOrSkip, offOrigin } from './helpers.js';
import { fillReport, intakeOfficer, scene, sendAndReadReceipt, type Report } from './flow.js';

// The denouncer's page end to end in Chromium: a formal denunciation with a file,
// opened by the intake officer with their own keys; then the follow-up conversation.

const report = (file: Buffer): Report => ({
  who: 'Nguyễn Văn A, Trưởng phòng Tài vụ, Sở X',
  what: 'Nhận 200 triệu đồng để duyệt hồ sơ thầu gói 07.',
  when: 'Tháng 3/2026',
  where: 'Trụ sở Sở X, tỉnh Y',
  evidence: 'Sao kê ngân hàng đính kèm; hai nhân chứng trong phòng.',
  file: { name: 'sao-ke.pdf', mimeType: 'application/pdf', buffer: file },
  identity: { name: 'Trần Thị B', address: '12 Lê Lợi, TP Y', contact: '0900 000 000' },
});

if (browserOrSkip(t)) {
  t.test('a formal denunciation with a file, read back by the intake officer, then a conversation', async (t) => {
    const s = await scene(t);
    const { page, shot } = s;
    const file = randomBytes(200 * 1024 + 17); // four chunks, the last one short
    const sent = report(file);
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    const historyAtStart = await page.evaluate(() => history.length);
    await shot('1-submit-empty-vi');
    await fillReport(page, s.agency, sent);
    await page.getByText('Khóa của cơ quan này được ghim sẵn').waitFor();
    await page.getByText('Chỉ khi đủ 2 người giữ khóa').waitFor();
    await shot('2-submit-filled-vi');

    const { receipt, publicNumber } = await sendAndReadReceipt(page);
    t.match(receipt, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'the receipt is shown in five groups');
    t.ok(await page.getByText('không ai khôi phục được').isVisible(), 'the receipt cannot be recovered, and the page says so');
    await page.getByRole('button', { name: 'Sao chép mã' }).click();
    await page.getByText('Đã sao chép.').waitFor();
    t.equal(await page.evaluate(() => navigator.clipboard.readText()), receipt, 'the copy button copies the receipt');
    await shot('3-receipt-vi');
    await page.emulateMedia({ media: 'print' });
    t.notOk(await page.locator('header.top').isVisible(), 'printing leaves the header out');
    t.notOk(await page.getByRole('button', { name: 'Sao chép mã' }).isVisible(), 'and the buttons');
    t.ok(await page.locator('.slip-code').isVisible(), 'but prints the slip with the receipt');
    t.notOk(await page.locator('.receipt-panel > h2').isVisible(), 'and only the slip');
    await shot('3-receipt-print');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('nobody can recover it').waitFor();
    await shot('3-receipt-en');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    t.equal(await page.evaluate(() => document.documentElement.dataset['backend']), 'sodium');

    const staff = await intakeOfficer(s);
    const caseId = await staff.caseId(publicNumber);
    const { body } = await staff.open(caseId);
    t.same(body.summary, { who: sent.who, what: sent.what, when: sent.when, where: sent.where, evidence: sent.evidence });
    t.equal(body.attachments.length, 1);
    const ref = body.attachments[0]!;
    t.equal(ref.name, 'sao-ke.pdf');
    t.ok((await staff.attachmentBytes(caseId, ref)).equals(file), 'the attachment is byte-identical');
    t.equal((await staff.client.caseDetail(caseId)).hasIdentity, true, 'the identity block was sealed');

    // Follow-up, straight from the receipt panel.
    await page.getByLabel('Tôi đã chép lại mã biên nhận').check();
    await page.getByRole('button', { name: 'Xem vụ việc' }).click();
    await page.getByText(`Hồ sơ số ${publicNumber}`).waitFor({ timeout: 60_000 });
    await page.getByText('Đã tiếp nhận').first().waitFor();
    await page.getByText('Nội dung bạn đã gửi').click();
    await page.locator('.your-report').getByText(sent.what).waitFor();
    await shot('4-followup-vi');
    await reply(staff.client, caseId, 'Cảm ơn. Xin cho biết tên hai nhân chứng?', staff.keys);
    await page.getByRole('button', { name: 'Cập nhật' }).click();
    await page.getByText('Xin cho biết tên hai nhân chứng?').waitFor();
    await page.getByLabel('Viết tin nhắn cho cơ quan').fill('Nhân chứng: Lê C và Phạm D.');
    await page.getByRole('button', { name: 'Gửi tin nhắn' }).click();
    await page.getByText('Đã gửi tin nhắn.').waitFor();
    await page.locator('.message.mine').getByText('Nhân chứng: Lê C và Phạm D.').waitFor();

    // More evidence later: a file with a message, then downloaded and opened on the page.
    const more = randomBytes(70_000);
    await page.getByLabel('Viết tin nhắn cho cơ quan').fill('Thêm ảnh chụp.');
    await page.getByLabel('Gửi thêm tệp').setInputFiles({ name: 'anh.png', mimeType: 'image/png', buffer: more });
    await page.getByRole('button', { name: 'Gửi tin nhắn' }).click();
    const download = page.getByRole('button', { name: 'Tải về anh.png' });
    await download.waitFor();
    const [saved] = await Promise.all([page.waitForEvent('download'), download.click()]);
    t.equal(saved.suggestedFilename(), 'anh.png');
    t.ok(Buffer.from(await (await saved.createReadStream()).toArray().then((c) => Buffer.concat(c))).equals(more), 'the file added later reads back byte-identical');
    await shot('5-conversation-vi');
    await page.getByRole('button', { name: 'English' }).click();
    await shot('5-conversation-en');

    const { contentKey } = await staff.open(caseId);
    const messages = await readMessages(staff.client, caseId, s.agency.id, contentKey);
    t.ok(messages.some((m) => m.direction === 'from_denouncer' && m.text === 'Nhân chứng: Lê C và Phạm D.'), 'the answer reached the agency');

    // Nothing kept, nothing leaked.
    t.same(
      await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, history: history.length })),
      { local: 0, session: 0, cookie: '', history: historyAtStart },
    );
    t.equal(page.url(), `${s.server.url}/`, 'the URL never changed');
    // "Send another report" starts from a fresh page: the receipt is gone from it.
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('button', { name: 'Gửi tố cáo mới' }).click();
    await page.getByRole('button', { name: 'Gửi một tố cáo khác' }).click();
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    t.notOk((await page.content()).includes(receipt.slice(0, 11)), 'the new page knows nothing of the receipt');
    t.same(offOrigin(s.requests, s.server.url), [], 'no request to any other origin');
    t.same(s.consoleProblems.filter((m) => /security policy|trusted type/i.test(m)), [], 'no CSP or Trusted Types violation');
    t.notOk(s.requests.some((r) => r.url().includes(receipt.replaceAll('-', '').slice(0, 10))), 'the receipt never appears in a URL');
    // Names first, then every bundle (PROTOCOL.md §9): the choice waits on names only, and
    // the server never sees the chosen agency asked for alone before a submission names it.
    const paths = s.requests.map((r) => new URL(r.url()).pathname);
    t.ok(paths.includes('/v1/directory'), 'the names come from the directory');
    t.ok(paths.indexOf('/v1/agencies') > paths.indexOf('/v1/directory'), 'the bundles after them');
    t.same(paths.filter((p) => p.startsWith('/v1/agencies/')), [`/v1/agencies/${s.agency.slug}`], 'one agency asked for alone: by the submission, which names it anyway');
  });
}
