import type { Day } from './dates.js';

// The day a staff decision (a transition, a protection decision) is recorded as taken.
// An officer may date a decision back to the day it was actually taken, never ahead:
// a day still to come would start or stop a statutory clock on a day that has not
// happened, and make a decision look taken in time before it was.

/** The day given, or today when none is; null when it is after today or before `notBefore`. */
export function decisionDay(given: Day | undefined, today: Day, notBefore?: Day): Day | null {
  const day = given ?? today;
  if (day > today || (notBefore !== undefined && day < notBefore)) return null;
  return day;
}
