import { makeCalendar, withOverrides, type HolidayCalendar } from './calendar.js';
import { weekday, type Day } from './dates.js';
import { vietnamHolidayEntries, type HolidayEntry } from './holidays-vn.js';
import type { Jurisdiction } from './profile.js';

// An agency's calendar is the shipped one for its jurisdiction with its own edits on
// top: a holiday the agency observes, a rest day worked by decree (a "làm bù" Saturday),
// or a shipped holiday it does not observe (the government chose the other adjacent day
// for 2 September, say). Edits are checked here so that every stored edit changes the
// calendar: a no-op edit would sit in the table and mislead whoever reads it.

export type CalendarEditKind = 'holiday' | 'working_day' | 'not_a_holiday';

export interface CalendarEdit { day: Day; kind: CalendarEditKind; name: string }

/** One day that differs from an ordinary week, as the agency's calendar lists it. */
export interface CalendarDay {
  day: Day;
  name: string;
  kind: 'holiday' | 'working_day';
  origin: 'shipped' | 'agency';
  /** False for a shipped holiday the agency marked as not observed. */
  observed: boolean;
  /** Where a shipped date comes from; null for the agency's own. */
  source: string | null;
}

export type CalendarEditRefusal = { error: 'conflict' | 'bad_request' | 'not_found'; message: string };

/** The holidays shipped for a profile's jurisdiction; none where the law ships none (EU: the agency's own). */
export function shippedHolidays(jurisdiction: Pick<Jurisdiction, 'holidayCalendar'>): readonly HolidayEntry[] {
  return jurisdiction.holidayCalendar === 'VN' ? vietnamHolidayEntries : [];
}

export function restWeekdays(): readonly number[] {
  return [0, 6];
}

/** The working-day calendar deadlines are counted with. */
export function agencyWorkingCalendar(shipped: readonly HolidayEntry[], edits: readonly CalendarEdit[]): HolidayCalendar {
  const pick = (kind: CalendarEditKind) => edits.filter((e) => e.kind === kind).map((e) => e.day);
  return withOverrides(makeCalendar(shipped.map((h) => h.day), restWeekdays()), {
    addHolidays: pick('holiday'), addWorkingDays: pick('working_day'), removeHolidays: pick('not_a_holiday'),
  });
}

/** The year's special days, shipped and edited, in day order. */
export function calendarOfYear(shipped: readonly HolidayEntry[], edits: readonly CalendarEdit[], year: number): CalendarDay[] {
  const inYear = (d: Day) => d.startsWith(`${year}-`);
  const byDay = new Map(edits.map((e) => [e.day, e]));
  const days: CalendarDay[] = shipped.filter((h) => inYear(h.day)).map((h) => ({
    day: h.day, name: h.name, kind: 'holiday', origin: 'shipped', observed: byDay.get(h.day)?.kind !== 'not_a_holiday', source: h.source,
  }));
  for (const e of edits) {
    if (!inYear(e.day) || e.kind === 'not_a_holiday') continue;
    days.push({ day: e.day, name: e.name, kind: e.kind, origin: 'agency', observed: true, source: null });
  }
  return days.sort((a, b) => a.day.localeCompare(b.day));
}

/** Why an edit would not change the calendar, or null when it may be stored. */
export function checkCalendarEdit(
  shipped: readonly HolidayEntry[], edits: readonly CalendarEdit[], edit: CalendarEdit,
): CalendarEditRefusal | null {
  const isShipped = shipped.some((h) => h.day === edit.day);
  const existing = edits.find((e) => e.day === edit.day);
  if (existing) return { error: 'conflict', message: `${edit.day} already has an agency entry (${existing.kind}); remove it first` };
  switch (edit.kind) {
    case 'holiday':
      return isShipped ? { error: 'conflict', message: `${edit.day} is already a public holiday in the shipped calendar` } : null;
    case 'working_day':
      if (isShipped) return { error: 'conflict', message: `${edit.day} is a shipped holiday; mark it not observed instead` };
      return restWeekdays().includes(weekday(edit.day)) ? null : { error: 'bad_request', message: `${edit.day} is already a working day` };
    case 'not_a_holiday':
      return isShipped ? null : { error: 'not_found', message: `${edit.day} is not a shipped holiday` };
  }
}

/** Why an agency entry cannot be removed, or null when it can. Shipped dates are marked, never removed. */
export function checkCalendarRemoval(shipped: readonly HolidayEntry[], edits: readonly CalendarEdit[], day: Day): CalendarEditRefusal | null {
  if (edits.some((e) => e.day === day)) return null;
  if (shipped.some((h) => h.day === day)) {
    return { error: 'conflict', message: `${day} is a shipped holiday: mark it not observed rather than removing it` };
  }
  return { error: 'not_found', message: `the agency has no entry on ${day}` };
}

/**
 * The working calendar rebuilt from the special days an agency's calendar lists (GET
 * /v1/staff/holidays, one year at a time): observed holidays and worked rest days. A
 * client counts days left with it exactly as the server computes the deadlines.
 */
export function calendarFromDays(days: readonly CalendarDay[]): HolidayCalendar {
  const calendar = makeCalendar(days.filter((d) => d.kind === 'holiday' && d.observed).map((d) => d.day), restWeekdays());
  return withOverrides(calendar, { addWorkingDays: days.filter((d) => d.kind === 'working_day').map((d) => d.day) });
}
