import { addCalendarDays, calendarDaysBetween, weekday, type Day } from './dates.js';

// A working-day calendar: weekly rest days, public holidays (with their compensatory
// days already listed), and weekend days turned into working days by a government
// swap. Agencies edit it (agency_holidays), so it is data, never code.

export interface HolidayCalendar {
  /** Weekdays that are rest days, 0 = Sunday. */
  readonly restWeekdays: ReadonlySet<number>;
  readonly holidays: ReadonlySet<Day>;
  /** Rest weekdays worked by decree (a "làm bù" Saturday). */
  readonly workingDays: ReadonlySet<Day>;
}

export interface CalendarOverrides {
  addHolidays?: readonly Day[];
  removeHolidays?: readonly Day[];
  addWorkingDays?: readonly Day[];
}

export function makeCalendar(holidays: readonly Day[], restWeekdays: readonly number[] = [0, 6]): HolidayCalendar {
  return { restWeekdays: new Set(restWeekdays), holidays: new Set(holidays), workingDays: new Set() };
}

/** The agency's edits applied on top of a shipped calendar. */
export function withOverrides(base: HolidayCalendar, o: CalendarOverrides): HolidayCalendar {
  const holidays = new Set(base.holidays);
  for (const d of o.addHolidays ?? []) holidays.add(d);
  for (const d of o.removeHolidays ?? []) holidays.delete(d);
  const workingDays = new Set(base.workingDays);
  for (const d of o.addWorkingDays ?? []) workingDays.add(d);
  return { restWeekdays: base.restWeekdays, holidays, workingDays };
}

export function isWorkingDay(day: Day, cal: HolidayCalendar): boolean {
  if (cal.holidays.has(day)) return false;
  if (cal.workingDays.has(day)) return true;
  return !cal.restWeekdays.has(weekday(day));
}

/**
 * The `n`-th working day after `day`: the day of the event itself is not counted
 * (Civil Code 2015 Art. 147.1 — a period in days starts on the following day).
 */
export function addWorkingDays(day: Day, n: number, cal: HolidayCalendar): Day {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a whole number ≥ 0');
  let current = day;
  let left = n;
  while (left > 0) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current, cal)) left -= 1;
  }
  return current;
}

/** Working days in (from, to]; negative when `to` is before `from`. */
export function workingDaysBetween(from: Day, to: Day, cal: HolidayCalendar): number {
  if (to < from) return -workingDaysBetween(to, from, cal);
  let count = 0;
  const span = calendarDaysBetween(from, to);
  for (let i = 1; i <= span; i += 1) {
    if (isWorkingDay(addCalendarDays(from, i), cal)) count += 1;
  }
  return count;
}

/** `day` itself when it is a working day, else the first working day after it. */
export function onOrNextWorkingDay(day: Day, cal: HolidayCalendar): Day {
  let current = day;
  while (!isWorkingDay(current, cal)) current = addCalendarDays(current, 1);
  return current;
}
