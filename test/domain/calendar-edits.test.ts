import t from 'tap';
import {
  addWorkingDays, agencyWorkingCalendar, calendarOfYear, checkCalendarEdit, checkCalendarRemoval, vietnamHolidayEntries,
  type CalendarEdit,
} from '../../src/domain/index.js';

// An agency's edits on top of the shipped Vietnamese calendar: which edits are accepted
// and what each does to a working-day count.

const shipped = vietnamHolidayEntries;
const edits: CalendarEdit[] = [
  { day: '2026-03-09', kind: 'holiday', name: 'Ngày nghỉ của cơ quan' },
  { day: '2026-09-01', kind: 'not_a_holiday', name: '' },
  { day: '2026-09-05', kind: 'working_day', name: 'Làm bù' },
];

t.test('which edits are accepted', async (t) => {
  const cases: Array<[string, CalendarEdit, string | null]> = [
    ['a new holiday on a weekday', { day: '2026-03-10', kind: 'holiday', name: 'x' }, null],
    ['a day the agency already edited', { day: '2026-03-09', kind: 'holiday', name: 'x' }, 'conflict'],
    ['a shipped holiday again', { day: '2026-04-30', kind: 'holiday', name: 'x' }, 'conflict'],
    ['a Saturday worked by decree', { day: '2026-10-10', kind: 'working_day', name: 'x' }, null],
    ['a Wednesday "worked"', { day: '2026-10-14', kind: 'working_day', name: 'x' }, 'bad_request'],
    ['a shipped holiday worked', { day: '2026-05-01', kind: 'working_day', name: 'x' }, 'conflict'],
    ['a shipped holiday not observed', { day: '2026-04-27', kind: 'not_a_holiday', name: '' }, null],
    ['an ordinary day "not observed"', { day: '2026-04-28', kind: 'not_a_holiday', name: '' }, 'not_found'],
  ];
  for (const [name, edit, expected] of cases) t.equal(checkCalendarEdit(shipped, edits, edit)?.error ?? null, expected, name);
  t.equal(checkCalendarRemoval(shipped, edits, '2026-03-09'), null, "the agency's own entry can go");
  t.equal(checkCalendarRemoval(shipped, edits, '2026-09-02')?.error, 'conflict', 'a shipped one cannot');
  t.equal(checkCalendarRemoval(shipped, edits, '2026-03-11')?.error, 'not_found');
});

t.test('the edited calendar counts working days', async (t) => {
  const cal = agencyWorkingCalendar(shipped, edits);
  const cases: Array<[string, string, number, string]> = [
    ['the added holiday is skipped', '2026-03-06', 1, '2026-03-10'],
    ['the shipped 1/9 not observed is worked', '2026-08-31', 1, '2026-09-01'],
    ['the Saturday 5/9 is worked', '2026-09-04', 1, '2026-09-05'],
    ['2/9 stays a holiday', '2026-09-01', 1, '2026-09-03'],
  ];
  for (const [name, from, n, expected] of cases) t.equal(addWorkingDays(from, n, cal), expected, name);
});

t.test("the year's list: shipped with sources, the agency's own, not-observed marked", async (t) => {
  const year = calendarOfYear(shipped, edits, 2026);
  t.match(year.find((d) => d.day === '2026-09-01'), { origin: 'shipped', observed: false });
  t.match(year.find((d) => d.day === '2026-03-09'), { origin: 'agency', kind: 'holiday', source: null });
  t.match(year.find((d) => d.day === '2026-09-05'), { origin: 'agency', kind: 'working_day' });
  t.same(year.map((d) => d.day), [...year.map((d) => d.day)].sort(), 'in day order');
  t.notOk(calendarOfYear(shipped, edits, 2027).some((d) => d.origin === 'agency'), 'edits stay in their year');
});
