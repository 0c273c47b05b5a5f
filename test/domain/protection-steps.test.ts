import t from 'tap';
import {
  confirmationDueOn, eu2019, protectionStepProblem, rulesInForce, vietnam, vietnamCalendar, vn2018, vn2026, type ProtectionStanding,
} from '../../src/domain/index.js';

// What follows a protection decision, by hand from the base text of Law Art. 54 and Art.
// 50(3) (docs/LAW-VN.md §12): which steps each rule set admits, on which grounds, on what
// standing; the written confirmation's period, an agency default the texts do not set.

const vn = vietnamCalendar();
const granted: ProtectionStanding = { status: 'granted', decidedOn: '2026-07-06', channel: 'phone', ended: false, confirmed: false, lastStepOn: null };
const step = (s: string, ground: string, onDay = '2026-07-10') => ({ step: s as 'change', ground, onDay });

t.test('Art. 54(1): measures change or are added on the body\'s initiative or a written request, once protection is applied', async (t) => {
  for (const rules of [vn2018, vn2026]) {
    t.equal(protectionStepProblem(rules, granted, step('change', 'on_request')), null, `${rules.id}: on request`);
    t.equal(protectionStepProblem(rules, granted, step('add', 'on_initiative')), null, `${rules.id}: on the body's initiative`);
    t.match(protectionStepProblem(rules, granted, step('change', 'breach')), /rests on one of: on_initiative, on_request/, `${rules.id}: no other ground`);
    t.match(protectionStepProblem(rules, granted, step('change', '')), /rests on/, `${rules.id}: a ground is named`);
  }
  t.match(protectionStepProblem(vn2026, { ...granted, status: 'pending', decidedOn: null }, step('change', 'on_request')), /only on an applied protection/);
  t.match(protectionStepProblem(vn2026, { ...granted, status: 'refused' }, step('add', 'on_request')), /only on an applied protection/);
  t.match(protectionStepProblem(vn2026, granted, step('change', 'on_request', '2026-07-03')), /before the decision/);
  t.match(protectionStepProblem(vn2026, { ...granted, lastStepOn: '2026-07-12' }, step('change', 'on_request')), /before the step it follows/);
});

t.test('Art. 54(2); Law 136: the grounds of an end, the case standing where they need it, and nothing after', async (t) => {
  for (const ground of ['conclusion', 'termination', 'grounds_gone', 'on_request']) {
    t.equal(protectionStepProblem(vn2018, granted, step('end', ground)), null, `VN-2018: ${ground}`);
  }
  t.match(protectionStepProblem(vn2018, granted, step('end', 'breach')), /rests on one of/, 'VN-2018 knows no deliberate breach');
  t.equal(protectionStepProblem(vn2026, granted, step('end', 'breach')), null, 'VN-2026 does (Law 136/2025)');
  t.match(protectionStepProblem(vn2026, granted, step('end', 'conclusion'), 'VERIFYING'), /needs it in CONCLUDED, MONITORING, CLOSED/, 'no end at the conclusion before one');
  t.equal(protectionStepProblem(vn2026, granted, step('end', 'conclusion'), 'MONITORING'), null);
  t.match(protectionStepProblem(vn2026, granted, step('end', 'termination'), 'CONCLUDED'), /needs it in TERMINATED/);
  t.equal(protectionStepProblem(vn2026, granted, step('end', 'grounds_gone'), 'VERIFYING'), null, 'grounds gone: at any point of the case');
  t.match(protectionStepProblem(vn2026, { ...granted, ended: true }, step('add', 'on_request')), /has ended/);
  t.match(protectionStepProblem(vn2026, { ...granted, ended: true }, step('end', 'on_request')), /has ended/);
  t.equal(rulesInForce(vietnam, '2026-06-30').id, 'VN-2018', 'a step on 30/06/2026 is under VN-2018');
});

t.test('Art. 50(3): an urgent request by phone or in person is confirmed in writing, once; the period is an agency default', async (t) => {
  const pending: ProtectionStanding = { ...granted, status: 'pending', decidedOn: null };
  t.equal(protectionStepProblem(vn2026, pending, step('confirm_writing', '')), null, 'before the decision too');
  t.match(protectionStepProblem(vn2026, pending, step('confirm_writing', 'on_request')), /no ground/);
  t.match(protectionStepProblem(vn2026, { ...pending, confirmed: true }, step('confirm_writing', '')), /already been confirmed/);
  t.match(protectionStepProblem(vn2026, { ...pending, channel: 'online' }, step('confirm_writing', '')), /only a request made by phone or in person/);
  t.equal(confirmationDueOn(vn2026, '2026-07-03', vn), '2026-07-10', 'Friday + 5 working days: the next Friday');
  t.equal(confirmationDueOn(vn2026, '2026-08-28', vn), '2026-09-08', 'across the National Day holiday (1–2 September 2026): 31/8, 3, 4, 7, 8/9');
  t.match(vn2026.protection.confirmInWriting!.legalBasis, /sets no period/, 'and says it is no legal period');
});

t.test('EU: the Directive\'s profile names no steps after a decision', async (t) => {
  t.match(protectionStepProblem(eu2019, granted, step('end', 'on_request')), /name no step end/);
  t.equal(confirmationDueOn(eu2019, '2026-07-03', vn), null);
});
