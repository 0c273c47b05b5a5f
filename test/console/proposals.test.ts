import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import t from 'tap';
import type { Browser, Page } from 'playwright-core';
import { HttpClient } from '../../src/client/http.js';
import { caseProposals, proposeDecision } from '../../src/client/staff-proposals.js';
import { resolveCaseId, transitionCase } from '../../src/client/staff-workflow.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import type { FixtureStaff } from '../helpers/fixtures.js';
import { browserOrSkip, launchChromium } from '../web/helpers.js';
import { checkTraffic, NOTHING_STORED, secretEncodings, seriousViolations, signIn, storageUsed, watch } from './page-checks.js';
import { consoleScene, keyFileFor, type ConsoleScene } from './scene.js';
import { screenshot } from '../helpers/screenshots.js';

// The verification team prepares, the head of agency decides (LEGAL.md "Who decides"),
// in the console and without a terminal: the investigator proposes an extension, with
// reasons; the head, granted the case like an investigator, reads it, takes the decision
// from a form filled with what was proposed, then declines a proposed conclusion with a
// reason the investigator reads. A proposal the server makes up is shown as refused,
// names nobody and cannot be decided on.

const ARTIFACTS = 'test-artifacts/console';

async function asStaff(s: ConsoleScene, who: { id: string; keys: FixtureStaff['keys'] }) {
  const http = new HttpClient({ baseUrl: s.server.url });
  return new StaffClient(http, await login(http, who.id, who.keys, s.server.url), new MemoryTrustStore({ [s.agency.id]: s.agency.fingerprint }));
}

async function openAs(browser: Browser, s: ConsoleScene, staff: FixtureStaff) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const w = await watch(context);
  await w.page.goto(s.localUrl);
  await signIn(w.page, await keyFileFor(s.agency, staff, s.passphrase), s.passphrase, { fingerprint: s.agency.fingerprint });
  await w.page.getByRole('button', { name: `Mở vụ việc ${s.publicNumber}` }).click();
  await w.page.getByRole('heading', { name: 'Xử lý vụ việc' }).waitFor();
  return { context, w, page: w.page };
}

const proposals = (page: Page) => page.locator('section.proposals');

t.test('an investigator proposes, the head of agency decides and declines, in the console', async (t) => {
  if (!browserOrSkip(t)) return;
  const s = await consoleScene(t, { agency: { extraStaff: [['supervisor']] } });
  const investigator = s.agency.withRole('investigator')[0]!;
  const head = s.agency.withRole('supervisor')[0]!;
  const officer = await asStaff(s, s.officer);
  const caseId = await resolveCaseId(officer, s.publicNumber);
  // Through the SDK: the intake officer classifies the case and grants it to the
  // investigator and to the head of agency, who accepts it (Law Art. 29(1)).
  await transitionCase(officer, caseId, { action: 'triage', reason: 'Đủ điều kiện phân loại.' }, s.officer.keys);
  await officer.grant(caseId, { staffId: investigator.id }, s.officer.keys);
  await officer.grant(caseId, { staffId: head.id }, s.officer.keys);
  await transitionCase(await asStaff(s, head), caseId, { action: 'accept', reason: 'Đủ điều kiện thụ lý.' }, head.keys);
  const inv = await asStaff(s, investigator);
  await transitionCase(inv, caseId, { action: 'start_verification', reason: 'Thành lập tổ xác minh.' }, investigator.keys);
  const browser = await launchChromium();
  const origin = new URL(s.localUrl).origin;

  // The investigator: the head's step is disabled, and offered as a proposal instead.
  const i = await openAs(browser, s, investigator);
  t.ok(await i.page.getByRole('button', { name: 'Gia hạn giải quyết', exact: true }).isDisabled(), 'the extension itself is the head\'s');
  const why = 'Cần xác minh thêm tại hai địa phương.';
  await i.page.getByRole('button', { name: 'Đề xuất: Gia hạn giải quyết' }).click();
  t.notOk(await i.page.getByLabel('Thông báo cho người tố cáo (Luật yêu cầu; có thể sửa)').count(), 'a proposal sends the denouncer nothing');
  await i.page.getByLabel('Lý do đề xuất (niêm phong trong hồ sơ; người tố cáo không thấy)').fill(why);
  await i.page.getByLabel('Số ngày gia hạn (tối đa 30)').fill('30');
  await i.page.getByRole('button', { name: 'Xem lại' }).click();
  t.match(await i.page.locator('.dialog').innerText(), 'Trạng thái vụ việc chưa thay đổi.', 'the review says the case does not move');
  await i.page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  await i.page.getByText('✓ Đã gửi đề xuất «Gia hạn giải quyết» cho thủ trưởng cơ quan.').waitFor();
  await proposals(i.page).getByText(why).waitFor();
  t.match(await proposals(i.page).innerText(), 'Đang chờ thủ trưởng quyết định.', 'listed as waiting for the head');
  t.notOk(await proposals(i.page).getByRole('button', { name: 'Không chấp nhận' }).count(), 'the investigator does not answer their own proposal');
  t.same(await seriousViolations(i.page), [], 'proposal list: no serious or critical accessibility violation');
  checkTraffic(t, i.w, origin, secretEncodings(investigator.keys, s.passphrase), 'investigator');
  await i.context.close();

  // The head: reads the proposal, decides from a form filled with it.
  const h = await openAs(browser, s, head);
  await proposals(h.page).getByText(why).waitFor();
  t.match(await proposals(h.page).innerText(), `của ${investigator.displayName}`, 'the proposer is named from the verified bundle');
  await h.page.getByRole('button', { name: 'Quyết định: Gia hạn giải quyết' }).click();
  t.equal(await h.page.getByLabel('Số ngày gia hạn (tối đa 30)').inputValue(), '30', 'the form carries the proposed extension');
  t.match(await h.page.getByLabel('Lý do (niêm phong trong hồ sơ; người tố cáo không thấy)').inputValue(), why);
  await h.page.getByRole('button', { name: 'Xem lại' }).click();
  await h.page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  t.match(await h.page.locator('section.actions p.done').innerText(), 'Hạn mới', 'extended, with the new time limit');
  await proposals(h.page).getByText(`Đã quyết định: ${head.displayName}`).waitFor();
  await h.context.close();

  // A conclusion proposed through the SDK, and a proposal the server makes up in the investigator's name.
  await proposeDecision(inv, caseId, {
    action: 'conclude', reason: 'Tố cáo đúng một phần.', finding: 'partly_true',
  }, investigator.keys);
  await s.server.database.db.insertInto('case_proposals').values({
    id: randomUUID(), case_id: caseId, action: 'extend', proposed_by: investigator.id, proposed_on: '2026-01-05',
    body: randomBytes(120), finding: null, extension_complexity: 'complex', extension_days: 30, signature: randomBytes(64), status: 'open',
  }).execute();

  const h2 = await openAs(browser, s, head);
  await proposals(h2.page).getByText('Tố cáo đúng một phần.').waitFor();
  const forged = proposals(h2.page).locator('li.proposal.refused');
  t.equal(await forged.count(), 1, 'the made-up proposal is shown as refused');
  t.notOk(await forged.getByRole('button').count(), 'and cannot be decided on');
  t.notMatch(await forged.innerText(), investigator.displayName, 'nor does it name the investigator');
  await h2.page.getByRole('button', { name: 'Không chấp nhận' }).click();
  const refusal = 'Chưa đủ chứng cứ; cần làm rõ thêm nguồn tiền.';
  await h2.page.getByLabel('Lý do không chấp nhận (niêm phong; người đề xuất đọc được)').fill(refusal);
  await h2.page.getByRole('button', { name: 'Xem lại' }).click();
  await h2.page.getByRole('button', { name: 'Xác nhận và ký' }).click();
  await h2.page.getByText('✓ Đã trả lời: không chấp nhận đề xuất.').waitFor();
  t.same(await seriousViolations(h2.page), [], 'head of agency with proposals: no serious or critical accessibility violation');
  await screenshot(h2.page, join(ARTIFACTS, 'proposals-head-vi.png'));
  t.same(await storageUsed(h2.page, h2.context), NOTHING_STORED, 'head: nothing stored in the browser');
  checkTraffic(t, h2.w, origin, secretEncodings(head.keys, s.passphrase), 'head of agency');
  await h2.context.close();

  // What the investigator's own client sees afterwards.
  const seen = await caseProposals(inv, caseId, investigator.keys);
  const conclusion = seen.find((p) => p.action === 'conclude')!;
  t.match(conclusion, { authenticity: 'signed', status: 'declined', answerText: refusal, answer: { authenticity: 'signed', by: head.id } });
  t.match(seen.find((p) => p.text === why), { status: 'taken', answer: { authenticity: 'signed', by: head.id } });
  t.equal(seen.filter((p) => p.authenticity === 'refused').length, 1, 'the made-up one stays refused');
});
