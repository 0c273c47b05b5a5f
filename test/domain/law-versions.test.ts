import t from 'tap';
import {
  allowedTransitions, applyTransitionAs, computeClock, replay, rulesFor, rulesInForce, vietnam, vietnamCalendar, vn2018, vn2026,
  type CaseHistory, type Jurisdiction, type WorkflowEvent, type WorkflowRole,
} from '../../src/domain/index.js';

// A jurisdiction is rule sets by the day each takes effect. In Vietnam the amended law and
// Decree 156/2026 apply from 01/07/2026, and cases already open follow them from that
// day (Decree 156 Art. 10(1)). The deadlines below are counted by hand: settlement is 30
// calendar days from acceptance (Law Art. 30(1)); expert-assessment time does not count
// (Decree 31 Art. 15(4)), so the clock pauses with the days left and resumes with them.

const cal = vietnamCalendar();

/** Replays `steps` under the jurisdiction, each step checked for `role` under the rules of its day. */
function play(j: Jurisdiction, receivedOn: string, steps: Array<[WorkflowRole, WorkflowEvent]>) {
  const events: WorkflowEvent[] = [];
  for (const [role, event] of steps) {
    const history: CaseHistory = { receivedOn, events };
    const result = applyTransitionAs(rulesFor(j, receivedOn, event.onDay), replay(j, history, cal), event, [role], receivedOn, cal);
    if (!result.ok) return { events, refused: { action: event.action, error: result.error } };
    events.push(event);
  }
  return { events, refused: null };
}

t.test('the rule set in force on each day', async (t) => {
  t.equal(rulesInForce(vietnam, '2026-06-30').id, 'VN-2018');
  t.equal(rulesInForce(vietnam, '2026-07-01').id, 'VN-2026', 'from 01/07/2026');
  t.equal(rulesFor(vietnam, '2026-06-10', '2026-07-01').id, 'VN-2026', 'a case open on that day follows the new rules (Decree 156 Art. 10(1))');
  t.equal(rulesFor(vietnam, '2026-06-10', '2026-06-30').id, 'VN-2018', 'its earlier steps stay under the rules of their day');
  t.equal(rulesInForce(vietnam, '2018-06-01').id, 'VN-2018', 'before the first set, the first set');
  const keeps: Jurisdiction = { ...vietnam, ruleSets: [vn2018, { ...vn2026, openCases: { follow: false, legalBasis: 'a law that keeps open cases on the old rules' } }] };
  t.equal(rulesFor(keeps, '2026-06-10', '2026-08-01').id, 'VN-2018', 'where the new law says so, open cases keep the old rules');
  t.equal(rulesFor(keeps, '2026-07-02', '2026-08-01').id, 'VN-2026', 'and new cases take the new ones');
  t.ok(vn2026.sources.some((s) => s.act.includes('136/2025/QH15')) && vn2026.sources.some((s) => s.act.includes('156/2026')), 'each rule set names its acts');
});

t.test('a case accepted before 01/07/2026 takes the new expert-assessment step after it, clock paused by hand', async (t) => {
  const receivedOn = '2026-06-10';
  const before = play(vietnam, receivedOn, [
    ['intake', { action: 'triage', onDay: '2026-06-11' }],
    ['intake', { action: 'accept', onDay: '2026-06-15' }], // settlement: 15/6 + 30 days = 15/7
    ['investigator', { action: 'start_verification', onDay: '2026-06-16' }],
    ['investigator', { action: 'request_assessment', onDay: '2026-06-25' }],
  ]);
  t.same(before.refused, { action: 'request_assessment', error: 'illegal_transition' }, 'before 01/07/2026 the 2018 rule set has no such step');
  t.equal(computeClock(vietnam, { receivedOn, events: before.events }, cal, '2026-06-25').due, '2026-07-15', '30 calendar days from acceptance');

  const after = play(vietnam, receivedOn, [
    ...before.events.map((e) => [e.action === 'triage' || e.action === 'accept' ? 'intake' : 'investigator', e] as [WorkflowRole, WorkflowEvent]),
    ['investigator', { action: 'request_assessment', onDay: '2026-07-06' }], // 9 days left (6/7 → 15/7)
  ]);
  t.equal(after.refused, null, 'from 01/07/2026 the open case follows the new rules');
  const paused = computeClock(vietnam, { receivedOn, events: after.events }, cal, '2026-07-10');
  t.same([paused.due, paused.remaining, paused.paused?.since], [null, 9, '2026-07-06'], 'the time the assessment takes does not count');
  const resumed = [...after.events, { action: 'receive_assessment' as const, onDay: '2026-07-20' }];
  t.equal(replay(vietnam, { receivedOn, events: resumed }, cal).state, 'VERIFYING');
  t.equal(computeClock(vietnam, { receivedOn, events: resumed }, cal, '2026-07-20').due, '2026-07-29', '20/7 + the 9 days left');
});

t.test('termination ends a settlement: from triage under the 2018 set, only after acceptance under the 2026 one', async (t) => {
  const triaged: Array<[WorkflowRole, WorkflowEvent]> = [['intake', { action: 'triage', onDay: '2026-06-11' }]];
  t.equal(play(vietnam, '2026-06-10', [...triaged, ['supervisor', { action: 'terminate', onDay: '2026-06-20' }]]).refused, null, 'on 20/6/2026, as the 2018 set had it');
  t.same(play(vietnam, '2026-06-10', [...triaged, ['supervisor', { action: 'terminate', onDay: '2026-07-02' }]]).refused,
    { action: 'terminate', error: 'illegal_transition' }, 'on 2/7/2026 the same case is not accepted instead (Law Art. 24(1), 34(3))');
});

t.test('who decides: from 01/07/2026 the head of agency accepts and concludes, the intake officer and the verification team propose', async (t) => {
  const triaged: Array<[WorkflowRole, WorkflowEvent]> = [['intake', { action: 'triage', onDay: '2026-06-11' }]];
  t.equal(play(vietnam, '2026-06-10', [...triaged, ['intake', { action: 'accept', onDay: '2026-06-30' }]]).refused, null, 'on 30/6/2026 the intake officer still accepted');
  t.same(play(vietnam, '2026-06-10', [...triaged, ['intake', { action: 'accept', onDay: '2026-07-01' }]]).refused, { action: 'accept', error: 'forbidden' }, 'on 1/7/2026 it is the head\'s (Law Art. 29(1))');
  t.equal(play(vietnam, '2026-06-10', [...triaged, ['supervisor', { action: 'accept', onDay: '2026-07-01' }]]).refused, null);
  const accept = vn2026.transitions.find((r) => r.action === 'accept')!;
  const conclude = vn2026.transitions.find((r) => r.action === 'conclude')!;
  t.same([accept.roles, accept.proposedBy, conclude.roles, conclude.proposedBy], [['supervisor'], ['intake'], ['supervisor'], ['investigator']]);
});

t.test('each step cites the text of its day', async (t) => {
  const step = (onDay: string) => {
    const r = applyTransitionAs(rulesFor(vietnam, '2026-06-10', onDay), replay(vietnam, { receivedOn: '2026-06-10', events: [{ action: 'triage', onDay: '2026-06-11' }] }, cal),
      { action: 'not_accept', onDay }, ['supervisor'], '2026-06-10', cal);
    return r.ok ? r.legalBasis : r.message;
  };
  t.equal(step('2026-06-30'), 'Luật Tố cáo 2018 Art. 24.1, Art. 29.1');
  t.equal(step('2026-07-01'), 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 24.1, Art. 29.1');
});

// Withdrawal from 01/07/2026 (Law Art. 33, 34(3)(a); Decree 31 new Art. 4 as replaced by
// Decree 156). The case: received Wed 10/6/2026, accepted Mon 15/6, so the settlement is
// due 15/6 + 30 calendar days = Wed 15/7 (Law Art. 30(1)); no holiday falls in July.
const settling: Array<[WorkflowRole, WorkflowEvent]> = [
  ['intake', { action: 'triage', onDay: '2026-06-11' }],
  ['intake', { action: 'accept', onDay: '2026-06-15' }],
  ['investigator', { action: 'start_verification', onDay: '2026-06-16' }],
];
const due = (events: WorkflowEvent[], asOf: string) => computeClock(vietnam, { receivedOn: '2026-06-10', events }, cal, asOf);
const stateOf = (events: WorkflowEvent[]) => replay(vietnam, { receivedOn: '2026-06-10', events }, cal).state;

t.test('before 01/07/2026 a withdrawal ends the case at once and has no partial form, as the 2018 set had it', async (t) => {
  t.same(play(vietnam, '2026-06-10', [...settling, ['denouncer', { action: 'withdraw_part', onDay: '2026-06-30' }]]).refused,
    { action: 'withdraw_part', error: 'illegal_transition' });
  const withdrawn = play(vietnam, '2026-06-10', [...settling, ['denouncer', { action: 'withdraw', onDay: '2026-06-30' }]]);
  t.equal(withdrawn.refused, null);
  t.equal(stateOf(withdrawn.events), 'WITHDRAWN', 'a terminal state on 30/6/2026, recorded as it was');
  const later = play(vietnam, '2026-06-10', [...withdrawn.events.map((e) => [e.action === 'withdraw' ? 'denouncer' : 'supervisor', e] as [WorkflowRole, WorkflowEvent]), ['supervisor', { action: 'continue_settlement', onDay: '2026-07-02', ground: 'coercion' }]]);
  t.same(later.refused, { action: 'continue_settlement', error: 'illegal_transition' }, 'history is not rewritten: the case stays ended under the 2026 set');
});

t.test('from 01/07/2026 a partial withdrawal leaves the case as it is; a full one brings the head\'s decision', async (t) => {
  const partly = play(vietnam, '2026-06-10', [
    ...settling,
    ['denouncer', { action: 'withdraw_part', onDay: '2026-07-02' }], // form 02, through the receipt
    ['intake', { action: 'withdraw_part', onDay: '2026-07-03' }], // form 03, a record made by the one who receives it
  ]);
  t.equal(partly.refused, null);
  t.equal(stateOf(partly.events), 'VERIFYING', 'the rest is still settled (Art. 33(2))');
  t.equal(due(partly.events, '2026-07-03').due, '2026-07-15', 'on the same clock');

  const whole = [...partly.events, { action: 'withdraw' as const, onDay: '2026-07-06' }];
  t.equal(stateOf(whole), 'WITHDRAWAL_REVIEW', 'not a terminal state');
  const waiting = due(whole, '2026-07-06');
  t.same([waiting.due, waiting.remaining, waiting.paused], ['2026-07-15', 9, null], 'the settlement period runs on: 6/7 → 15/7 is 9 days');
  const review = replay(vietnam, { receivedOn: '2026-06-10', events: whole }, cal);
  t.same(allowedTransitions(vn2026, review, 'supervisor'), ['notify_denounced', 'terminate', 'continue_settlement'], 'the head terminates or goes on (and may still notify the content, Art. 29(3))');
  t.same(allowedTransitions(vn2026, review, 'denouncer'), [], 'nothing more to withdraw');

  const noGround = applyTransitionAs(vn2026, review, { action: 'continue_settlement', onDay: '2026-07-08' }, ['supervisor'], '2026-06-10', cal);
  t.equal(noGround.ok ? 'ok' : noGround.error, 'ground_required', 'going on names a ground of new Art. 4(4)');
  const goesOn = applyTransitionAs(vn2026, review, { action: 'continue_settlement', onDay: '2026-07-08', ground: 'coercion' }, ['supervisor'], '2026-06-10', cal);
  t.ok(goesOn.ok);
  if (goesOn.ok) {
    t.equal(goesOn.snapshot.state, 'VERIFYING', 'back where the withdrawal found it');
    t.equal(goesOn.legalBasis, 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 33(3); Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026) Art. 4(4)–(5); Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026) Art. 4(4)(b)');
    t.equal(goesOn.noticeOwed, true, 'the denouncer is told the case goes on');
    t.equal(goesOn.due, '2026-07-15');
  }
  const byInvestigator = applyTransitionAs(vn2026, review, { action: 'terminate', onDay: '2026-07-08' }, ['investigator'], '2026-06-10', cal);
  t.equal(byInvestigator.ok ? 'ok' : byInvestigator.error, 'forbidden', 'the verification team proposes; the head decides (Art. 34)');
  const ends = applyTransitionAs(vn2026, review, { action: 'terminate', onDay: '2026-07-09' }, ['supervisor'], '2026-06-10', cal);
  t.same(ends.ok && [ends.snapshot.state, ends.noticeOwed, ends.legalBasis, ends.late], ['TERMINATED', true, 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 34(3)–(4)', false],
    'terminated on 9/7, before 15/7; the decision goes to the denouncer with it, within the 5 working days of Art. 34(4)');
  const stray = applyTransitionAs(vn2026, replay(vietnam, { receivedOn: '2026-06-10', events: partly.events }, cal),
    { action: 'extend', onDay: '2026-07-08', ground: 'slander', extension: { complexity: 'complex', amount: 10 } }, ['supervisor'], '2026-06-10', cal);
  t.equal(stray.ok ? 'ok' : stray.error, 'ground_required', 'a ground on a step that names none is refused');
});

t.test('a full withdrawal of a suspended case: the head goes on, the suspension stands, and resumption gives the days back', async (t) => {
  const events = play(vietnam, '2026-06-10', [
    ...settling,
    ['supervisor', { action: 'suspend', onDay: '2026-07-02' }], // 13 days left: 2/7 → 15/7
    ['denouncer', { action: 'withdraw', onDay: '2026-07-06' }],
    ['supervisor', { action: 'continue_settlement', onDay: '2026-07-08', ground: 'slander' }],
  ]);
  t.equal(events.refused, null);
  t.equal(stateOf(events.events), 'SUSPENDED', 'back to the suspension the withdrawal found');
  t.same(due(events.events, '2026-07-08').remaining, 13, 'the review did not touch the paused clock');
  const resumed = [...events.events, { action: 'resume' as const, onDay: '2026-07-10' }];
  t.equal(stateOf(resumed), 'VERIFYING', 'and resumption returns to verification');
  t.equal(due(resumed, '2026-07-10').due, '2026-07-23', '10/7 + 13 days = Thu 23/7');
});

t.test('no withdrawal after the conclusion (Art. 33(1))', async (t) => {
  const concluded = play(vietnam, '2026-06-10', [
    ...settling,
    ['supervisor', { action: 'conclude', onDay: '2026-07-14', finding: 'false' }],
    ['denouncer', { action: 'withdraw', onDay: '2026-07-15' }],
  ]);
  t.same(concluded.refused, { action: 'withdraw', error: 'illegal_transition' });
  t.same(play(vietnam, '2026-06-10', [...concluded.events.map((e) => ['supervisor', e] as [WorkflowRole, WorkflowEvent]), ['supervisor', { action: 'withdraw_part', onDay: '2026-07-15' }]]).refused,
    { action: 'withdraw_part', error: 'illegal_transition' }, 'nor a record of one');
});

// What follows a conclusion from 01/07/2026 (Law Art. 35(3), 36(1), 40(1); Decree 31 Art.
// 18(2) as amended by Decree 156 Art. 3). The case: received Mon 20/7/2026, accepted Wed
// 22/7 by the head, so the settlement is due 22/7 + 30 calendar days = Fri 21/8, and
// concluded that day, finding the denunciation false. Counted by hand in working days
// from Fri 21/8: Mon 24/8 is the 1st, Fri 28/8 the 5th — the conclusion is sent by then;
// Mon 31/8 is the 6th, Tue 1/9 and Wed 2/9 are the National Day holidays
// (holidays-vn.ts), so Thu 3/9 is the 7th — handled and published by then.
const concluded: Array<[WorkflowRole, WorkflowEvent]> = [
  ['intake', { action: 'triage', onDay: '2026-07-21' }],
  ['supervisor', { action: 'accept', onDay: '2026-07-22' }],
  ['investigator', { action: 'start_verification', onDay: '2026-07-23' }],
  ['supervisor', { action: 'conclude', onDay: '2026-08-21', finding: 'false' }],
];
const afterJuly = (events: WorkflowEvent[]) => replay(vietnam, { receivedOn: '2026-07-20', events }, cal);
const take = (events: WorkflowEvent[], event: WorkflowEvent, role: WorkflowRole = 'supervisor') =>
  applyTransitionAs(vn2026, afterJuly(events), event, [role], '2026-07-20', cal);

t.test('a conclusion opens its duties: sent in 5 working days, handled and published in 7, the 2/9 holidays skipped', async (t) => {
  const { events, refused } = play(vietnam, '2026-07-20', concluded);
  t.equal(refused, null);
  const snap = afterJuly(events);
  t.same(snap.duties.map((d) => [d.duty, d.due, d.metOn]), [
    ['notify_denounced', '2026-07-29', null], // accepted Wed 22/7: 5 working days, Wed 29/7 (Art. 29(3))
    ['send_conclusion', '2026-08-28', null], ['handle_conclusion', '2026-09-03', null], ['publish_conclusion', '2026-09-03', null],
  ]);
  t.same(snap.duties.map((d) => d.legalBasis), [
    'Luật Tố cáo 2018 (sửa đổi 2025) Art. 29(3)', 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 35(3)', 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 36(1)', 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 40(1)',
  ]);
  t.same(allowedTransitions(vn2026, snap, 'supervisor'), ['notify_denounced', 'send_conclusion', 'handle_conclusion', 'monitor', 'record_false_denunciation'], 'no closing before monitoring');

  const sent = take(events, { action: 'send_conclusion', onDay: '2026-08-31' });
  t.same(sent.ok && [sent.late, sent.met.map((d) => d.duty), sent.snapshot.state], [true, ['send_conclusion'], 'CONCLUDED'], 'sent on Mon 31/8, after Fri 28/8: late');
  const onTime = take(events, { action: 'send_conclusion', onDay: '2026-08-28' });
  t.equal(onTime.ok && onTime.late, false, 'on the 5th working day: in time');
  t.equal(take(events, { action: 'send_conclusion', onDay: '2026-08-24' }, 'investigator').ok, false, 'the head sends it (Art. 35(3))');
});

t.test('handling records what was done, each measure one step, as the finding allows (Art. 36(1))', async (t) => {
  const { events } = play(vietnam, '2026-07-20', concluded);
  const wrong = take(events, { action: 'handle_conclusion', onDay: '2026-09-03', ground: 'violation_handled' });
  t.equal(wrong.ok ? 'ok' : wrong.error, 'ground_required', 'no violation to handle in a denunciation found false');
  t.equal((take(events, { action: 'handle_conclusion', onDay: '2026-09-03' }) as { error?: string }).error, 'ground_required', 'a measure is named');
  const first = take(events, { action: 'handle_conclusion', onDay: '2026-09-03', ground: 'false_denouncer_handled' });
  t.same(first.ok && [first.late, first.legalBasis], [false, 'Luật Tố cáo 2018 (sửa đổi 2025) Art. 36(1); Luật Tố cáo 2018 (sửa đổi 2025) Art. 36(1)(a); Art. 8(10)'],
    'Thu 3/9, the 7th working day: in time');
  const handled = [...events, { action: 'handle_conclusion' as const, onDay: '2026-09-03', ground: 'false_denouncer_handled' as const }];
  const second = take(handled, { action: 'handle_conclusion', onDay: '2026-09-04', ground: 'rights_restored' });
  t.same(second.ok && [second.late, second.met], [false, []], 'a second measure after the duty was met is not late');
  const late = take(events, { action: 'handle_conclusion', onDay: '2026-09-04', ground: 'rights_restored' });
  t.equal(late.ok && late.late, true, 'the first measure on Fri 4/9 is late');
});

t.test('monitoring: the head or the unit assigned, then the result closes the case once the conclusion was sent and handled', async (t) => {
  const { events } = play(vietnam, '2026-07-20', concluded);
  t.equal((take(events, { action: 'monitor', onDay: '2026-08-24' }) as { error?: string }).error, 'ground_required', 'who monitors is named');
  t.equal((take(events, { action: 'monitor', onDay: '2026-08-24', ground: 'advisory_unit' }, 'investigator') as { error?: string }).error, 'forbidden');
  const monitored = [...events, { action: 'monitor' as const, onDay: '2026-08-24', ground: 'advisory_unit' as const }];
  t.equal(afterJuly(monitored).state, 'MONITORING');
  t.same(allowedTransitions(vn2026, afterJuly(monitored), 'supervisor'), ['notify_denounced', 'send_conclusion', 'handle_conclusion', 'record_false_denunciation'], 'the result waits for the sending and the handling');
  const done = [
    ...monitored,
    { action: 'send_conclusion' as const, onDay: '2026-08-25' },
    { action: 'handle_conclusion' as const, onDay: '2026-08-26', ground: 'rights_restored' as const },
  ];
  const ends = take(done, { action: 'end_monitoring', onDay: '2026-10-30' });
  t.same(ends.ok && [ends.snapshot.state, ends.legalBasis], ['CLOSED', 'Nghị định 31/2019 (sửa đổi bởi Nghị định 156/2026) Art. 18(2)']);
  t.same(afterJuly(done).duties.filter((d) => d.metOn === null).map((d) => d.duty), ['notify_denounced', 'publish_conclusion'], 'the publication is met by publishing, not by a step');
});

t.test('a case concluded under the 2018 set: closed as it was before 01/07/2026, monitored after, with no duties', async (t) => {
  const early = play(vietnam, '2026-06-10', [...settling, ['supervisor', { action: 'conclude', onDay: '2026-06-29', finding: 'true' }]]);
  t.equal(early.refused, null);
  t.same(replay(vietnam, { receivedOn: '2026-06-10', events: early.events }, cal).duties, [], 'the 2018 set opened none');
  const replayAs = early.events.map((e) => ['supervisor', e] as [WorkflowRole, WorkflowEvent]);
  t.equal(play(vietnam, '2026-06-10', [...replayAs, ['supervisor', { action: 'close', onDay: '2026-06-30' }]]).refused, null, 'closed on 30/6/2026');
  t.same(play(vietnam, '2026-06-10', [...replayAs, ['supervisor', { action: 'close', onDay: '2026-07-01' }]]).refused,
    { action: 'close', error: 'illegal_transition' }, 'from 1/7/2026 a concluded case is monitored instead');
  t.equal(play(vietnam, '2026-06-10', [...replayAs, ['supervisor', { action: 'monitor', onDay: '2026-07-01', ground: 'inspectorate' }]]).refused, null);
});
