import type { HolidayCalendar } from './calendar.js';
import { addPeriod } from './clock.js';
import type { Day } from './dates.js';
import type { CaseState, JurisdictionProfile, WorkflowRole } from './profile.js';
import type { ProtectionChannel } from './channels.js';

// What follows a protection decision (VN: Law Art. 50(3), 54): the body that decided may
// change or add measures, on its own initiative or on the protected person's written
// request (Art. 54(1)); the protection ends when the conclusion or the decision to
// discontinue is issued (Art. 54(2)(a)), when the body finds its grounds gone or the
// protected person asks in writing (Art. 54(2)(b)), and, from Law 136/2025, when the
// protected person deliberately breaches the obligations of Art. 48(2). An urgent request
// made by phone or in person is confirmed in writing afterwards (Art. 50(3)). Each is a
// signed step with its ground; which steps and grounds a rule set admits is data
// (JurisdictionProfile.protection.steps). One rule for the server, which refuses a step
// the rules do not admit, and for staff clients, which refuse to show one.

export const protectionSteps = ['change', 'add', 'end', 'confirm_writing'] as const;
export type ProtectionStep = (typeof protectionSteps)[number];

/**
 * The limb a step rests on: on the body's initiative or on the protected person's written
 * request (change, add, end); the conclusion or the decision to discontinue issued; the
 * grounds gone; a deliberate breach of the protected person's obligations (end).
 */
export const protectionStepGrounds = ['on_initiative', 'on_request', 'conclusion', 'termination', 'grounds_gone', 'breach'] as const;
export type ProtectionStepGround = (typeof protectionStepGrounds)[number];

/** A step a rule set admits, with the grounds it may name (none: it names none). */
export interface ProtectionStepRule {
  step: ProtectionStep;
  grounds: readonly { ground: ProtectionStepGround; legalBasis: string }[];
  legalBasis: string;
}

/** Who signs each step: the deciding head; a written confirmation is also received by an intake officer. */
export const PROTECTION_STEP_ROLES: Readonly<Record<ProtectionStep, readonly WorkflowRole[]>> = {
  change: ['supervisor'], add: ['supervisor'], end: ['supervisor'], confirm_writing: ['intake', 'supervisor'],
};

/** Steps after which the protected person is sent a notice (Art. 54(3)); a confirmation sends none. */
export const NOTIFIED_STEPS: readonly ProtectionStep[] = ['change', 'add', 'end'];

/** Where the case must stand for the grounds that rest on it (Art. 54(2)(a)). */
const CASE_STATES_FOR: Partial<Record<ProtectionStepGround, readonly CaseState[]>> = {
  conclusion: ['CONCLUDED', 'MONITORING', 'CLOSED'],
  termination: ['TERMINATED'],
};

/** A protection as its checked history leaves it. */
export interface ProtectionStanding {
  status: 'pending' | 'granted' | 'refused';
  decidedOn: Day | null;
  channel: ProtectionChannel;
  ended: boolean;
  confirmed: boolean;
  /** The day of the newest step, null before any. */
  lastStepOn: Day | null;
}

export interface ProposedStep { step: ProtectionStep; ground: string; onDay: Day }

/** Why `p` may not be taken on a protection standing as `s` under `rules` (null: it may); `caseState` when known (the server). */
export function protectionStepProblem(rules: JurisdictionProfile, s: ProtectionStanding, p: ProposedStep, caseState?: CaseState): string | null {
  const rule = rules.protection.steps?.find((r) => r.step === p.step);
  if (!rule) return `the rules in force (${rules.id}) name no step ${p.step}`;
  const ground = rule.grounds.find((g) => g.ground === p.ground);
  if (rule.grounds.length > 0 ? !ground : p.ground !== '') return `${p.step} rests on one of: ${rule.grounds.map((g) => g.ground).join(', ') || 'no ground'}`;
  if (s.ended) return 'the protection has ended';
  if (s.lastStepOn !== null && p.onDay < s.lastStepOn) return 'a step may not be dated before the step it follows';
  if (p.step === 'confirm_writing') {
    if (s.channel === 'online') return 'only a request made by phone or in person is confirmed in writing';
    if (s.confirmed) return 'the request has already been confirmed in writing';
    return null;
  }
  if (s.status !== 'granted' || s.decidedOn === null) return 'measures are changed, added or ended only on an applied protection';
  if (p.onDay < s.decidedOn) return 'a step may not be dated before the decision';
  const states = CASE_STATES_FOR[p.ground as ProtectionStepGround];
  if (states && caseState !== undefined && !states.includes(caseState)) return `the case is ${caseState}: ${p.ground} needs it in ${states.join(', ')}`;
  return null;
}

/** When the written confirmation of an urgent request made on `requestedOn` is owed; null when the rules track none. */
export function confirmationDueOn(rules: JurisdictionProfile, requestedOn: Day, cal: HolidayCalendar): Day | null {
  const c = rules.protection.confirmInWriting;
  return c ? addPeriod(requestedOn, c.within, cal) : null;
}
