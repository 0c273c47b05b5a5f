import { type Kysely, sql } from 'kysely';

// Staff side: identity custody (requests, per-custodian decisions with re-sealed
// shares) and the indexes that keep case lists and the audit log fast at scale.
// Nothing here is plaintext: reasons are ciphertext under a per-request key that is
// wrapped to the requester and to each custodian of the case.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey()) // chosen by the client: it is signed over
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('requester_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('reason', 'bytea', (c) => c.notNull())
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('identity_requests_case_idx').on('identity_requests').columns(['case_id', 'created_at']).execute();
  await db.schema.createIndex('identity_requests_requester_idx').on('identity_requests').columns(['requester_id', 'created_at']).execute();

  // The request key, wrapped to the requester and to every custodian holding a share.
  await db.schema
    .createTable('identity_request_keys')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('identity_requests.id').onDelete('cascade'))
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_request_keys_pk', ['request_id', 'staff_id'])
    .execute();
  await db.schema.createIndex('identity_request_keys_staff_idx').on('identity_request_keys').columns(['staff_id', 'request_id']).execute();

  await db.schema
    .createTable('identity_decisions')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('identity_requests.id').onDelete('cascade'))
    .addColumn('custodian_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('approve', 'refuse')`))
    .addColumn('resealed_share', 'bytea') // the custodian's share, sealed to the requester
    .addColumn('reason', 'bytea') // a refusal's reason, under the request key
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('identity_decisions_pk', ['request_id', 'custodian_id'])
    .addCheckConstraint('identity_decisions_share', sql`(decision = 'approve') = (resealed_share is not null)`)
    .execute();

  // Keyset paging of case lists, newest first, per agency and per status.
  await db.schema.createIndex('cases_agency_received_idx').on('cases').columns(['agency_id', 'received_on', 'id']).execute();
  await db.schema
    .createIndex('cases_agency_status_received_idx')
    .on('cases')
    .columns(['agency_id', 'status', 'received_on', 'id'])
    .execute();
  await db.schema.createIndex('identity_shares_custodian_idx').on('identity_shares').columns(['custodian_id', 'case_id']).execute();
  // Each agency's audit chain is walked (and extended) by agency.
  await db.schema.createIndex('audit_log_agency_seq_idx').on('audit_log').columns(['agency_id', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of ['audit_log_agency_seq_idx', 'identity_shares_custodian_idx', 'cases_agency_status_received_idx', 'cases_agency_received_idx']) {
    await db.schema.dropIndex(i).ifExists().execute();
  }
  for (const t of ['identity_decisions', 'identity_request_keys', 'identity_requests']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
