import type { CheckedProtectionRequest, ProtectionDecisionInput } from '../client/staff-protection.js';
import { protectionDecisionNotice } from '../client/staff-protection.js';
import { protectionStepNotice, type ProtectionStepInput } from '../client/staff-protection-steps.js';
import {
  decisionDay, PROTECTION_DECIDER_ROLES, PROTECTION_STEP_ROLES, protectionStepProblem, rulesInForce,
  type CaseState, type Jurisdiction, type ProtectionStep, type ProtectionStepGround,
} from '../domain/index.js';

// What the console offers on one protection request, worked out here from what this
// machine checked — the decision's signature, the chain of steps, the case's signed
// history — never from the server's word (Law Art. 51–54). The same rule the server and
// the SDK apply (protectionStepProblem) picks the steps and their grounds: an end at the
// conclusion is offered only once the checked case stands concluded.

/** A decision on a pending request, or a step after it. */
export type ProtectionChoice = 'granted' | 'refused' | ProtectionStep;

/** Where the console stands on the request: what may be done, or why nothing is offered. */
export type Offer =
  | { kind: 'blocked'; why: 'decision' | 'steps' | 'intake' | 'case' }
  | { kind: 'open'; choices: { choice: ProtectionChoice; grounds: ProtectionStepGround[] }[] };

/** What the checked case says, for the grounds that rest on its state (null: it did not check out). */
export interface CaseStanding { jurisdiction: Jurisdiction; state: CaseState | null }

const STEP_ORDER: readonly ProtectionStep[] = ['confirm_writing', 'change', 'add', 'end'];

const holds = (roles: readonly string[], allowed: readonly string[]) => allowed.some((r) => roles.includes(r));

/** The choices this member has on `r` today; nothing on a decision, chain or intake record that did not check out. */
export function protectionOffer(r: CheckedProtectionRequest, c: CaseStanding, roles: readonly string[], today: string): Offer {
  const h = r.history;
  if (r.checked.authenticity !== 'pending' && r.checked.authenticity !== 'signed') return { kind: 'blocked', why: 'decision' };
  if (!h.intact) return { kind: 'blocked', why: 'steps' };
  if (h.intake.authenticity === 'refused') return { kind: 'blocked', why: 'intake' };
  if (c.state === null) return { kind: 'blocked', why: 'case' };
  const choices: { choice: ProtectionChoice; grounds: ProtectionStepGround[] }[] = [];
  if (h.standing.status === 'pending' && holds(roles, PROTECTION_DECIDER_ROLES)) choices.push({ choice: 'granted', grounds: [] }, { choice: 'refused', grounds: [] });
  const rules = rulesInForce(c.jurisdiction, today);
  for (const step of STEP_ORDER) {
    const rule = rules.protection.steps?.find((s) => s.step === step);
    if (!rule || !holds(roles, PROTECTION_STEP_ROLES[step])) continue;
    const candidates = rule.grounds.length > 0 ? rule.grounds.map((g) => g.ground) : [''];
    const fit = candidates.filter((ground) => protectionStepProblem(rules, h.standing, { step, ground, onDay: today }, c.state!) === null);
    if (fit.length > 0) choices.push({ choice: step, grounds: fit.filter((g): g is ProtectionStepGround => g !== '') });
  }
  return { kind: 'open', choices };
}

/** The legal basis the rules in force give a step, shown in its dialog. */
export function stepBasis(c: CaseStanding, step: ProtectionStep, today: string): string {
  return rulesInForce(c.jurisdiction, today).protection.steps?.find((s) => s.step === step)?.legalBasis ?? '';
}

export interface ProtectionDraft {
  reason: string; measures: string; responsibleBody: string; ground: ProtectionStepGround | ''; day: string;
  /** The notice as written in the form; null while it follows the template (the measures as typed). */
  notice: string | null;
}

export const emptyDraft = (today: string, ground: ProtectionStepGround | ''): ProtectionDraft => ({ reason: '', measures: '', responsibleBody: '', ground, day: today, notice: null });

/** Whether the choice sends the protected person a notice (a written confirmation sends none). */
export const notifies = (choice: ProtectionChoice) => choice !== 'confirm_writing';

/** The notice the law's template gives for the draft as it stands (the SDK's own default texts). */
export function templateNotice(choice: ProtectionChoice, d: ProtectionDraft): string {
  const measures = d.measures.trim() || undefined;
  const responsibleBody = d.responsibleBody.trim() || undefined;
  if (choice === 'granted' || choice === 'refused') return protectionDecisionNotice({ decision: choice, reason: d.reason.trim(), measures, responsibleBody });
  return protectionStepNotice({ step: choice, ground: d.ground || undefined, measures, responsibleBody });
}

export const noticeOf = (choice: ProtectionChoice, d: ProtectionDraft) => d.notice ?? templateNotice(choice, d);

/** The earliest day the choice may be dated: the request for a decision, else the decision or the last step. */
export function earliestDay(r: CheckedProtectionRequest, choice: ProtectionChoice): string {
  if (choice === 'granted' || choice === 'refused') return r.requestedOn;
  const s = r.history.standing;
  return [r.requestedOn, s.decidedOn, s.lastStepOn].filter((d): d is string => d !== null).sort().at(-1)!;
}

export type DraftProblem = 'measures' | 'body' | 'refusalReason' | 'record' | 'ground' | 'notice' | 'day';

/** What is wrong with the draft (its catalogue key is protect.problem.<it>); null when it can be reviewed. */
export function draftProblem(r: CheckedProtectionRequest, choice: ProtectionChoice, d: ProtectionDraft, today: string): DraftProblem | null {
  if ((choice === 'granted' || choice === 'change' || choice === 'add') && !d.measures.trim()) return 'measures';
  if (choice === 'granted' && !d.responsibleBody.trim()) return 'body';
  if (choice === 'refused' && !d.reason.trim()) return 'refusalReason';
  if (choice !== 'granted' && choice !== 'refused' && !d.reason.trim()) return 'record';
  if (choice !== 'granted' && choice !== 'refused' && choice !== 'confirm_writing' && !d.ground) return 'ground';
  if (notifies(choice) && !noticeOf(choice, d).trim()) return 'notice';
  if (decisionDay(d.day, today, earliestDay(r, choice)) === null) return 'day';
  return null;
}

/** The SDK's input for a decision (decideProtection), the notice as reviewed. */
export function decisionInput(choice: 'granted' | 'refused', d: ProtectionDraft): ProtectionDecisionInput {
  return {
    decision: choice, reason: d.reason.trim(), onDay: d.day, notice: noticeOf(choice, d).trim(),
    ...(choice === 'granted' ? { measures: d.measures.trim(), responsibleBody: d.responsibleBody.trim() } : {}),
  };
}

/** The SDK's input for a step (takeProtectionStep), the notice as reviewed. */
export function stepInput(step: ProtectionStep, d: ProtectionDraft): ProtectionStepInput {
  return {
    step, record: d.reason.trim(), onDay: d.day,
    ...(d.ground ? { ground: d.ground } : {}),
    ...(d.measures.trim() ? { measures: d.measures.trim() } : {}),
    ...(d.responsibleBody.trim() ? { responsibleBody: d.responsibleBody.trim() } : {}),
    ...(notifies(step) ? { notice: noticeOf(step, d).trim() } : {}),
  };
}
