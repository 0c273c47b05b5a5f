import type { ColumnType } from 'kysely';

// Table types for migrations/0004_staff.ts, merged into DB (schema.ts).

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface IdentityRequestsTable {
  id: string;
  case_id: string;
  /** Set when the subject is this protection request's details rather than the case's identity. */
  protection_request_id: string | null;
  requester_id: string;
  reason: Uint8Array;
  signature: Uint8Array;
  created_at: Stamp;
}

export interface IdentityRequestKeysTable { request_id: string; staff_id: string; wrapped: Uint8Array }

export interface IdentityDecisionsTable {
  request_id: string;
  custodian_id: string;
  decision: 'approve' | 'refuse';
  resealed_share: Uint8Array | null;
  reason: Uint8Array | null;
  signature: Uint8Array;
  decided_at: Stamp;
}

/** migrations/0023_staff_notifications.ts: who asked to be mailed what (db/notifications.ts). */
export interface StaffNotificationsTable {
  staff_id: string;
  address: string;
  inbox: boolean;
  replies: boolean;
  deadlines: boolean;
  identity: boolean;
  within_days: number;
  /** The counts last mailed (or found all zero), as notifications.ts writes them; null: mail the next ones. */
  last_counts: string | null;
}

/** A staged key rotation (migrations/0026_staff_rotation.ts): removed once a bundle lists the new keys. */
export interface StaffRotationsTable {
  staff_id: string;
  new_sign_public_key: Uint8Array;
  new_box_public_key: Uint8Array;
  old_signature: Uint8Array;
  new_signature: Uint8Array;
  staged_on: ColumnType<string, string | undefined, string>;
}

export type RotationHolding = 'case_key' | 'identity_share' | 'protection_share' | 'request_key';

/** A key the rotating member re-sealed to the new box key, with their rekey signature (§8.3.12). */
export interface StaffRotationKeysTable {
  staff_id: string;
  holding: RotationHolding;
  subject_id: string;
  wrapped: Uint8Array;
  origin_digest: Uint8Array;
  signature: Uint8Array;
}

/** A case a departed member held by a grant and nobody else does: intake grants it again. */
export interface CaseReassignmentsTable { case_id: string; departed_id: string; flagged_on: ColumnType<string, string | undefined, string> }

export interface StaffTables {
  identity_requests: IdentityRequestsTable;
  identity_request_keys: IdentityRequestKeysTable;
  identity_decisions: IdentityDecisionsTable;
  staff_notifications: StaffNotificationsTable;
  staff_rotations: StaffRotationsTable;
  staff_rotation_keys: StaffRotationKeysTable;
  case_reassignments: CaseReassignmentsTable;
}
