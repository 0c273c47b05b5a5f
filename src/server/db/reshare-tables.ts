import type { Generated } from 'kysely';

// Table types for migrations/0025_reshares.ts, merged into DB (schema.ts).

type Bytes = Uint8Array;

export interface ResharesTable {
  id: string; agency_id: string; planned_by: string; on_day: string; bundle_serial: number; threshold: number;
  signature: Bytes; finished: Generated<boolean>;
}
export interface ReshareMembersTable { reshare_id: string; side: 'from' | 'to'; position: number; staff_id: string }
export interface ReshareSubjectsTable { reshare_id: string; subject_id: string; case_id: string; protection_request_id: string | null; done: Generated<boolean> }
export interface ResharePartsTable { reshare_id: string; subject_id: string; custodian_id: string; signature: Bytes }
export interface ReshareSubSharesTable { reshare_id: string; subject_id: string; from_id: string; position: number; wrapped: Bytes }
export interface ReshareNewSharesTable { reshare_id: string; subject_id: string; custodian_id: string; wrapped: Bytes }

export interface ReshareTables {
  reshares: ResharesTable;
  reshare_members: ReshareMembersTable;
  reshare_subjects: ReshareSubjectsTable;
  reshare_parts: ResharePartsTable;
  reshare_sub_shares: ReshareSubSharesTable;
  reshare_new_shares: ReshareNewSharesTable;
}
