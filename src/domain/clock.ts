import { addWorkingDays, onOrNextWorkingDay, workingDaysBetween, type HolidayCalendar } from './calendar.js';
import { addCalendarDays, addMonths, calendarDaysBetween, minDay, type Day } from './dates.js';
import type { JurisdictionProfile, Period, PeriodUnit, Phase } from './profile.js';

// The statutory clock of one case. Suspended time does not count (Art. 34): a pause
// freezes the days left, and resumption gives them back from the resumption day. The
// "nominal" due day is the law's arithmetic; the due day shown to people is rolled to
// the next working day when the profile says so (Civil Code 2015 Art. 148.5).

export interface ClockState {
  phase: Phase | null;
  unit: PeriodUnit | null;
  started: Day | null;
  nominalDue: Day | null;
  /** Days left when paused, counted in its `unit` (months are frozen as calendar days). */
  paused: { since: Day; remaining: number; unit: 'working_days' | 'calendar_days' } | null;
  extensions: number;
  extendedBy: number;
  stoppedOn: Day | null;
}

export interface ClockView {
  phase: Phase | null;
  started: Day | null;
  paused: { since: Day; remaining: number } | null;
  extensions: number;
  due: Day | null;
  overdue: boolean;
  /** Days left until `due` (negative once overdue), in the phase's unit: working or calendar. */
  remaining: number | null;
  remainingUnit: 'working_days' | 'calendar_days' | null;
}

export function addPeriod(day: Day, period: Period, cal: HolidayCalendar): Day {
  switch (period.unit) {
    case 'working_days':
      return addWorkingDays(day, period.amount, cal);
    case 'calendar_days':
      return addCalendarDays(day, period.amount);
    case 'months':
      return addMonths(day, period.amount);
  }
}

const countUnit = (unit: PeriodUnit | null): 'working_days' | 'calendar_days' =>
  unit === 'working_days' ? 'working_days' : 'calendar_days';

/** Days from `from` to `to` (negative once past) in `unit`, on the agency's calendar. */
export function daysLeft(from: Day, to: Day, unit: 'working_days' | 'calendar_days', cal: HolidayCalendar): number {
  return unit === 'working_days' ? workingDaysBetween(from, to, cal) : calendarDaysBetween(from, to);
}

export function startClock(phase: Phase, period: Period, start: Day, cal: HolidayCalendar): ClockState {
  return {
    phase, unit: period.unit, started: start, nominalDue: addPeriod(start, period, cal),
    paused: null, extensions: 0, extendedBy: 0, stoppedOn: null,
  };
}

/** The clock a case has on its receipt day. */
export function initialClock(profile: JurisdictionProfile, receivedOn: Day, cal: HolidayCalendar): ClockState {
  return startClock(profile.initialClock.phase, profile.initialClock.period, receivedOn, cal);
}

export function startPhase(
  clock: ClockState, effect: { phase: Phase; period: Period; from: 'received' | 'event'; startNoLaterThan?: Period },
  onDay: Day, receivedOn: Day, cal: HolidayCalendar,
): ClockState {
  let start = effect.from === 'received' ? receivedOn : onDay;
  if (effect.startNoLaterThan) start = minDay(start, addPeriod(receivedOn, effect.startNoLaterThan, cal));
  // Restarting the same phase (triage 7 → 10 working days) keeps its extension count.
  const fresh = startClock(effect.phase, effect.period, start, cal);
  return clock.phase === effect.phase ? { ...fresh, extensions: clock.extensions, extendedBy: clock.extendedBy } : fresh;
}

export function pauseClock(clock: ClockState, onDay: Day, cal: HolidayCalendar): ClockState {
  if (!clock.nominalDue || clock.paused) return clock;
  const unit = countUnit(clock.unit);
  return { ...clock, paused: { since: onDay, remaining: daysLeft(onDay, clock.nominalDue, unit, cal), unit } };
}

export function resumeClock(clock: ClockState, onDay: Day, cal: HolidayCalendar): ClockState {
  if (!clock.paused) return clock;
  const { remaining, unit } = clock.paused;
  const nominalDue = unit === 'working_days' ? addWorkingDays(onDay, Math.max(remaining, 0), cal) : addCalendarDays(onDay, remaining);
  return { ...clock, nominalDue, paused: null };
}

export function extendClock(clock: ClockState, period: Period, cal: HolidayCalendar): ClockState {
  if (!clock.nominalDue) return clock;
  return {
    ...clock,
    nominalDue: addPeriod(clock.nominalDue, period, cal),
    extensions: clock.extensions + 1,
    extendedBy: clock.extendedBy + period.amount,
  };
}

export function stopClock(clock: ClockState, onDay: Day): ClockState {
  return { ...clock, stoppedOn: onDay, paused: null };
}

/** The due day people see: the nominal day, moved off rest days where the profile says so. */
export function effectiveDue(profile: JurisdictionProfile, clock: ClockState, cal: HolidayCalendar): Day | null {
  if (!clock.nominalDue) return null;
  return profile.rollForward.enabled ? onOrNextWorkingDay(clock.nominalDue, cal) : clock.nominalDue;
}

/** What the clock says on `asOf`. A stopped clock is never overdue and has nothing left. */
export function viewClock(profile: JurisdictionProfile, clock: ClockState, cal: HolidayCalendar, asOf: Day): ClockView {
  const due = effectiveDue(profile, clock, cal);
  const base = {
    phase: clock.phase, started: clock.started, extensions: clock.extensions,
    paused: clock.paused ? { since: clock.paused.since, remaining: clock.paused.remaining } : null,
  };
  if (clock.stoppedOn || !due) return { ...base, due, overdue: false, remaining: null, remainingUnit: null };
  const unit = countUnit(clock.unit);
  if (clock.paused) return { ...base, due: null, overdue: false, remaining: clock.paused.remaining, remainingUnit: unit };
  const remaining = daysLeft(asOf, due, unit, cal);
  return { ...base, due, overdue: asOf > due, remaining, remainingUnit: unit };
}

/** The first deadline of a case received on `receivedOn`, before anyone has acted on it. */
export function initialDue(profile: JurisdictionProfile, receivedOn: Day, cal: HolidayCalendar): Day | null {
  return effectiveDue(profile, initialClock(profile, receivedOn, cal), cal);
}

/**
 * The last day of receipt whose first deadline falls on or before `dueBy`, so that "due
 * by" can reach cases nobody has acted on yet (their deadline is not stored). First
 * deadlines never fall before their receipt and grow with it, so the search walks back
 * from `dueBy`; a year back is past any first period the law sets.
 */
export function lastReceiptDueBy(profile: JurisdictionProfile, dueBy: Day, cal: HolidayCalendar): Day | null {
  for (let day = dueBy, steps = 0; steps <= 366; day = addCalendarDays(day, -1), steps++) {
    const due = initialDue(profile, day, cal);
    if (due !== null && due <= dueBy) return day;
  }
  return null;
}

/**
 * How the days left of a running `phase` are counted under `profile`: in the unit of the
 * period that starts it (a month is counted in calendar days), a protection request in
 * the unit of its period to decide, a duty (a deadline list item of kind duty) in its own.
 * A phase the profile never starts counts calendar days.
 */
export function phaseCountUnit(profile: JurisdictionProfile, phase: Phase, urgent = false): 'working_days' | 'calendar_days' {
  if (phase === PROTECTION_PHASE) return countUnit((urgent ? profile.protection.urgentWithin : profile.protection.decideWithin).unit);
  if (phase === CONFIRMATION_DUTY) return countUnit(profile.protection.confirmInWriting?.within.unit ?? null);
  if (profile.initialClock.phase === phase) return countUnit(profile.initialClock.period.unit);
  const duty = profile.duties?.find((d) => d.duty === phase);
  if (duty) return countUnit(duty.within.unit);
  for (const rule of profile.transitions) {
    if (rule.clock?.kind === 'start' && rule.clock.phase === phase) return countUnit(rule.clock.period.unit);
  }
  return countUnit(profile.extensions.phase === phase ? profile.extensions.unit : null);
}

/** The phase a pending protection request's deadline is listed under (GET /v1/staff/deadlines). */
export const PROTECTION_PHASE = 'protection';

/** The duty an urgent request by phone or in person owes until it is confirmed in writing (Law Art. 50(3)), on the same board. */
export const CONFIRMATION_DUTY = 'confirm_protection_in_writing';
