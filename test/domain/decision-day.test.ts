import t from 'tap';
import { decisionDay } from '../../src/domain/index.js';

// A staff decision is dated today unless the officer gives the day it was taken: any
// day up to today, never ahead, and never before the request it decides.

t.test('a decision may be dated back, never ahead', async (t) => {
  t.equal(decisionDay(undefined, '2026-03-10'), '2026-03-10', 'no day given: today');
  t.equal(decisionDay('2026-03-10', '2026-03-10'), '2026-03-10', 'today');
  t.equal(decisionDay('2026-02-27', '2026-03-10'), '2026-02-27', 'a day already past');
  t.equal(decisionDay('2026-03-11', '2026-03-10'), null, 'tomorrow is refused');
  t.equal(decisionDay('2027-01-01', '2026-03-10'), null);
});

t.test('never before the day of what it decides', async (t) => {
  t.equal(decisionDay('2026-03-04', '2026-03-10', '2026-03-05'), null, 'before the request');
  t.equal(decisionDay('2026-03-05', '2026-03-10', '2026-03-05'), '2026-03-05', 'on the day of the request');
  t.equal(decisionDay(undefined, '2026-03-10', '2026-03-05'), '2026-03-10');
  t.equal(decisionDay('2026-03-11', '2026-03-10', '2026-03-05'), null, 'and still never ahead');
});
