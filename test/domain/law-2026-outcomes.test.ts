import t from 'tap';
import {
  allowedTransitions, applyTransitionAs, computeClock, replay, rulesFor, vietnam, vietnamCalendar, vn2026,
  type Finding, type WorkflowEvent, type WorkflowRole,
} from '../../src/domain/index.js';

// Under the rules in force from 01/07/2026: the content notice to the person denounced
// after acceptance (Law Art. 29(3)), the track of anonymous information (Art. 25), and the
// outcomes recorded after a conclusion — a reward (Art. 62), the sanction of a deliberate
// false denunciation (Art. 8(10), 65). Dates are counted by hand on the 2026 calendar
// (holidays-vn.ts): no holiday in July; Tue 1/9 and Wed 2/9 are the National Day holidays.

const cal = vietnamCalendar();
const LAW = 'Luật Tố cáo 2018 (sửa đổi 2025)';

/** Steps checked one by one, each for its role under the rules of its day; the first refusal stops. */
function play(receivedOn: string, steps: Array<[WorkflowRole, WorkflowEvent]>) {
  const events: WorkflowEvent[] = [];
  for (const [role, event] of steps) {
    const snap = replay(vietnam, { receivedOn, events }, cal);
    const r = applyTransitionAs(rulesFor(vietnam, receivedOn, event.onDay), snap, event, [role], receivedOn, cal);
    if (!r.ok) return { events, refused: { action: event.action, error: r.error } };
    events.push(event);
  }
  return { events, refused: null };
}
const take = (receivedOn: string, events: WorkflowEvent[], event: WorkflowEvent, role: WorkflowRole = 'supervisor') =>
  applyTransitionAs(rulesFor(vietnam, receivedOn, event.onDay), replay(vietnam, { receivedOn, events }, cal), event, [role], receivedOn, cal);
const errorOf = (r: ReturnType<typeof take>) => (r.ok ? 'ok' : r.error);

// Received Mon 6/7/2026, accepted by the head on Fri 10/7: the content is notified to the
// person denounced within 5 working days, Mon 13/7 … Fri 17/7.
const accepted: Array<[WorkflowRole, WorkflowEvent]> = [
  ['intake', { action: 'triage', onDay: '2026-07-07' }],
  ['supervisor', { action: 'accept', onDay: '2026-07-10' }],
];

t.test('acceptance opens the content notice to the person denounced: 5 working days, met by the head\'s signed step', async (t) => {
  const { events, refused } = play('2026-07-06', accepted);
  t.equal(refused, null);
  const snap = replay(vietnam, { receivedOn: '2026-07-06', events }, cal);
  t.same(snap.duties.map((d) => [d.duty, d.openedOn, d.due, d.metOn, d.legalBasis]), [['notify_denounced', '2026-07-10', '2026-07-17', null, `${LAW} Art. 29(3)`]]);
  t.equal(vn2026.transitions.find((r) => r.action === 'accept')?.notice, true, 'the denouncer is told with the decision itself');

  const onTime = take('2026-07-06', events, { action: 'notify_denounced', onDay: '2026-07-17' });
  t.same(onTime.ok && [onTime.late, onTime.snapshot.state, onTime.met.map((d) => d.duty), onTime.noticeOwed, onTime.legalBasis],
    [false, 'ACCEPTED', ['notify_denounced'], false, `${LAW} Art. 29(3); Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026) Art. 9(2) (Mẫu số 06)`],
    'Fri 17/7, the 5th working day: in time, the state kept, no notice to the denouncer');
  const late = take('2026-07-06', events, { action: 'notify_denounced', onDay: '2026-07-20' });
  t.equal(late.ok && late.late, true, 'Mon 20/7: late');
  t.equal(errorOf(take('2026-07-06', events, { action: 'notify_denounced', onDay: '2026-07-14' }, 'investigator')), 'forbidden', 'the one who settles notifies');
  const twice = [...events, { action: 'notify_denounced' as const, onDay: '2026-07-14' }];
  t.equal(errorOf(take('2026-07-06', twice, { action: 'notify_denounced', onDay: '2026-07-15' })), 'illegal_transition', 'once');
  t.same(replay(vietnam, { receivedOn: '2026-07-06', events: twice }, cal).duties.map((d) => [d.metOn, d.late]), [['2026-07-14', false]]);
});

t.test('a termination before the notice meets it: the decision goes to the person denounced itself (Art. 34(4))', async (t) => {
  const { events } = play('2026-07-06', accepted);
  const terminated = take('2026-07-06', events, { action: 'terminate', onDay: '2026-07-16' });
  t.same(terminated.ok && [terminated.snapshot.state, terminated.met.map((d) => [d.duty, d.metOn, d.late])], ['TERMINATED', [['notify_denounced', '2026-07-16', false]]]);
});

t.test('the notice across the National Day: accepted Fri 28/8, due Tue 8/9', async (t) => {
  // Mon 31/8 (1), Tue 1/9 and Wed 2/9 holidays, Thu 3/9 (2), Fri 4/9 (3), Mon 7/9 (4), Tue 8/9 (5).
  const { events, refused } = play('2026-08-24', [
    ['intake', { action: 'triage', onDay: '2026-08-25' }],
    ['supervisor', { action: 'accept', onDay: '2026-08-28' }],
  ]);
  t.equal(refused, null);
  t.same(replay(vietnam, { receivedOn: '2026-08-24', events }, cal).duties.map((d) => d.due), ['2026-09-08']);
});

t.test('before 01/07/2026 an acceptance opened no such duty (the 2018 rule set, as it was)', async (t) => {
  const { events } = play('2026-06-10', [['intake', { action: 'triage', onDay: '2026-06-11' }], ['intake', { action: 'accept', onDay: '2026-06-15' }]]);
  t.same(replay(vietnam, { receivedOn: '2026-06-10', events }, cal).duties, []);
});

t.test('anonymous information (Art. 25): entered by a signed ground, no statutory clock, no notice, four outcomes', async (t) => {
  const receivedOn = '2026-07-06';
  t.equal(errorOf(take(receivedOn, [], { action: 'classify_information', onDay: '2026-07-08' }, 'intake')), 'ground_required', 'names the case of Art. 25(1)');
  const entered = take(receivedOn, [], { action: 'classify_information', onDay: '2026-07-08', ground: 'no_name' }, 'intake');
  t.same(entered.ok && [entered.snapshot.state, entered.rule.setsKind, entered.noticeOwed, entered.due, entered.late, entered.legalBasis], [
    'INFORMATION', 'information', false, null, false,
    `${LAW} Art. 24(1) (phân loại); Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026) Art. 20(1); ${LAW} Art. 25(1): không rõ họ tên, địa chỉ của người tố cáo`,
  ]);
  const events: WorkflowEvent[] = [{ action: 'classify_information', onDay: '2026-07-08', ground: 'no_name' }];
  const clock = computeClock(vietnam, { receivedOn, events }, cal, '2026-12-31');
  t.same([clock.overdue, clock.remaining], [false, null], 'the triage clock stopped: months later nothing is overdue or left');
  const snap = replay(vietnam, { receivedOn, events }, cal);
  t.same(allowedTransitions(vn2026, snap, 'intake'), ['forward_information', 'not_process']);
  t.same(allowedTransitions(vn2026, snap, 'supervisor'), ['decide_inspection', 'decide_checking', 'forward_information', 'not_process']);
  t.same(allowedTransitions(vn2026, snap, 'denouncer'), [], 'no withdrawal: nothing is settled under the Law');
  t.equal(errorOf(take(receivedOn, events, { action: 'decide_inspection', onDay: '2026-07-20' }, 'intake')), 'forbidden', 'the head decides an inspection (Decree 31 Art. 20(2))');
  const outcomes = { decide_inspection: 'INSPECTION', decide_checking: 'CHECKING', forward_information: 'TRANSFERRED', not_process: 'NOT_PROCESSED' } as const;
  for (const [action, state] of Object.entries(outcomes)) {
    const r = take(receivedOn, events, { action: action as keyof typeof outcomes, onDay: '2026-09-30' });
    t.same(r.ok && [r.snapshot.state, r.noticeOwed, r.late, r.snapshot.duties], [state, false, false, []], `${action}: ${state}, late never, no duty`);
  }
  const fromTriage = play(receivedOn, [['intake', { action: 'triage', onDay: '2026-07-07' }], ['supervisor', { action: 'classify_information', onDay: '2026-07-09', ground: 'false_name' }]]);
  t.equal(fromTriage.refused, null, 'from triage too');
  t.same(play('2026-06-10', [['intake', { action: 'classify_information', onDay: '2026-06-30', ground: 'no_name' }]]).refused,
    { action: 'classify_information', error: 'illegal_transition' }, 'the 2018 rule set has no such track');
});

/** Received Mon 20/7/2026, accepted Wed 22/7, concluded Fri 21/8 with `finding`. */
const concludedWith = (finding: Finding): Array<[WorkflowRole, WorkflowEvent]> => [
  ['intake', { action: 'triage', onDay: '2026-07-21' }],
  ['supervisor', { action: 'accept', onDay: '2026-07-22' }],
  ['investigator', { action: 'start_verification', onDay: '2026-07-23' }],
  ['supervisor', { action: 'conclude', onDay: '2026-08-21', finding }],
];

t.test('a reward follows a denunciation found true, once, even after the case closed (Art. 62)', async (t) => {
  const { events } = play('2026-07-20', concludedWith('true'));
  t.equal(errorOf(take('2026-07-20', events, { action: 'reward', onDay: '2026-08-24' }, 'investigator')), 'forbidden');
  t.equal(errorOf(take('2026-07-20', events, { action: 'record_false_denunciation', onDay: '2026-08-24', ground: 'discipline' })), 'illegal_transition', 'nothing false to sanction');
  const closed = play('2026-07-20', [
    ...concludedWith('true'),
    ['supervisor', { action: 'monitor', onDay: '2026-08-24', ground: 'head' }],
    ['supervisor', { action: 'send_conclusion', onDay: '2026-08-25' }],
    ['supervisor', { action: 'handle_conclusion', onDay: '2026-08-26', ground: 'violation_handled' }],
    ['supervisor', { action: 'end_monitoring', onDay: '2026-10-30' }],
  ]);
  t.equal(closed.refused, null);
  const reward = take('2026-07-20', closed.events, { action: 'reward', onDay: '2026-11-02' });
  t.same(reward.ok && [reward.snapshot.state, reward.legalBasis, reward.noticeOwed], ['CLOSED', `${LAW} Art. 62`, false], 'recorded on a closed case, which stays closed');
  const again = [...closed.events, { action: 'reward' as const, onDay: '2026-11-02' }];
  t.equal(errorOf(take('2026-07-20', again, { action: 'reward', onDay: '2026-11-03' })), 'illegal_transition', 'once');
  t.equal(errorOf(take('2026-07-20', [], { action: 'reward', onDay: '2026-07-21' })), 'illegal_transition', 'never before a conclusion');
});

t.test('a deliberate false denunciation: each sanction of Art. 65 one signed step, after a finding of false', async (t) => {
  const { events } = play('2026-07-20', concludedWith('false'));
  t.equal(errorOf(take('2026-07-20', events, { action: 'reward', onDay: '2026-08-24' })), 'illegal_transition', 'no reward for a false denunciation');
  t.equal(errorOf(take('2026-07-20', events, { action: 'record_false_denunciation', onDay: '2026-08-24' })), 'ground_required', 'names the sanction');
  const first = take('2026-07-20', events, { action: 'record_false_denunciation', onDay: '2026-09-10', ground: 'administrative_fine' });
  t.same(first.ok && [first.snapshot.state, first.legalBasis], ['CONCLUDED', `${LAW} Art. 8(10), Art. 9(2)(đ), Art. 65; ${LAW} Art. 65: xử phạt vi phạm hành chính`]);
  const both = play('2026-07-20', [
    ...concludedWith('false'),
    ['supervisor', { action: 'record_false_denunciation', onDay: '2026-09-10', ground: 'administrative_fine' }],
    ['supervisor', { action: 'record_false_denunciation', onDay: '2026-10-01', ground: 'criminal_liability' }],
  ]);
  t.equal(both.refused, null, 'a second sanction is a second step');
});
