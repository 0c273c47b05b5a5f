import type { HolidayCalendar } from './calendar.js';
import type { Day } from './dates.js';
import type { Action, WorkflowRole, JurisdictionProfile } from './profile.js';
import { applyTransitionAs, type TransitionError, type WorkflowEvent, type WorkflowSnapshot } from './transitions.js';

// The verification team prepares, the head of agency decides (LEGAL.md "Who decides";
// Law Art. 30, 35): an investigator assigned to a case proposes that it be extended or
// concluded, and the head takes the decision as a transition, or declines. One rule for
// the server, which refuses a proposal outside it, and for the console, which offers
// only the proposals it would accept.

/** Decisions an investigator may propose to the head of agency. */
export const PROPOSABLE_ACTIONS = ['extend', 'conclude'] as const satisfies readonly Action[];
export type ProposableAction = (typeof PROPOSABLE_ACTIONS)[number];

/** Who answers a proposal: takes its decision, or declines it. */
export const PROPOSAL_DECIDER_ROLES = ['supervisor'] as const satisfies readonly WorkflowRole[];

/** Who proposes: the investigator the case is granted to (workflowRolesOnCase). */
export const PROPOSER_ROLES = ['investigator'] as const satisfies readonly WorkflowRole[];

export type ProposalStatus = 'open' | 'taken' | 'declined' | 'superseded';

export type ProposalRefusal = { error: TransitionError; message: string };

export function isProposable(action: string): action is ProposableAction {
  return (PROPOSABLE_ACTIONS as readonly string[]).includes(action);
}

/**
 * Why an actor holding `roles` on a case in `snap` may not propose `event`, or null when
 * they may. A proposal is the decision the head would take: it must pass every rule the
 * transition would (state, day, finding, extension limits) when the head takes it today.
 */
export function proposalRefusal(
  profile: JurisdictionProfile, snap: WorkflowSnapshot, event: WorkflowEvent, roles: readonly WorkflowRole[],
  receivedOn: Day, cal: HolidayCalendar,
): ProposalRefusal | null {
  if (!isProposable(event.action)) return { error: 'illegal_transition', message: `only ${PROPOSABLE_ACTIONS.join(' or ')} is proposed to the head of agency` };
  if (!roles.some((r) => (PROPOSER_ROLES as readonly string[]).includes(r))) {
    return { error: 'forbidden', message: 'only the investigator the case is assigned to proposes a decision on it' };
  }
  const asDecider = applyTransitionAs(profile, snap, event, PROPOSAL_DECIDER_ROLES, receivedOn, cal);
  return asDecider.ok ? null : { error: asDecider.error, message: asDecider.message };
}

/** Whether `roles` may answer (decline) a proposal on the case. */
export function mayAnswerProposal(roles: readonly WorkflowRole[]): boolean {
  return roles.some((r) => (PROPOSAL_DECIDER_ROLES as readonly string[]).includes(r));
}

/** The proposable actions the case can no longer take from `state`: their open proposals are superseded by what happened. */
export function proposalsOutlived(profile: JurisdictionProfile, state: string): ProposableAction[] {
  return PROPOSABLE_ACTIONS.filter((a) => !profile.transitions.some((r) => r.action === a && (r.from as readonly string[]).includes(state)));
}
