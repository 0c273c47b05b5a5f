import type { ColumnType, Generated } from 'kysely';
import type { ReshareTables } from './reshare-tables.js';
import type { StaffTables } from './staff-tables.js';
import type { WorkflowCaseColumns, WorkflowTables } from './workflow-tables.js';

// Table types beside the tables (migrations/). Dates are day-granular strings
// ('YYYY-MM-DD') on the denouncer side; bytea columns are Uint8Array.

type DateDay = ColumnType<string, string | undefined, string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Bytes = Uint8Array;

export interface ServerSecretsTable { name: string; value: Bytes }

export interface AgenciesTable {
  id: string;
  slug: string;
  name: string;
  profile: Generated<string>;
  calendar_version: Generated<number>; // migrations/0006_workflow_calendar_publication.ts
  signing_public_key: Bytes;
  created_on: DateDay;
}

export interface KeyBundlesTable {
  agency_id: string;
  serial: number;
  payload: Bytes;
  signature: Bytes;
  published_on: DateDay;
}

export interface AgencyKeyTransitionsTable {
  agency_id: string;
  effective_serial: number;
  old_public_key: Bytes;
  new_public_key: Bytes;
  issued_on: string;
  old_signature: Bytes;
  new_signature: Bytes;
}

export type StaffRole = 'admin' | 'intake' | 'investigator' | 'custodian' | 'supervisor' | 'auditor';

export interface StaffTable {
  id: string;
  agency_id: string;
  display_name: string;
  roles: StaffRole[];
  status: 'invited' | 'active' | 'deactivated';
  enrolment_verifier: Bytes | null;
  enrolment_expires_at: Stamp | null;
  sign_public_key: Bytes | null;
  box_public_key: Bytes | null;
  created_at: Stamp;
}

export interface StaffSessionsTable {
  token_hash: Bytes;
  id: string;
  staff_id: string;
  created_at: Stamp;
  last_seen_at: Stamp;
  expires_at: Stamp;
}

export interface LoginChallengesTable { nonce: Bytes; expires_at: Stamp }
export interface PowSpentTable { nonce: Bytes; expires_at: Stamp }

export interface CasesTable extends WorkflowCaseColumns {
  id: string;
  agency_id: string;
  public_number: string;
  kind: string;
  status: string;
  has_identity: boolean;
  urgent: Generated<boolean>;
  parent_case_id: string | null;
  received_on: DateDay;
  bundle_serial: number;
  verifier: Bytes | null;
  submission_digest: Bytes;
  envelope: Bytes | null;
  identity_block: Bytes | null;
  identity_threshold: number | null;
  identity_denouncer_key: Bytes | null; // migrations/0002_denouncer.ts
}

export interface CaseKeysTable {
  id: string;
  case_id: string;
  recipient: 'denouncer' | 'staff' | 'recovery';
  staff_id: string | null;
  wrapped: Bytes;
  granted_by: string | null;
  granted_on: DateDay;
  /** The granter's signature over the grant (PROTOCOL.md §8.3.2); null for keys wrapped at submission. */
  signature: Bytes | null;
  /** For a key re-sealed at a rotation: H(32, the key its grant signed) and the holder's rekey signature (§8.3.12). */
  origin_digest: Bytes | null;
  rekey_signature: Bytes | null;
}

export interface IdentitySharesTable { case_id: string; custodian_id: string; wrapped: Bytes }

export interface MessagesTable {
  seq: Generated<string>; // bigint arrives as a string from both drivers
  id: string;
  case_id: string;
  direction: 'to_denouncer' | 'from_denouncer';
  author_id: string | null;
  ciphertext: Bytes;
  signature: Bytes | null;
  sent_on: DateDay;
}

/** How far a staff member has read a case's thread: a message seq, never a time (migration 0016). */
export interface MessageReadsTable { staff_id: string; case_id: string; read_seq: string }

/** The channel of a case an intake officer recorded (migration 0021); none: it came online. */
export interface CaseChannelsTable { case_id: string; channel: 'in_person' | 'letter' }

export interface CaseProposalsTable {
  id: string;
  case_id: string;
  action: string;
  proposed_by: string;
  proposed_on: DateDay;
  body: Uint8Array;
  finding: string | null;
  extension_complexity: string | null;
  extension_days: number | null;
  signature: Uint8Array;
  status: 'open' | 'taken' | 'declined' | 'superseded';
  answered_by: string | null;
  answered_on: string | null;
  answered_seq: number | null;
  answer_body: Uint8Array | null;
  answer_signature: Uint8Array | null;
}

export interface AttachmentsTable {
  id: string;
  case_id: string;
  uploader: 'denouncer' | 'staff';
  chunk_count: number | null;
  complete: Generated<boolean>;
  created_on: DateDay;
  /** Writers the upload has had; a chunk is stored only under the latest (migration 0012). */
  upload_epoch: Generated<number>;
}

export interface AttachmentChunksTable { attachment_id: string; index: number; data: Bytes }

export interface AuditLogTable {
  seq: Generated<string>;
  at: Stamp;
  agency_id: string | null;
  staff_id: string | null;
  action: string;
  case_id: string | null;
  detail: ColumnType<unknown, string | undefined, never>;
  prev_hash: Bytes;
  hash: Bytes;
}

/** One counter per year for public case numbers (migrations/0002_denouncer.ts). */
export interface CaseNumbersTable { year: number; last: number }

export interface DB extends StaffTables, WorkflowTables, ReshareTables {
  server_secrets: ServerSecretsTable;
  agencies: AgenciesTable;
  key_bundles: KeyBundlesTable;
  agency_key_transitions: AgencyKeyTransitionsTable;
  staff: StaffTable;
  staff_sessions: StaffSessionsTable;
  login_challenges: LoginChallengesTable;
  pow_spent: PowSpentTable;
  cases: CasesTable;
  case_keys: CaseKeysTable;
  identity_shares: IdentitySharesTable;
  messages: MessagesTable;
  message_reads: MessageReadsTable;
  case_proposals: CaseProposalsTable;
  case_channels: CaseChannelsTable;
  attachments: AttachmentsTable;
  attachment_chunks: AttachmentChunksTable;
  audit_log: AuditLogTable;
  case_numbers: CaseNumbersTable;
}
