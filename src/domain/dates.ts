// Day arithmetic on 'YYYY-MM-DD' strings, in UTC. Denouncer-side dates are day-granular
// (DESIGN.md "Metadata"), so no time of day and no time zone ever enters a deadline.

export type Day = string;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Milliseconds since the epoch at 00:00 UTC of `day`; throws on anything not a real date. */
export function dayToUtc(day: Day): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (utcToDay(ms) !== day) throw new RangeError(`not a day: ${day}`);
  return ms;
}

export function utcToDay(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isDay(value: string): boolean {
  try {
    dayToUtc(value);
    return true;
  } catch {
    return false;
  }
}

export function addCalendarDays(day: Day, days: number): Day {
  return utcToDay(dayToUtc(day) + days * MS_PER_DAY);
}

/** `to` minus `from`, in calendar days (negative when `to` is earlier). */
export function calendarDaysBetween(from: Day, to: Day): number {
  return Math.round((dayToUtc(to) - dayToUtc(from)) / MS_PER_DAY);
}

/**
 * Same day of the month `months` later; a day that does not exist in the target month
 * becomes that month's last day (31 January + 1 month = 28 or 29 February).
 */
export function addMonths(day: Day, months: number): Day {
  const d = new Date(dayToUtc(day));
  const target = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
  const t = new Date(target);
  const lastDay = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  return utcToDay(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), Math.min(d.getUTCDate(), lastDay)));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: Day): number {
  return new Date(dayToUtc(day)).getUTCDay();
}

export function minDay(a: Day, b: Day): Day {
  return a <= b ? a : b;
}
