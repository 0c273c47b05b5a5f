import { addCalendarDays, type Day } from './dates.js';
import type { CaseState, JurisdictionProfile, PublicationRule, WorkflowRole } from './profile.js';

// Publication of a conclusion (VN: Decree 31/2019 Art. 6, "at least 15 consecutive
// days"). Counted in calendar days — the article says consecutive days, not working
// days — with the day of publication as the first: published on the 1st, the 15th is
// the fifteenth day on display and the earliest day it may be taken down.

export type PublicationRefusal =
  | { error: 'not_in_profile'; message: string }
  | { error: 'forbidden'; message: string }
  | { error: 'illegal_state'; message: string };

export function earliestTakeDown(rule: PublicationRule, publishedOn: Day): Day {
  return addCalendarDays(publishedOn, rule.minimumDays - 1);
}

/** Why `roles` may not publish a conclusion of a case in `state`, or null when they may. */
export function checkPublication(profile: JurisdictionProfile, state: CaseState, roles: readonly WorkflowRole[]): PublicationRefusal | null {
  const rule = profile.publication;
  if (!rule) return { error: 'not_in_profile', message: `the ${profile.id} profile has no publication of conclusions` };
  if (!roles.some((r) => rule.roles.includes(r))) return { error: 'forbidden', message: `publication is decided by: ${rule.roles.join(', ')}` };
  if (!rule.from.includes(state)) return { error: 'illegal_state', message: `only a concluded case is published (this one is ${state})` };
  return null;
}

/**
 * Whether a summary may be taken down on `onDay`: from the earliest day recorded when it
 * was published (earliestTakeDown), so a later change of the profile's rule never
 * shortens a display already running.
 */
export function mayTakeDown(earliest: Day, onDay: Day): boolean {
  return onDay >= earliest;
}
