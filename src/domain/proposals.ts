import type { HolidayCalendar } from './calendar.js';
import type { Day } from './dates.js';
import type { Action, JurisdictionProfile, TransitionRule, WorkflowRole } from './profile.js';
import { applyTransitionAs, type TransitionError, type WorkflowEvent, type WorkflowSnapshot } from './transitions.js';

// Who prepares a decision and who takes it (LEGAL.md "Who decides"): the rule set says,
// per step, which roles propose it (`proposedBy`: the intake officer an acceptance, the
// verification team an extension or a conclusion) to those who decide it (the rule's
// other roles, the head of agency). The head takes the decision as the transition, or
// declines. One rule for the server, which refuses a proposal outside it, and for the
// staff clients, which offer only the proposals it would accept and believe only those
// whose proposer held a proposing role.

export type ProposalStatus = 'open' | 'taken' | 'declined' | 'superseded';

export type ProposalRefusal = { error: TransitionError; message: string };

const ruleOf = (profile: JurisdictionProfile, action: string) => profile.transitions.find((r) => r.action === action);

/** Who decides a step that is proposed: the rule's roles that do not merely propose it. */
export function decidersOf(rule: TransitionRule): WorkflowRole[] {
  return rule.roles.filter((r) => !(rule.proposedBy ?? []).includes(r));
}

/** The roles that propose `action` under these rules; none when it is not proposed. */
export function proposersOf(profile: JurisdictionProfile, action: string): readonly WorkflowRole[] {
  return ruleOf(profile, action)?.proposedBy ?? [];
}

/** Who answers a proposal of `action` (takes the decision or declines it); none when it is not proposed. */
export function answerersOf(profile: JurisdictionProfile, action: string): WorkflowRole[] {
  const rule = ruleOf(profile, action);
  return rule?.proposedBy ? decidersOf(rule) : [];
}

/** The steps that are proposed under these rules. */
export function proposableActions(profile: JurisdictionProfile): Action[] {
  return profile.transitions.filter((r) => r.proposedBy?.length).map((r) => r.action);
}

/**
 * Why an actor holding `roles` on a case in `snap` may not propose `event`, or null when
 * they may. A proposal is the decision the head would take: it must pass every rule the
 * transition would (state, day, finding, extension limits) when a decider takes it.
 */
export function proposalRefusal(
  profile: JurisdictionProfile, snap: WorkflowSnapshot, event: WorkflowEvent, roles: readonly WorkflowRole[],
  receivedOn: Day, cal: HolidayCalendar,
): ProposalRefusal | null {
  const rule = ruleOf(profile, event.action);
  if (!rule?.proposedBy?.length) {
    return { error: 'illegal_transition', message: `${event.action} is not proposed under ${profile.id}; only ${proposableActions(profile).join(', ')} are` };
  }
  if (!roles.some((r) => rule.proposedBy!.includes(r))) {
    return { error: 'forbidden', message: `only the ${rule.proposedBy.join(' or ')} of the case proposes ${event.action}` };
  }
  const asDecider = applyTransitionAs(profile, snap, event, decidersOf(rule), receivedOn, cal);
  return asDecider.ok ? null : { error: asDecider.error, message: asDecider.message };
}

/** Whether `roles` may answer (decline) a proposal of `action` on the case. */
export function mayAnswerProposal(profile: JurisdictionProfile, action: string, roles: readonly WorkflowRole[]): boolean {
  return answerersOf(profile, action).some((r) => roles.includes(r));
}

/** The proposed steps the case can no longer take from `state`: their open proposals are superseded by what happened. */
export function proposalsOutlived(profile: JurisdictionProfile, state: string): Action[] {
  return profile.transitions.filter((r) => r.proposedBy?.length && !(r.from as readonly string[]).includes(state)).map((r) => r.action);
}
