import { addCalendarDays, type Day } from './dates.js';
import type { CaseState, JurisdictionProfile, PublicationForm, PublicationFormRule, PublicationRule, WorkflowRole } from './profile.js';

// Publication of a conclusion (VN: Law Art. 40; Decree 31/2019 Art. 6). Each form has its
// own length: a posting, a portal or e-press at least 15 consecutive days, counted in
// calendar days — the article says consecutive days, not working days — with the day of
// publication as the first (published on the 1st, the 15th is the fifteenth day on display
// and the earliest day it may be taken down); print, radio or TV at least 2 consecutive
// runs, which the publisher records (tipline cannot see a newspaper); a meeting has none.

export type PublicationRefusal =
  | { error: 'not_in_profile'; message: string }
  | { error: 'forbidden'; message: string }
  | { error: 'illegal_state'; message: string }
  | { error: 'validation_failed'; message: string };

/** The earliest day a publication in `form` may be taken down: nothing holds a meeting or a run in print on display. */
export function earliestTakeDown(form: PublicationFormRule, publishedOn: Day): Day {
  return form.minimumDays ? addCalendarDays(publishedOn, form.minimumDays - 1) : publishedOn;
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
 * The form a publication takes (the rule's first when it names none) and its runs, or why
 * not: a form the rule set does not know, or fewer runs than the form's minimum (a form
 * counted in runs must say how many; one that is not counted in runs names none).
 */
export function publicationForm(
  rule: PublicationRule, form: PublicationForm | undefined, runs: number | undefined,
): { ok: true; form: PublicationFormRule; runs: number | null } | { ok: false; refusal: PublicationRefusal } {
  const chosen = form === undefined ? rule.forms[0] : rule.forms.find((f) => f.form === form);
  if (!chosen) return { ok: false, refusal: { error: 'validation_failed', message: `this rule set publishes in: ${rule.forms.map((f) => f.form).join(', ')}` } };
  if (!chosen.minimumRuns) {
    if (runs !== undefined) return { ok: false, refusal: { error: 'validation_failed', message: `a publication by ${chosen.form} is not counted in runs` } };
    return { ok: true, form: chosen, runs: null };
  }
  if (runs === undefined || !Number.isInteger(runs) || runs < chosen.minimumRuns) {
    return { ok: false, refusal: { error: 'validation_failed', message: `a publication by ${chosen.form} runs at least ${chosen.minimumRuns} consecutive times (${chosen.legalBasis})` } };
  }
  return { ok: true, form: chosen, runs };
}

/**
 * Whether a summary may be taken down on `onDay`: from the earliest day recorded when it
 * was published (earliestTakeDown), so a later change of the profile's rule never
 * shortens a display already running.
 */
export function mayTakeDown(earliest: Day, onDay: Day): boolean {
  return onDay >= earliest;
}
