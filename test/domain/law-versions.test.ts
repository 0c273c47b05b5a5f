import t from 'tap';
import {
  applyTransitionAs, computeClock, replay, rulesFor, rulesInForce, vietnam, vietnamCalendar, vn2018, vn2026,
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
