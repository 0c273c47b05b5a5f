import type { Day } from './dates.js';
import type { ProtectionStepRule } from './protection-steps.js';

// A jurisdiction profile: the whole statutory workflow as data (LEGAL.md: "Rules belong
// in data, not in scattered ifs, because the law changes"). Code in clock.ts and
// transitions.ts only interprets it. A jurisdiction is a list of rule sets, each with
// the day it takes effect and the acts it applies; a change of law is a new rule set
// (and a test), and how cases already open move onto it is data too.

export const caseStates = [
  'RECEIVED', 'TRIAGE', 'TRANSFERRED', 'NOT_ACCEPTED', 'ACCEPTED', 'VERIFYING',
  'CONCLUDED', 'CLOSED', 'SUSPENDED', 'TERMINATED', 'WITHDRAWN',
  // Reclassified by the intake officer as a petition / feedback (kiến nghị, phản ánh).
  'PETITION',
  // Verification waits on an expert assessment; its time does not count (VN: Decree 31 Art. 15(4)).
  'ASSESSMENT',
  // The denouncer withdrew everything; the head decides to terminate or to continue (VN-2026: Law Art. 33, 34(3)(a)).
  'WITHDRAWAL_REVIEW',
  // The conclusion is being carried out under the head's monitoring, or that of the unit assigned (VN-2026: Decree 31 Art. 18(2)).
  'MONITORING',
  // Anonymous information, a false name or a non-conforming form (VN-2026: Law Art. 25): not
  // settled under the Law, assessed with no statutory clock; then inspection or checking
  // decided, or not processed (a transfer ends in TRANSFERRED).
  'INFORMATION', 'INSPECTION', 'CHECKING', 'NOT_PROCESSED',
] as const;
export type CaseState = (typeof caseStates)[number];

/** What a case is (PROTOCOL.md §10 "Case body"); a rule may reclassify it (setsKind). */
export const caseKinds = ['denunciation', 'petition', 'retaliation', 'information'] as const;
export type CaseKind = (typeof caseKinds)[number];

export const actions = [
  'triage', 'extend_triage', 'transfer', 'not_accept', 'accept', 'start_verification',
  'extend', 'suspend', 'resume', 'terminate', 'conclude', 'close', 'withdraw',
  'reclassify_petition', 'answer', 'request_assessment', 'receive_assessment', 'withdraw_part', 'continue_settlement',
  'send_conclusion', 'handle_conclusion', 'monitor', 'end_monitoring',
  'notify_denounced', 'classify_information', 'decide_inspection', 'decide_checking', 'forward_information', 'not_process',
  'reward', 'record_false_denunciation',
] as const;
export type Action = (typeof actions)[number];

export const workflowRoles = ['intake', 'investigator', 'supervisor', 'denouncer'] as const;
export type WorkflowRole = (typeof workflowRoles)[number];

export const findings = ['true', 'partly_true', 'false'] as const;
export type Finding = (typeof findings)[number];

export const complexities = ['complex', 'especially_complex'] as const;
export type Complexity = (typeof complexities)[number];

/**
 * Why a settlement goes on although the denouncer withdrew everything (VN: Decree 31 new
 * Art. 4(4) as replaced by Decree 156): (a) the act denounced shows signs of a violation;
 * (b) the withdrawal came from threat, coercion or bribery; (c) the denouncer used the
 * denunciation to slander.
 */
export const continuationGrounds = ['signs_of_violation', 'coercion', 'slander'] as const;
export type ContinuationGround = (typeof continuationGrounds)[number];

/**
 * What the head did with a conclusion (VN: Law Art. 36(1)), each done within the head's
 * competence or recommended to the competent body: the rights of the person denounced
 * restored, and the person who deliberately denounced falsely handled ((a), no violation);
 * the violation handled ((b)); the file sent to the investigating body or procuracy ((c));
 * the damage remedied ((d)). One per step, so several steps record several measures.
 */
export const handlingOutcomes = ['rights_restored', 'false_denouncer_handled', 'violation_handled', 'referred_for_prosecution', 'damage_remedied'] as const;
export type HandlingOutcome = (typeof handlingOutcomes)[number];

/**
 * Who monitors how a conclusion is carried out (VN-2026: Decree 31 Art. 18(2) as amended):
 * the head, or the same-level inspectorate or an advisory unit the head assigns. A fixed
 * kind, plain and signed; the unit's own name is free text and goes in the sealed record.
 */
export const monitoringBodies = ['head', 'inspectorate', 'advisory_unit'] as const;
export type MonitoringBody = (typeof monitoringBodies)[number];

/**
 * Why information goes to the track of Law Art. 25 rather than to a settlement (Art. 25(1)):
 * no clear name or address of the denouncer; the denouncer could not be identified on
 * checking; the denouncer used another person's name; not in the form of Art. 22.
 */
export const informationGrounds = ['no_name', 'unidentified', 'false_name', 'not_in_form'] as const;
export type InformationGround = (typeof informationGrounds)[number];

/** What befell a person who deliberately denounced falsely (VN: Law Art. 65; Art. 8(10), 8(12)). */
export const falseDenunciationSanctions = ['discipline', 'administrative_fine', 'criminal_liability'] as const;
export type FalseDenunciationSanction = (typeof falseDenunciationSanctions)[number];

/** The limb of its provision a step names, where its rule lists them (`grounds`): signed with the step. */
export const stepGrounds = [...continuationGrounds, ...handlingOutcomes, ...monitoringBodies, ...informationGrounds, ...falseDenunciationSanctions] as const;
export type StepGround = (typeof stepGrounds)[number];

/**
 * What a step brings after it, each within its own period: the notice of the content to
 * the person denounced after acceptance (VN-2026: Law Art. 29(3)); what follows a
 * conclusion (Art. 35(3), 36(1), 40(1)).
 */
export const duties = ['notify_denounced', 'send_conclusion', 'handle_conclusion', 'publish_conclusion'] as const;
export type Duty = (typeof duties)[number];

/**
 * A duty a step opens, due `within` of that step's day, met by the first of the steps it
 * names (or by the conclusion's first publication). Its own deadline, beside the case's
 * clock: the settlement clock stops at the conclusion, the duties run from it.
 */
export interface DutyRule {
  duty: Duty; openedBy: Action; within: Period; metBy: Action | 'publication'; legalBasis: string;
  /** Steps that end what the duty serves and carry a decision of their own to the same person, so meet it too (a termination, Law Art. 34(4)). */
  alsoMetBy?: readonly Action[];
}

export type PeriodUnit = 'working_days' | 'calendar_days' | 'months';
export interface Period { amount: number; unit: PeriodUnit }

/** Named stretches of time the law counts: triage, settlement, acknowledgement, feedback. */
export type Phase = string;

export type ClockEffect =
  /** Start (or restart) a phase: from the receipt day or from the transition's day. */
  | { kind: 'start'; phase: Phase; period: Period; from: 'received' | 'event'; startNoLaterThan?: Period }
  | { kind: 'extend'; phase: Phase }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'stop' };

export interface TransitionRule {
  action: Action;
  from: readonly CaseState[];
  /**
   * 'same' keeps the state (an extension); 'previous' returns to the state before suspension;
   * 'before_review' returns to the state a rule with `opensReview` left.
   */
  to: CaseState | 'same' | 'previous' | 'before_review';
  /** The case waits in `to` for a decision, and the state it leaves is kept for the answer ('before_review'). */
  opensReview?: boolean;
  /**
   * The step names one of these grounds, and the ground's own provision is cited with the
   * rule's; a ground with `findings` only follows a conclusion with one of them.
   */
  grounds?: readonly { ground: StepGround; legalBasis: string; findings?: readonly Finding[] }[];
  /** Taken only after a conclusion with one of these findings (a reward, Law Art. 62; a false denunciation's sanction, Art. 65). */
  findings?: readonly Finding[];
  /** Taken only once each of these steps has been taken in the case (the conclusion sent and handled before monitoring ends). */
  requires?: readonly Action[];
  roles: readonly WorkflowRole[];
  /**
   * Roles that prepare this step and propose it to the rule's other roles, who decide it
   * (src/domain/proposals.ts; VN: the verification team proposes, the head decides).
   */
  proposedBy?: readonly WorkflowRole[];
  /** A notice to the denouncer is owed (VN Art. 9.1.c; EU Art. 9.1.b/f). */
  notice: boolean;
  legalBasis: string;
  clock?: ClockEffect;
  /** May be taken at most once in a case's life. */
  once?: boolean;
  /** Must be taken within this period of receipt; later counts as late in reports. */
  within?: Period;
  requiresFinding?: boolean;
  /** The step may carry the conclusion's figures (src/domain/conclusion-figures.ts), signed with it; no other step may. */
  carriesFigures?: boolean;
  /** The case becomes this kind (the intake officer's classification, Art. 24.1). */
  setsKind?: CaseKind;
}

export interface ExtensionLimit { count: number; maxAmount: number }

/**
 * The forms a conclusion is published in (VN: Law Art. 40(2); Decree 31 Art. 6(2)):
 * announced at a meeting, posted at the office or the citizen-reception place, on the
 * agency's portal or intranet, in e-press, in print, on radio, on TV.
 */
export const publicationForms = ['meeting', 'posting', 'portal', 'e_press', 'print', 'radio', 'tv'] as const;
export type PublicationForm = (typeof publicationForms)[number];

/** How long a form lasts: consecutive calendar days on display (the first day counted), consecutive runs, or nothing (a meeting). */
export interface PublicationFormRule { form: PublicationForm; minimumDays?: number; minimumRuns?: number; legalBasis: string }

/** Publishing a conclusion's public summary (VN: Law Art. 40; Decree 31/2019 Art. 6). */
export interface PublicationRule {
  /** States whose conclusion may be published. */
  from: readonly CaseState[];
  roles: readonly WorkflowRole[];
  /** The forms this rule set knows, the first the one a publication naming none takes. */
  forms: readonly [PublicationFormRule, ...PublicationFormRule[]];
  legalBasis: string;
}

/** An act a rule set applies, and the provisions its rules cite (docs/LAW-VN.md says how each was checked). */
export interface Source { act: string; provisions: string; inForceFrom: Day }

/** One rule set of a jurisdiction: the rules in force from `effectiveFrom`. */
export interface JurisdictionProfile {
  id: string;
  title: string;
  /** The first day these rules govern. */
  effectiveFrom: Day;
  sources: readonly Source[];
  /**
   * Whether a case received before `effectiveFrom` takes its later steps under these rules
   * (true) or keeps the rules it was received under (false); ignored for the first set.
   */
  openCases?: { follow: boolean; legalBasis: string };
  /** The clock every case starts with, counted from its receipt day. */
  initialClock: { phase: Phase; period: Period };
  transitions: readonly TransitionRule[];
  extensions: { phase: Phase; unit: PeriodUnit; limits: Record<Complexity, ExtensionLimit>; legalBasis: string };
  /** A deadline falling on a rest day or holiday moves to the next working day. */
  rollForward: { enabled: boolean; legalBasis: string };
  /** Deadline for sending a notice after the decision it reports. */
  noticeWithin: Period;
  retention: { years: number; legalBasis: string };
  /**
   * Protection requests: days to decide, urgent and ordinary; the steps that may follow a
   * decision (none listed: none may); and the period within which an urgent request made by
   * phone or in person is to be confirmed in writing (absent: not tracked).
   */
  protection: {
    decideWithin: Period; urgentWithin: Period; legalBasis: string;
    steps?: readonly ProtectionStepRule[];
    confirmInWriting?: { within: Period; legalBasis: string };
  };
  /** Null where the law asks for no publication of conclusions. */
  publication: PublicationRule | null;
  /** What a step brings after it with its own period (none where the rule set names none). */
  duties?: readonly DutyRule[];
}

/** A jurisdiction: its rule sets, oldest first (agencies.profile names it). */
export interface Jurisdiction {
  id: string;
  title: string;
  /** The public holidays shipped for the jurisdiction ('none': the agency lists its own). */
  holidayCalendar: 'VN' | 'none';
  ruleSets: readonly [JurisdictionProfile, ...JurisdictionProfile[]];
}

/**
 * The rule set a step of a case received on `receivedOn` is taken under on `day`: the
 * newest in force that day, unless it leaves cases received before it on their old rules.
 * Before the first set takes effect the first set applies.
 */
export function rulesFor(j: Jurisdiction, receivedOn: Day, day: Day): JurisdictionProfile {
  let chosen = j.ruleSets[0];
  for (const set of j.ruleSets.slice(1)) {
    if (set.effectiveFrom > day) break;
    if (receivedOn >= set.effectiveFrom || set.openCases?.follow) chosen = set;
  }
  return chosen;
}

/** The rules in force on `day` for a matter that begins that day (a new request, a list drawn up that day). */
export function rulesInForce(j: Jurisdiction, day: Day): JurisdictionProfile {
  return rulesFor(j, day, day);
}

export const terminalStates: readonly CaseState[] = ['TRANSFERRED', 'NOT_ACCEPTED', 'CLOSED', 'TERMINATED', 'WITHDRAWN', 'INSPECTION', 'CHECKING', 'NOT_PROCESSED'];
