import type { StaffClient } from '../client/staff.js';
import { listHolidays } from '../client/staff-calendar.js';
import type { DeadlineItem } from '../client/staff-oversight.js';
import { signedJurisdiction } from '../client/staff-workflow.js';
import {
  addCalendarDays, calendarFromDays, daysLeft, phaseCountUnit, PROTECTION_PHASE, reportPeriod, rulesInForce,
  type Day, type HolidayCalendar, type JurisdictionProfile, type ReportPreset,
} from '../domain/index.js';

// The deadlines board's arithmetic and the report's period: days left are counted in
// the unit the rule counts in (working or calendar days), on the agency's own holiday
// calendar as the server computed the deadlines with — never on a calendar of the page's.

export const WEEK_DAYS = 7;
/** How far ahead the board looks; urgent protection requests show whatever their day. */
export const BOARD_DAYS = 90;

export type BoardGroup = 'overdue' | 'week' | 'later';
export const boardGroups: readonly BoardGroup[] = ['overdue', 'week', 'later'];

export interface BoardItem extends DeadlineItem {
  group: BoardGroup;
  /** Days left (negative once overdue), counted in `unit`. */
  left: number;
  unit: 'working_days' | 'calendar_days';
}

/** The rules and calendar days left are counted with: the jurisdiction the agency's verified bundle signs, and its calendar. */
export interface CountingRules { profile: JurisdictionProfile; calendar: HolidayCalendar }

export async function countingRules(client: StaffClient, asOf: Day, until: Day): Promise<CountingRules> {
  const years = [...new Set([asOf, until].map((d) => Number(d.slice(0, 4))))];
  const [bundles, ...calendars] = await Promise.all([client.verifiedBundles(), ...years.map((y) => listHolidays(client.http, y))]);
  return {
    profile: rulesInForce(signedJurisdiction(bundles), asOf),
    calendar: calendarFromDays(calendars.flatMap((c) => c.days)),
  };
}

/**
 * The board: overdue, due within a week, later — each in the server's order (urgent
 * protection requests, then urgent cases, then by day), which the grouping keeps.
 */
export function deadlineBoard(items: readonly DeadlineItem[], asOf: Day, rules: CountingRules): Record<BoardGroup, BoardItem[]> {
  const board: Record<BoardGroup, BoardItem[]> = { overdue: [], week: [], later: [] };
  const weekEnd = addCalendarDays(asOf, WEEK_DAYS);
  for (const item of items) {
    const phase = item.kind === 'protection_request' ? PROTECTION_PHASE : item.phase;
    const unit = phase === null ? 'calendar_days' : phaseCountUnit(rules.profile, phase, item.urgent);
    const group: BoardGroup = item.due < asOf ? 'overdue' : item.due <= weekEnd ? 'week' : 'later';
    board[group].push({ ...item, group, unit, left: daysLeft(asOf, item.due, unit, rules.calendar) });
  }
  return board;
}

export type PeriodChoice = ReportPreset | 'range';

/** The period a choice names: a preset of the year, or the range as given (null when it runs backwards). */
export function choosePeriod(choice: PeriodChoice, year: number, from: Day, to: Day): { from: Day; to: Day } | null {
  if (choice !== 'range') return reportPeriod(choice, year);
  return from && to && from <= to ? { from, to } : null;
}
