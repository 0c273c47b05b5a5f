import { type Kysely, sql } from 'kysely';

// Core tables. Nothing here holds plaintext, an IP, a user agent or an exact time of a
// denouncer action: denouncer-side dates are `date` (day granularity, DESIGN.md).
// Staff-side timestamps (sessions, audit) are precise because staff actions are
// accountable by law.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bytea', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agencies')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull().defaultTo('VN-2018'))
    .addColumn('signing_public_key', 'bytea', (c) => c.notNull())
    .addColumn('created_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .execute();

  await db.schema
    .createTable('key_bundles')
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('serial', 'integer', (c) => c.notNull())
    .addColumn('payload', 'bytea', (c) => c.notNull())
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addColumn('published_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .addPrimaryKeyConstraint('key_bundles_pk', ['agency_id', 'serial'])
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('roles', sql`text[]`, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('invited', 'active', 'deactivated')`))
    .addColumn('enrolment_verifier', 'bytea')
    .addColumn('enrolment_expires_at', 'timestamptz')
    .addColumn('sign_public_key', 'bytea')
    .addColumn('box_public_key', 'bytea')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('staff_agency_idx').on('staff').column('agency_id').execute();

  await db.schema
    .createTable('staff_sessions')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('id', 'uuid', (c) => c.notNull().unique())
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_sessions_staff_idx').on('staff_sessions').column('staff_id').execute();

  await db.schema
    .createTable('login_challenges')
    .addColumn('nonce', 'bytea', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Spent proof-of-work challenges: the challenge itself is stateless (MAC'd by the
  // server), only its single use is recorded, until it would have expired anyway.
  await db.schema
    .createTable('pow_spent')
    .addColumn('nonce', 'bytea', (c) => c.primaryKey())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey()) // chosen by the client; also the submission id
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('public_number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('has_identity', 'boolean', (c) => c.notNull())
    .addColumn('urgent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('parent_case_id', 'uuid', (c) => c.references('cases.id'))
    .addColumn('received_on', 'date', (c) => c.notNull())
    .addColumn('bundle_serial', 'integer', (c) => c.notNull())
    // BLAKE2b of the receipt's auth key: the denouncer's only handle on the case.
    // Null once the case is purged, so the receipt answers "no such case".
    .addColumn('verifier', 'bytea', (c) => c.unique())
    .addColumn('submission_digest', 'bytea', (c) => c.notNull())
    .addColumn('envelope', 'bytea') // sealed case (PROTOCOL.md "Case envelope"); null once purged
    .addColumn('identity_block', 'bytea')
    .addColumn('identity_threshold', 'integer')
    .execute();
  await db.schema.createIndex('cases_agency_status_idx').on('cases').columns(['agency_id', 'status', 'id']).execute();

  // Wrapped content keys: one for the denouncer, one per intake recipient at submission,
  // and one per later grant. A revoked grant is deleted, not flagged, so it cannot leak.
  await db.schema
    .createTable('case_keys')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('recipient', 'text', (c) => c.notNull().check(sql`recipient in ('denouncer', 'staff')`))
    .addColumn('staff_id', 'uuid', (c) => c.references('staff.id'))
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addColumn('granted_by', 'uuid', (c) => c.references('staff.id'))
    .addColumn('granted_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .execute();
  await db.schema.createIndex('case_keys_case_idx').on('case_keys').columns(['case_id', 'staff_id']).execute();
  await db.schema.createIndex('case_keys_staff_idx').on('case_keys').columns(['staff_id', 'case_id']).execute();

  await db.schema
    .createTable('identity_shares')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('custodian_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_shares_pk', ['case_id', 'custodian_id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey()) // cursor for "messages after"
    .addColumn('id', 'uuid', (c) => c.notNull().unique()) // chosen by the client: idempotent posts
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('to_denouncer', 'from_denouncer')`))
    .addColumn('author_id', 'uuid', (c) => c.references('staff.id'))
    .addColumn('ciphertext', 'bytea', (c) => c.notNull())
    .addColumn('signature', 'bytea')
    .addColumn('sent_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .execute();
  await db.schema.createIndex('messages_case_idx').on('messages').columns(['case_id', 'seq']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey()) // chosen by the client
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('uploader', 'text', (c) => c.notNull().check(sql`uploader in ('denouncer', 'staff')`))
    .addColumn('chunk_count', 'integer') // set when the upload is finished
    .addColumn('complete', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .execute();
  await db.schema.createIndex('attachments_case_idx').on('attachments').column('case_id').execute();

  await db.schema
    .createTable('attachment_chunks')
    .addColumn('attachment_id', 'uuid', (c) => c.notNull().references('attachments.id').onDelete('cascade'))
    .addColumn('index', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_chunks_pk', ['attachment_id', 'index'])
    .execute();

  // Hash-chained audit log of staff actions. The trigger makes the table append-only
  // for everyone, the application included; `tipline audit verify` re-walks the chain.
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('agency_id', 'uuid')
    .addColumn('staff_id', 'uuid')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('case_id', 'uuid')
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('prev_hash', 'bytea', (c) => c.notNull())
    .addColumn('hash', 'bytea', (c) => c.notNull())
    .execute();
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists audit_log_no_change on audit_log`.execute(db);
  await sql`drop function if exists audit_log_append_only()`.execute(db);
  for (const t of [
    'audit_log', 'attachment_chunks', 'attachments', 'messages', 'identity_shares', 'case_keys',
    'cases', 'pow_spent', 'login_challenges', 'staff_sessions', 'staff', 'key_bundles', 'agencies',
    'server_secrets',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
