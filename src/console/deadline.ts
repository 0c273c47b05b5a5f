import { addCalendarDays, addPeriod, calendarDaysBetween, vietnamCalendar, workingDaysBetween, type Day } from '../domain/index.js';

// The inbox's deadline column: days left to the running deadline the server stores,
// counted on this machine. "Due soon" is within 3 working days on the shipped Vietnamese
// calendar (an agency's own calendar edits move the deadline itself, which the server
// recomputes; the highlight only warns).

export const DUE_SOON_WORKING_DAYS = 3;

export type DeadlineState = 'none' | 'overdue' | 'soon' | 'later';

export interface Deadline { state: DeadlineState; daysLeft: number | null }

/** Today on this machine's clock, as a day. */
export function today(now = new Date()): Day {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const calendar = vietnamCalendar();

export function deadlineOf(dueOn: Day | null, on: Day = today()): Deadline {
  if (dueOn === null) return { state: 'none', daysLeft: null };
  const daysLeft = calendarDaysBetween(on, dueOn);
  if (daysLeft < 0) return { state: 'overdue', daysLeft };
  const working = workingDaysBetween(on, dueOn, calendar);
  return { state: working <= DUE_SOON_WORKING_DAYS ? 'soon' : 'later', daysLeft };
}

/** The inbox's deadline filter as the API's `dueBy`: overdue = due before today; soon = overdue or due within 3 working days. */
export function dueByFor(filter: 'overdue' | 'soon', on: Day = today()): Day {
  return filter === 'overdue' ? addCalendarDays(on, -1) : addPeriod(on, { amount: DUE_SOON_WORKING_DAYS, unit: 'working_days' }, calendar);
}
