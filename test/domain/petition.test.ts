import t from 'tap';
import {
  europeanUnion, vietnam,
  allowedTransitions, applyTransition, computeClock, eu2019, openSnapshot, replay, vietnamCalendar, vn2018,
  type WorkflowEvent,
} from '../../src/domain/index.js';

// Petition / feedback (kiến nghị, phản ánh): 10 working days counted from receipt,
// across weekends and the 2026–2027 holidays. Each row computed by hand.

const vn = vietnamCalendar();

const dueCases: Array<[string, string, string, string]> = [
  // [name, received, reclassified, due]
  ['two plain weeks', '2026-03-02', '2026-03-04', '2026-03-16'],
  ['over Tết 2026 (14–22 February)', '2026-02-06', '2026-02-09', '2026-02-27'],
  ['over Hùng Kings (compensated Monday 27/4), 30/4 and 1/5', '2026-04-23', '2026-04-24', '2026-05-12'],
  ['received on a Saturday, over 1–2 September', '2026-08-29', '2026-08-31', '2026-09-15'],
  ['over New Year 2027', '2026-12-23', '2026-12-24', '2027-01-07'],
  ['counted from receipt even when triage was slow', '2026-03-02', '2026-03-13', '2026-03-16'],
];

t.test('the 10-working-day clock starts at receipt', async (t) => {
  for (const [name, received, reclassified, due] of dueCases) {
    const snap = openSnapshot(vn2018, received, vn);
    const r = applyTransition(vn2018, snap, { action: 'reclassify_petition', onDay: reclassified }, 'intake', received, vn);
    if (!r.ok) {
      t.fail(`${name}: ${r.message}`);
      continue;
    }
    t.equal(r.due, due, name);
    t.equal(r.snapshot.state, 'PETITION', `${name}: state`);
    t.equal(r.snapshot.clock.phase, 'petition', `${name}: phase`);
    t.equal(r.rule.setsKind, 'petition', `${name}: the case becomes a petition`);
  }
});

t.test('answering stops the clock; on time or late against the due day', async (t) => {
  const history = (answeredOn: string): WorkflowEvent[] => [
    { action: 'triage', onDay: '2026-04-23' },
    { action: 'reclassify_petition', onDay: '2026-04-24' },
    { action: 'answer', onDay: answeredOn },
  ];
  for (const [answeredOn, late] of [['2026-05-12', false], ['2026-05-13', true], ['2026-04-28', false]] as const) {
    const events = history(answeredOn);
    const before = replay(vietnam, { receivedOn: '2026-04-23', events: events.slice(0, 2) }, vn);
    const r = applyTransition(vn2018, before, events[2]!, 'intake', '2026-04-23', vn);
    t.ok(r.ok && r.late === late, `answered ${answeredOn}: ${late ? 'late' : 'on time'}`);
    t.ok(r.ok && r.noticeOwed, 'the answer goes to the denouncer as a notice');
    t.ok(r.ok && r.snapshot.state === 'CLOSED');
  }
  const stopped = computeClock(vietnam, { receivedOn: '2026-04-23', events: history('2026-05-13') }, vn, '2026-06-01');
  t.equal(stopped.overdue, false, 'a stopped clock is never overdue');
  t.equal(stopped.remaining, null);
  const running = computeClock(vietnam, { receivedOn: '2026-04-23', events: history('2026-05-13').slice(0, 2) }, vn, '2026-05-13');
  t.match(running, { phase: 'petition', due: '2026-05-12', overdue: true, remaining: -1, remainingUnit: 'working_days' });
});

t.test('who may reclassify and answer, and from where', async (t) => {
  const received = openSnapshot(vn2018, '2026-03-02', vn);
  t.ok(allowedTransitions(vn2018, received, 'intake').includes('reclassify_petition'));
  t.notOk(allowedTransitions(vn2018, received, 'investigator').includes('reclassify_petition'));
  const petition = replay(vietnam, { receivedOn: '2026-03-02', events: [{ action: 'reclassify_petition', onDay: '2026-03-03' }] }, vn);
  t.same(allowedTransitions(vn2018, petition, 'intake'), ['answer']);
  t.same(allowedTransitions(vn2018, petition, 'denouncer'), ['withdraw'], 'the denouncer may still withdraw');
  const accepted = replay(vietnam, { receivedOn: '2026-03-02', events: [{ action: 'triage', onDay: '2026-03-03' }, { action: 'accept', onDay: '2026-03-04' }] }, vn);
  const late = applyTransition(vn2018, accepted, { action: 'reclassify_petition', onDay: '2026-03-05' }, 'intake', '2026-03-02', vn);
  t.equal(late.ok ? null : late.error, 'illegal_transition', 'an accepted denunciation is not reclassified');
  const eu = applyTransition(eu2019, openSnapshot(eu2019, '2026-03-02', vn), { action: 'reclassify_petition', onDay: '2026-03-03' }, 'intake', '2026-03-02', vn);
  t.equal(eu.ok ? null : eu.error, 'illegal_transition', 'the EU profile has no petition track');
});
