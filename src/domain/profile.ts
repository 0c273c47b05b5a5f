// A jurisdiction profile: the whole statutory workflow as data (LEGAL.md: "Rules belong
// in data, not in scattered ifs, because the law changes"). Code in clock.ts and
// transitions.ts only interprets it.

export const caseStates = [
  'RECEIVED', 'TRIAGE', 'TRANSFERRED', 'NOT_ACCEPTED', 'ACCEPTED', 'VERIFYING',
  'CONCLUDED', 'CLOSED', 'SUSPENDED', 'TERMINATED', 'WITHDRAWN',
  // Reclassified by the intake officer as a petition / feedback (kiến nghị, phản ánh).
  'PETITION',
] as const;
export type CaseState = (typeof caseStates)[number];

export const actions = [
  'triage', 'extend_triage', 'transfer', 'not_accept', 'accept', 'start_verification',
  'extend', 'suspend', 'resume', 'terminate', 'conclude', 'close', 'withdraw',
  'reclassify_petition', 'answer',
] as const;
export type Action = (typeof actions)[number];

export const workflowRoles = ['intake', 'investigator', 'supervisor', 'denouncer'] as const;
export type WorkflowRole = (typeof workflowRoles)[number];

export const findings = ['true', 'partly_true', 'false'] as const;
export type Finding = (typeof findings)[number];

export const complexities = ['complex', 'especially_complex'] as const;
export type Complexity = (typeof complexities)[number];

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
  /** 'same' keeps the state (an extension); 'previous' returns to the state before suspension. */
  to: CaseState | 'same' | 'previous';
  roles: readonly WorkflowRole[];
  /** A notice to the denouncer is owed (VN Art. 9.1.c; EU Art. 9.1.b/f). */
  notice: boolean;
  legalBasis: string;
  clock?: ClockEffect;
  /** May be taken at most once in a case's life. */
  once?: boolean;
  /** Must be taken within this period of receipt; later counts as late in reports. */
  within?: Period;
  requiresFinding?: boolean;
  /** The case becomes this kind (the intake officer's classification, Art. 24.1). */
  setsKind?: string;
}

export interface ExtensionLimit { count: number; maxAmount: number }

/** Publishing a conclusion's public summary (VN: Decree 31/2019 Art. 6). */
export interface PublicationRule {
  /** States whose conclusion may be published. */
  from: readonly CaseState[];
  roles: readonly WorkflowRole[];
  /** Consecutive calendar days on display, the day of publication counted as the first. */
  minimumDays: number;
  legalBasis: string;
}

export interface JurisdictionProfile {
  id: string;
  title: string;
  /** The clock every case starts with, counted from its receipt day. */
  initialClock: { phase: Phase; period: Period };
  transitions: readonly TransitionRule[];
  extensions: { phase: Phase; unit: PeriodUnit; limits: Record<Complexity, ExtensionLimit>; legalBasis: string };
  /** A deadline falling on a rest day or holiday moves to the next working day. */
  rollForward: { enabled: boolean; legalBasis: string };
  /** Deadline for sending a notice after the decision it reports. */
  noticeWithin: Period;
  retention: { years: number; legalBasis: string };
  /** Protection requests: days to decide, urgent and ordinary. */
  protection: { decideWithin: Period; urgentWithin: Period; legalBasis: string };
  /** The public holidays shipped for the jurisdiction ('none': the agency lists its own). */
  holidayCalendar: 'VN' | 'none';
  /** Null where the law asks for no publication of conclusions. */
  publication: PublicationRule | null;
}

export const terminalStates: readonly CaseState[] = ['TRANSFERRED', 'NOT_ACCEPTED', 'CLOSED', 'TERMINATED', 'WITHDRAWN'];
