import t, { type Test } from 'tap';
import {
  europeanUnion, vietnam,
  addCalendarDays, allowedTransitions, applyTransition, applyTransitionAs, computeClock, eu2019, initialDue, lastReceiptDueBy, openSnapshot, replay, vietnamCalendar, vn2018,
  type CaseHistory, type WorkflowEvent, type WorkflowRole, type WorkflowSnapshot, type JurisdictionProfile,
} from '../../src/domain/index.js';

const vn = vietnamCalendar();

/** Applies `steps` in order, failing the test on the first refusal; returns each result's due and lateness. */
function run(t: Test, profile: JurisdictionProfile, receivedOn: string, steps: Array<[WorkflowRole, WorkflowEvent]>) {
  let snap: WorkflowSnapshot = openSnapshot(profile, receivedOn, vn);
  const out: Array<{ action: string; due: string | null; late: boolean; notice: boolean }> = [];
  for (const [role, event] of steps) {
    const r = applyTransition(profile, snap, event, role, receivedOn, vn);
    if (!r.ok) {
      t.fail(`${event.action}: ${r.message}`);
      break;
    }
    snap = r.snapshot;
    out.push({ action: event.action, due: r.due, late: r.late, notice: r.noticeOwed });
  }
  return { snap, out };
}

t.test('VN: accepted, extended twice, suspended over 30/4, concluded late — deadlines by hand', async (t) => {
  const { snap, out } = run(t, vn2018, '2026-01-05', [
    ['intake', { action: 'triage', onDay: '2026-01-06' }],
    ['intake', { action: 'accept', onDay: '2026-01-12' }], // + 30 calendar days
    ['investigator', { action: 'start_verification', onDay: '2026-01-15' }],
    ['supervisor', { action: 'extend', onDay: '2026-02-09', extension: { complexity: 'especially_complex', amount: 30 } }],
    ['supervisor', { action: 'extend', onDay: '2026-03-10', extension: { complexity: 'especially_complex', amount: 30 } }],
    ['supervisor', { action: 'suspend', onDay: '2026-04-01' }], // 11 days left to the nominal 12/4
    ['supervisor', { action: 'resume', onDay: '2026-05-04' }], // 4/5 + 11
    ['investigator', { action: 'conclude', onDay: '2026-05-20', finding: 'partly_true' }],
    ['supervisor', { action: 'close', onDay: '2026-06-01' }],
  ]);
  t.same(out.map((o) => [o.action, o.due, o.late, o.notice]), [
    ['triage', '2026-01-14', false, false], // 7 working days from Monday 5/1
    ['accept', '2026-02-11', false, true],
    ['start_verification', '2026-02-11', false, false],
    ['extend', '2026-03-13', false, true],
    ['extend', '2026-04-13', false, true], // 12/4 is a Sunday: rolled to Monday
    ['suspend', null, false, true],
    ['resume', '2026-05-15', false, true],
    ['conclude', null, true, true],
    ['close', null, false, false],
  ]);
  t.equal(snap.state, 'CLOSED');
});

t.test('VN: suspended over Tết, resumed with the days left, due rolled off a Saturday', async (t) => {
  const history: CaseHistory = {
    receivedOn: '2026-01-20',
    events: [
      { action: 'triage', onDay: '2026-01-21' },
      { action: 'accept', onDay: '2026-01-26' },
      { action: 'start_verification', onDay: '2026-01-27' },
      { action: 'suspend', onDay: '2026-02-13' },
    ],
  };
  const paused = computeClock(vietnam, history, vn, '2026-02-20');
  t.same(paused.paused, { since: '2026-02-13', remaining: 12 }, '25/2 minus 13/2');
  t.equal(paused.overdue, false);
  const resumed = { ...history, events: [...history.events, { action: 'resume' as const, onDay: '2026-02-23' }] };
  const clock = computeClock(vietnam, resumed, vn, '2026-03-09');
  t.equal(clock.due, '2026-03-09', '23/2 + 12 = Saturday 7/3, rolled to Monday');
  t.equal(clock.overdue, false);
  t.equal(clock.remaining, 0);
  t.equal(computeClock(vietnam, resumed, vn, '2026-03-10').overdue, true);
  t.equal(replay(vietnam, resumed, vn).state, 'VERIFYING', 'resume returns to the state before suspension');
});

t.test('VN: the triage clock, its extension to 10 working days, and a late transfer', async (t) => {
  const received = { receivedOn: '2026-02-10', events: [] };
  t.equal(computeClock(vietnam, received, vn, '2026-02-10').due, '2026-02-26', '7 working days over Tết');
  const extended = { receivedOn: '2026-02-10', events: [{ action: 'extend_triage' as const, onDay: '2026-02-12' }] };
  t.equal(computeClock(vietnam, extended, vn, '2026-02-12').due, '2026-03-03', '10 working days');
  t.same(run(t, vn2018, '2026-02-10', [['intake', { action: 'transfer', onDay: '2026-02-24' }]]).out[0]?.late, false, '5th working day');
  t.same(run(t, vn2018, '2026-03-02', [['intake', { action: 'transfer', onDay: '2026-03-10' }]]).out[0]?.late, true, '6th working day');
});

const refusals: Array<[string, WorkflowRole, WorkflowEvent[], WorkflowEvent, string]> = [
  ['an investigator cannot accept', 'investigator', [{ action: 'triage', onDay: '2026-03-02' }], { action: 'accept', onDay: '2026-03-03' }, 'illegal_transition'],
  ['intake cannot conclude', 'intake', [], { action: 'conclude', onDay: '2026-03-03', finding: 'true' }, 'illegal_transition'],
  ['no conclusion before verification', 'supervisor', [{ action: 'triage', onDay: '2026-03-02' }, { action: 'accept', onDay: '2026-03-02' }], { action: 'conclude', onDay: '2026-03-03', finding: 'true' }, 'illegal_transition'],
  ['a conclusion needs a finding', 'investigator', [{ action: 'triage', onDay: '2026-03-02' }, { action: 'accept', onDay: '2026-03-02' }, { action: 'start_verification', onDay: '2026-03-02' }], { action: 'conclude', onDay: '2026-03-03' }, 'finding_required'],
  ['a complex case gets one extension', 'supervisor', [{ action: 'triage', onDay: '2026-03-02' }, { action: 'accept', onDay: '2026-03-02' }, { action: 'extend', onDay: '2026-03-20', extension: { complexity: 'complex', amount: 30 } }], { action: 'extend', onDay: '2026-03-25', extension: { complexity: 'complex', amount: 10 } }, 'extension_refused'],
  ['an especially complex case gets two, not three', 'supervisor', [{ action: 'triage', onDay: '2026-03-02' }, { action: 'accept', onDay: '2026-03-02' }, { action: 'extend', onDay: '2026-03-20', extension: { complexity: 'especially_complex', amount: 30 } }, { action: 'extend', onDay: '2026-04-20', extension: { complexity: 'especially_complex', amount: 30 } }], { action: 'extend', onDay: '2026-05-20', extension: { complexity: 'especially_complex', amount: 1 } }, 'extension_refused'],
  ['an extension is at most 30 days', 'supervisor', [{ action: 'triage', onDay: '2026-03-02' }, { action: 'accept', onDay: '2026-03-02' }], { action: 'extend', onDay: '2026-03-20', extension: { complexity: 'complex', amount: 31 } }, 'extension_refused'],
  ['no extension while suspended', 'supervisor', [{ action: 'triage', onDay: '2026-03-02' }, { action: 'accept', onDay: '2026-03-02' }, { action: 'suspend', onDay: '2026-03-05' }], { action: 'extend', onDay: '2026-03-20', extension: { complexity: 'complex', amount: 5 } }, 'illegal_transition'],
  ['the triage extension is taken once', 'intake', [{ action: 'extend_triage', onDay: '2026-03-02' }], { action: 'extend_triage', onDay: '2026-03-03' }, 'illegal_transition'],
  ['a transition cannot be back-dated', 'intake', [{ action: 'triage', onDay: '2026-03-05' }], { action: 'accept', onDay: '2026-03-04' }, 'day_out_of_order'],
  ['staff cannot withdraw for the denouncer', 'supervisor', [], { action: 'withdraw', onDay: '2026-03-04' }, 'illegal_transition'],
  ['nothing after withdrawal', 'supervisor', [{ action: 'withdraw', onDay: '2026-03-04' }], { action: 'triage', onDay: '2026-03-04' }, 'illegal_transition'],
];

t.test('refusals name the error and list what is allowed', async (t) => {
  for (const [name, role, before, event, error] of refusals) {
    const snap = replay(vietnam, { receivedOn: '2026-03-02', events: before }, vn);
    const r = applyTransition(vn2018, snap, event, role, '2026-03-02', vn);
    t.equal(r.ok ? 'ok' : r.error, error, name);
    if (!r.ok) t.same(r.allowed, allowedTransitions(vn2018, snap, role), `${name}: allowed listed`);
  }
});

t.test('allowed transitions per role from TRIAGE', async (t) => {
  const snap = replay(vietnam, { receivedOn: '2026-03-02', events: [{ action: 'triage', onDay: '2026-03-02' }] }, vn);
  t.same(allowedTransitions(vn2018, snap, 'intake'), ['extend_triage', 'transfer', 'not_accept', 'accept', 'reclassify_petition']);
  t.same(allowedTransitions(vn2018, snap, 'investigator'), []);
  t.same(allowedTransitions(vn2018, snap, 'denouncer'), ['withdraw']);
  t.same(allowedTransitions(vn2018, snap, 'supervisor'), ['extend_triage', 'transfer', 'not_accept', 'accept', 'terminate', 'reclassify_petition']);
});

t.test('notices owed are exactly the ones the law lists (Art. 9.1.c), and the answer to a petition', async (t) => {
  const owed = vn2018.transitions.filter((r) => r.notice).map((r) => r.action).sort();
  t.same(owed, ['accept', 'answer', 'conclude', 'extend', 'not_accept', 'resume', 'suspend', 'terminate', 'transfer']);
  for (const rule of [...vn2018.transitions, ...eu2019.transitions]) t.ok(rule.legalBasis.length > 5, `${rule.action} cites its basis`);
});

t.test('EU: acknowledgement within 7 days, feedback within 3 months, one extension', async (t) => {
  t.equal(computeClock(europeanUnion, { receivedOn: '2026-01-05', events: [] }, vn, '2026-01-05').due, '2026-01-12');
  const onTime = run(t, eu2019, '2026-01-05', [['intake', { action: 'triage', onDay: '2026-01-09' }]]);
  t.same(onTime.out[0], { action: 'triage', due: '2026-04-09', late: false, notice: true });
  const late = run(t, eu2019, '2026-01-05', [
    ['intake', { action: 'triage', onDay: '2026-01-20' }],
    ['intake', { action: 'accept', onDay: '2026-01-21' }],
    ['supervisor', { action: 'extend', onDay: '2026-04-01', extension: { complexity: 'complex', amount: 3 } }],
  ]);
  t.same(late.out.map((o) => [o.due, o.late]), [['2026-04-12', true], ['2026-04-12', false], ['2026-07-12', false]],
    'a late acknowledgement starts the feedback clock at day 7; no roll-forward to a working day');
  const again = applyTransition(eu2019, late.snap, { action: 'extend', onDay: '2026-05-01', extension: { complexity: 'complex', amount: 1 } }, 'supervisor', '2026-01-05', vn);
  t.equal(again.ok ? 'ok' : again.error, 'extension_refused');
});

t.test('an actor holding several roles: the first the rule names acts; none of them, forbidden', async (t) => {
  const triage = replay(vietnam, { receivedOn: '2026-03-02', events: [{ action: 'triage', onDay: '2026-03-02' }] }, vn);
  t.same(allowedTransitions(vn2018, triage, 'intake', 'investigator'), allowedTransitions(vn2018, triage, 'intake'), 'the union, in the profile order');
  t.same(allowedTransitions(vn2018, triage, 'denouncer', 'intake'), ['extend_triage', 'transfer', 'not_accept', 'accept', 'reclassify_petition', 'withdraw']);
  const accepted = applyTransitionAs(vn2018, triage, { action: 'accept', onDay: '2026-03-03' }, ['investigator', 'intake'], '2026-03-02', vn);
  t.ok(accepted.ok, 'an intake officer who is also an investigator accepts');
  const forbidden = applyTransitionAs(vn2018, triage, { action: 'accept', onDay: '2026-03-03' }, ['investigator'], '2026-03-02', vn);
  t.equal(forbidden.ok ? 'ok' : forbidden.error, 'forbidden', 'an investigator may not accept');
  t.same(forbidden.ok ? null : forbidden.allowed, [], 'and has nothing to do in triage');
  const byStaff = applyTransitionAs(vn2018, triage, { action: 'withdraw', onDay: '2026-03-03' }, ['supervisor', 'intake'], '2026-03-02', vn);
  t.equal(byStaff.ok ? 'ok' : byStaff.error, 'forbidden', 'staff cannot withdraw for the denouncer');
  t.same(byStaff.ok ? null : byStaff.allowed, allowedTransitions(vn2018, triage, 'supervisor', 'intake'), 'what their roles allow is listed');
  const taken = replay(vietnam, { receivedOn: '2026-03-02', events: [{ action: 'triage', onDay: '2026-03-02' }, { action: 'extend_triage', onDay: '2026-03-02' }] }, vn);
  const refused = applyTransitionAs(vn2018, taken, { action: 'terminate', onDay: '2026-03-03' }, ['intake'], '2026-03-02', vn);
  t.same(refused.ok ? null : [refused.error, refused.allowed], ['forbidden', ['transfer', 'not_accept', 'accept', 'reclassify_petition']],
    'an intake officer may not terminate; the triage extension, taken once, is not offered again');
  const eu = applyTransitionAs(eu2019, openSnapshot(eu2019, '2026-03-02', vn), { action: 'reclassify_petition', onDay: '2026-03-03' }, ['intake'], '2026-03-02', vn);
  t.same(eu.ok ? null : [eu.error, eu.allowed], ['illegal_transition', []], 'an action the profile does not know is illegal for everyone');
});

t.test('due by a day reaches untouched cases: the last receipt day whose first deadline falls by then', async (t) => {
  // Every day of 2026 (Tết included) under both profiles: the bound is exact.
  for (const profile of [vn2018, eu2019]) {
    for (let dueBy = '2026-01-01'; dueBy <= '2026-12-31'; dueBy = addCalendarDays(dueBy, 1)) {
      const last = lastReceiptDueBy(profile, dueBy, vn);
      if (last === null) { t.fail(`${profile.id} ${dueBy}: no bound`); continue; }
      const next = addCalendarDays(last, 1);
      if (!(initialDue(profile, last, vn)! <= dueBy && initialDue(profile, next, vn)! > dueBy)) t.fail(`${profile.id} ${dueBy}: bound ${last}`);
    }
  }
  t.equal(lastReceiptDueBy(vn2018, '2026-12-14', vn), '2026-12-03', '7 working days: received 3 December, due 14 December');
  t.equal(lastReceiptDueBy(vn2018, '2026-12-13', vn), '2026-12-02', 'due by the Sunday before: received by 2 December');
});
