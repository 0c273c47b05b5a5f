import t from 'tap';
import {
  addCalendarDays, addMonths, addWorkingDays, calendarDaysBetween, isDay, isWorkingDay, makeCalendar,
  onOrNextWorkingDay, vietnamCalendar, weekday, withOverrides, workingDaysBetween,
} from '../../src/domain/index.js';

const vn = vietnamCalendar();

t.test('day arithmetic is UTC and rejects impossible dates', async (t) => {
  t.equal(addCalendarDays('2026-02-25', 5), '2026-03-02');
  t.equal(addCalendarDays('2028-02-28', 1), '2028-02-29', 'leap year');
  t.equal(calendarDaysBetween('2026-01-12', '2026-02-11'), 30);
  t.equal(addMonths('2026-01-31', 1), '2026-02-28', 'end of month clamps');
  t.equal(addMonths('2026-11-15', 3), '2027-02-15', 'crosses the year');
  t.equal(weekday('2026-01-01'), 4, '1 January 2026 is a Thursday');
  t.notOk(isDay('2026-02-30'));
  t.notOk(isDay('2026-2-3'));
  t.throws(() => addCalendarDays('2026-13-01', 1));
});

const workingDayCases: Array<[string, string, number, string]> = [
  ['over a weekend', '2026-03-06', 7, '2026-03-17'],
  ['Friday plus one', '2026-03-06', 1, '2026-03-09'],
  ['zero days is the day itself', '2026-03-07', 0, '2026-03-07'],
  ['over Tết 2026 (14–22 February)', '2026-02-12', 7, '2026-03-02'],
  ['over Hùng Kings (compensated Monday), 30/4 and 1/5', '2026-04-24', 7, '2026-05-08'],
  ['over National Day 2026', '2026-08-28', 3, '2026-09-04'],
  ['over Tết 2027 (5–11 February)', '2027-02-04', 1, '2027-02-12'],
  ['over 1/5/2027 on a Saturday, compensated on Monday 3/5', '2027-04-29', 2, '2027-05-05'],
];

t.test('addWorkingDays skips weekends and Vietnamese public holidays', async (t) => {
  for (const [name, from, n, expected] of workingDayCases) t.equal(addWorkingDays(from, n, vn), expected, name);
});

t.test('workingDaysBetween is the inverse of addWorkingDays', async (t) => {
  for (const [name, from, n, expected] of workingDayCases) t.equal(workingDaysBetween(from, expected, vn), n, name);
  t.equal(workingDaysBetween('2026-03-17', '2026-03-06', vn), -7);
});

t.test('agency overrides: an added holiday and a swapped Saturday', async (t) => {
  const agency = withOverrides(vn, { addHolidays: ['2026-03-09'], addWorkingDays: ['2026-03-07'], removeHolidays: ['2026-09-01'] });
  t.notOk(isWorkingDay('2026-03-09', agency));
  t.ok(isWorkingDay('2026-03-07', agency), 'a working Saturday');
  t.ok(isWorkingDay('2026-09-01', agency));
  t.equal(addWorkingDays('2026-03-06', 2, agency), '2026-03-10');
  t.ok(isWorkingDay('2026-03-09', vn), 'the shipped calendar is untouched');
});

t.test('onOrNextWorkingDay moves a deadline off rest days and holidays', async (t) => {
  t.equal(onOrNextWorkingDay('2026-04-26', vn), '2026-04-28', 'Hùng Kings Sunday, then its compensatory Monday');
  t.equal(onOrNextWorkingDay('2026-04-28', vn), '2026-04-28');
  t.equal(onOrNextWorkingDay('2026-03-07', makeCalendar([])), '2026-03-09');
});
