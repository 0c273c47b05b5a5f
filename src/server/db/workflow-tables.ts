import type { ColumnType, Generated } from 'kysely';

// Table types for migrations/0003_workflow.ts, merged into DB (schema.ts). The clock
// columns added to `cases` are in WorkflowCaseColumns.

type DateDay = ColumnType<string, string, string>;
type Bytes = Uint8Array;

export interface WorkflowCaseColumns {
  due_on: string | null;
  clock_phase: string | null;
  clock_paused: Generated<boolean>;
  accepted_on: string | null;
  finished_on: string | null;
  closed_on: string | null;
  finding: 'true' | 'partly_true' | 'false' | null;
  resolved_late: boolean | null;
  purged_on: string | null;
  /** migrations/0020_conclusion_duties.ts: the earliest due day of a duty the case still owes (case_duties). */
  duty_due_on: string | null;
}

export interface CaseEventsTable {
  case_id: string;
  seq: number;
  agency_id: string;
  action: string;
  from_state: string;
  to_state: string;
  on_day: DateDay;
  actor_id: string | null;
  legal_basis: string;
  reason: Bytes | null;
  due_on: string | null;
  late: Generated<boolean>;
  finding: string | null;
  extension_complexity: string | null;
  extension_amount: number | null;
  notice_message_id: string | null;
  /** migrations/0015_workflow_signatures.ts: the actor's signature (§8.3.4); null for the denouncer's own and older rows. */
  signature: Bytes | null;
  /** The actor's own citation exactly as signed (legal_basis appends it to the profile's). */
  cited_basis: string | null;
  /** H(32, notice ciphertext), as the signature binds it. */
  notice_digest: Bytes | null;
  /** migrations/0019_withdrawal_grounds.ts: why a settlement goes on after a full withdrawal, as signed. */
  ground: string | null;
  /** migrations/0030_conclusion_figures.ts: what a conclusion recommends in numbers, as signed; written as JSON text. */
  figures: ColumnType<Record<string, number> | null, Record<string, number> | string | null, string | null>;
}

export interface AgencyHolidaysTable {
  agency_id: string;
  day: DateDay;
  kind: 'holiday' | 'working_day' | 'not_a_holiday';
  name: Generated<string>;
}

export interface ProtectionRequestsTable {
  id: string;
  case_id: string;
  agency_id: string;
  urgent: boolean;
  requested_on: DateDay;
  due_on: DateDay;
  sealed_details: Bytes | null;
  details_threshold: number;
  details_denouncer_key: Bytes | null;
  status: 'pending' | 'granted' | 'refused';
  decided_on: string | null;
  decided_by: string | null;
  decision_reason: Bytes | null;
  notice_message_id: string | null;
  /** migrations/0015_workflow_signatures.ts: the head's decision signature (§8.3.7); null before it. */
  decision_signature: Bytes | null;
  notice_digest: Bytes | null;
  /** migrations/0029_protection_steps.ts: the day a signed end step ended it, and the day its written confirmation was recorded. */
  ended_on: string | null;
  confirmed_on: string | null;
}

/** migrations/0029_protection_steps.ts: a signed step after the request (§8.3.13), chained by seq. */
export interface ProtectionStepsTable {
  request_id: string;
  seq: number;
  step: 'change' | 'add' | 'end' | 'confirm_writing';
  ground: string;
  on_day: DateDay;
  by_staff: string;
  record: Bytes | null;
  notice_message_id: string | null;
  notice_digest: Bytes | null;
  signature: Bytes;
}

export interface ProtectionSharesTable { request_id: string; custodian_id: string; wrapped: Bytes }

/** The channel of a protection request an intake officer recorded (migration 0024); none: it came online. */
export interface ProtectionChannelsTable {
  request_id: string;
  channel: 'phone' | 'in_person';
  /** migrations/0029_protection_steps.ts: the recording officer, H(32, sealedDetails) and their signature (§8.3.14); null before. */
  recorded_by: string | null;
  details_digest: Bytes | null;
  record_signature: Bytes | null;
  /** When the written confirmation is owed (Art. 50(3)); null when the rules track none. */
  confirm_due_on: string | null;
}

export interface LegalHoldsTable {
  case_id: string;
  agency_id: string;
  placed_by: string;
  placed_on: DateDay;
  basis: string;
}

/** migrations/0006_workflow_calendar_publication.ts: a conclusion's public summary (Decree 31 Art. 6). */
export interface ConclusionPublicationsTable {
  id: string;
  case_id: string;
  agency_id: string;
  /** Public by nature: written by the supervisor for publication, never derived from the case. */
  summary: string;
  published_on: DateDay;
  earliest_take_down: DateDay;
  published_by: string;
  withdrawn_on: string | null;
  withdrawn_by: string | null;
  /** migrations/0020_conclusion_duties.ts: the form of Decree 31 Art. 6(2), and the runs ordered for print, radio or TV. */
  form: Generated<string>;
  runs: number | null;
}

/** migrations/0020_conclusion_duties.ts: a duty a step opened (src/domain DutyRule), owed until met. */
export interface CaseDutiesTable {
  case_id: string;
  duty: string;
  agency_id: string;
  opened_on: DateDay;
  due_on: DateDay;
  met_on: string | null;
  late: Generated<boolean>;
  legal_basis: string;
}

export interface WorkflowTables {
  case_events: CaseEventsTable;
  agency_holidays: AgencyHolidaysTable;
  protection_requests: ProtectionRequestsTable;
  protection_shares: ProtectionSharesTable;
  protection_channels: ProtectionChannelsTable;
  protection_steps: ProtectionStepsTable;
  legal_holds: LegalHoldsTable;
  conclusion_publications: ConclusionPublicationsTable;
  case_duties: CaseDutiesTable;
}
