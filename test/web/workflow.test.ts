import t from 'tap';
import { decodeJson, type CaseBody } from '../../src/client/plaintext.js';
import { protectionDetailsContext } from '../../src/client/protection-context.js';
import { combineShares, openIdentity, unwrapShare } from '../../src/protocol/index.js';
import { browserOrSkip } from './helpers.js';
import { fillReport, intakeOfficer, scene, sendAndReadReceipt } from './flow.js';

// The follow-up view's workflow requests: an urgent protection request readable only by
// m custodians together, a retaliation report filed as a linked case with its own
// receipt, and a withdrawal.

if (browserOrSkip(t)) {
  t.test('protection (urgent), retaliation and withdrawal from the follow-up view', async (t) => {
    const s = await scene(t);
    const { page, shot } = s;
    const db = s.server.database.db;
    await page.getByRole('heading', { name: 'Gửi tố cáo mới' }).waitFor();
    await fillReport(page, s.agency, { who: 'Ông K', what: 'Ép nhân viên ký khống.', when: '2026', where: 'Công ty L', evidence: 'Email.' });
    const { publicNumber } = await sendAndReadReceipt(page);
    await page.getByLabel('Tôi đã chép lại mã biên nhận').check();
    await page.getByRole('button', { name: 'Xem vụ việc' }).click();
    await page.getByText(`Hồ sơ số ${publicNumber}`).waitFor({ timeout: 60_000 });
    const staff = await intakeOfficer(s);
    const caseId = await staff.caseId(publicNumber);

    // Protection, urgent.
    await page.getByText('Yêu cầu bảo vệ', { exact: true }).click();
    await page.getByLabel('Lý do cần bảo vệ').fill('Bị đe dọa cho nghỉ việc.');
    await page.getByLabel('Biện pháp đề nghị').fill('Giữ nguyên vị trí công tác.');
    await page.getByLabel('Khẩn cấp').check();
    await page.getByRole('button', { name: 'Gửi yêu cầu bảo vệ' }).click();
    await page.getByText('Đã gửi yêu cầu bảo vệ.').waitFor();
    await shot('6-protection-vi');
    const request = await db.selectFrom('protection_requests').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    t.equal(request.urgent, true, 'the request is urgent');
    const details = request.sealed_details;
    if (details === null) throw new Error('no sealed details stored');
    const shares = await db.selectFrom('protection_shares').selectAll().where('request_id', '=', request.id).execute();
    const ctx = protectionDetailsContext(s.agency.id, request.id);
    const opened = await Promise.all(
      s.agency.withRole('custodian').map((c) => {
        const wrapped = shares.find((x) => x.custodian_id === c.id)!.wrapped;
        return unwrapShare(s.agency.be, ctx, wrapped, { publicKey: c.keys.boxPublicKey, secretKey: c.keys.boxSecretKey });
      }),
    );
    const key = await combineShares(s.agency.be, ctx, opened, details);
    t.same(decodeJson(openIdentity(s.agency.be, ctx, details, key)), {
      reasons: 'Bị đe dọa cho nghỉ việc.', measures: 'Giữ nguyên vị trí công tác.', urgent: true,
    }, 'two custodians together read the details');
    await t.rejects(combineShares(s.agency.be, ctx, opened.slice(0, 1), details), 'one custodian alone cannot');

    // Retaliation: a new urgent case linked to this one, with its own receipt.
    await page.getByText('Báo cáo bị trù dập, trả thù', { exact: true }).click();
    await page.getByLabel('Điều gì đã xảy ra với bạn?').fill('Bị điều chuyển công tác sau khi tố cáo.');
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.locator('.new-receipt .receipt-code').waitFor();
    await page.getByText('Đây là mã thứ hai, chỉ dùng cho báo cáo trù dập, trả thù').waitFor();
    t.match(await page.locator('.second-code').innerText(), 'phải thay đổi giao thức mã hóa', 'the page says why the first receipt cannot follow it');
    await shot('7-retaliation-vi');
    // Its slip is what prints from the follow-up view, and nothing of the case with it.
    await page.emulateMedia({ media: 'print' });
    const printed = await page.locator('body').innerText();
    t.equal(printed.trim(), (await page.locator('.new-receipt .slip').innerText()).trim(), 'printing prints the second receipt\'s slip only');
    t.notMatch(printed, 'Ép nhân viên ký khống.', 'not the report');
    t.notMatch(printed, 'Bị điều chuyển', 'nor the retaliation report');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('This is a second code, for the retaliation report only').waitFor();
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    const linked = await db.selectFrom('cases').select(['id', 'urgent', 'kind']).where('parent_case_id', '=', caseId).executeTakeFirstOrThrow();
    t.equal(linked.urgent, true);
    t.equal(linked.kind, 'retaliation');
    const { body } = await staff.open(linked.id);
    t.same(body as CaseBody, { kind: 'retaliation', summary: { what: 'Bị điều chuyển công tác sau khi tố cáo.' }, relatedCaseId: caseId, attachments: [] });

    // Withdrawal of everything, with its letter sealed as a message (form 02). Under the
    // rules in force (from 01/07/2026) the case then waits for the head's decision.
    await page.locator('summary', { hasText: 'Rút tố cáo' }).click();
    await page.getByLabel('Một phần nội dung tố cáo').check();
    await page.getByLabel('Tôi hiểu và muốn rút tố cáo').check();
    await page.getByRole('button', { name: 'Rút tố cáo', exact: true }).click();
    t.equal(await page.getByText('Đã gửi văn bản rút tố cáo.').count(), 0, 'a part is not withdrawn without saying which');
    await page.getByLabel('Toàn bộ nội dung tố cáo').check();
    await page.getByLabel('Nội dung rút tố cáo').fill('Đã được giải quyết nội bộ.');
    await page.getByRole('button', { name: 'Rút tố cáo', exact: true }).click();
    await page.getByText('Đã gửi văn bản rút tố cáo.').waitFor();
    await page.locator('.case-status').getByText('Đã rút toàn bộ tố cáo', { exact: false }).waitFor();
    await shot('8-withdrawn-vi');
    await page.getByRole('button', { name: 'English' }).click();
    await shot('8-withdrawn-en');
  });
}
