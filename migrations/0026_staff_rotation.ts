import { sql, type Kysely } from 'kysely';

// Staff key rotation and departure (PROTOCOL.md §7.1, docs/STAFF.md "Keys over years").
//
// A rotation is staged until the admin publishes a bundle listing the new keys: the
// statement (signed by the old and the new key) and every key the member re-sealed to
// the new box key wait here, and the server swaps them in, in one transaction, when
// that bundle is published. A re-sealed content key keeps the digest of the key its
// grant signed (origin_digest) and the member's own signature over the new one.
//
// A departure deletes the member's keys; a case they held by a grant and nobody else
// holds by one is flagged for intake to grant again. The flag names no time, only the day.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_rotations')
    .addColumn('staff_id', 'uuid', (c) => c.primaryKey().references('staff.id').onDelete('cascade'))
    .addColumn('new_sign_public_key', 'bytea', (c) => c.notNull())
    .addColumn('new_box_public_key', 'bytea', (c) => c.notNull())
    .addColumn('old_signature', 'bytea', (c) => c.notNull())
    .addColumn('new_signature', 'bytea', (c) => c.notNull())
    .addColumn('staged_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .execute();
  await db.schema
    .createTable('staff_rotation_keys')
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff_rotations.staff_id').onDelete('cascade'))
    .addColumn('holding', 'text', (c) => c.notNull().check(sql`holding in ('case_key', 'identity_share', 'protection_share', 'request_key')`))
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addColumn('origin_digest', 'bytea', (c) => c.notNull())
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_rotation_keys_pk', ['staff_id', 'holding', 'subject_id'])
    .execute();
  await db.schema.alterTable('case_keys').addColumn('origin_digest', 'bytea').execute();
  await db.schema.alterTable('case_keys').addColumn('rekey_signature', 'bytea').execute();
  await db.schema
    .createTable('case_reassignments')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('departed_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('flagged_on', 'date', (c) => c.notNull().defaultTo(sql`current_date`))
    .addPrimaryKeyConstraint('case_reassignments_pk', ['case_id', 'departed_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_reassignments').execute();
  await db.schema.alterTable('case_keys').dropColumn('rekey_signature').execute();
  await db.schema.alterTable('case_keys').dropColumn('origin_digest').execute();
  await db.schema.dropTable('staff_rotation_keys').execute();
  await db.schema.dropTable('staff_rotations').execute();
}
