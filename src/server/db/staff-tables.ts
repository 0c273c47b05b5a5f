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

export interface StaffTables {
  identity_requests: IdentityRequestsTable;
  identity_request_keys: IdentityRequestKeysTable;
  identity_decisions: IdentityDecisionsTable;
  staff_notifications: StaffNotificationsTable;
}
