import { sql, type Kysely } from 'kysely';

// Custodian turnover by resharing (PROTOCOL.md §6.2). A plan the admin signed names the
// old custodians who take part and the new set; it covers the identity blocks and
// protection details whose shares the old set holds. Each old custodian posts, per
// subject, sub-shares sealed to the new custodians with one signature; each new
// custodian posts their summed share, sealed to themselves. Only when every new share of
// a subject is in are the old shares replaced, in one transaction. Every value here is
// sealed to one person: the server can combine nothing.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reshares')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('planned_by', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('on_day', 'text', (c) => c.notNull().check(sql`on_day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`))
    .addColumn('bundle_serial', 'integer', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull().check(sql`threshold between 1 and 255`))
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addColumn('finished', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // At most one open reshare per agency: two at once would re-split the same shares twice.
  await sql`create unique index reshares_open_idx on reshares (agency_id) where not finished`.execute(db);

  await db.schema
    .createTable('reshare_members')
    .addColumn('reshare_id', 'uuid', (c) => c.notNull().references('reshares.id').onDelete('cascade'))
    .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('from', 'to')`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addPrimaryKeyConstraint('reshare_members_pk', ['reshare_id', 'side', 'position'])
    .addUniqueConstraint('reshare_members_staff', ['reshare_id', 'side', 'staff_id'])
    .execute();

  await db.schema
    .createTable('reshare_subjects')
    .addColumn('reshare_id', 'uuid', (c) => c.notNull().references('reshares.id').onDelete('cascade'))
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('protection_request_id', 'uuid', (c) => c.references('protection_requests.id').onDelete('cascade'))
    .addColumn('done', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('reshare_subjects_pk', ['reshare_id', 'subject_id'])
    .execute();

  await db.schema
    .createTable('reshare_parts')
    .addColumn('reshare_id', 'uuid', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('custodian_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('reshare_parts_pk', ['reshare_id', 'subject_id', 'custodian_id'])
    .addForeignKeyConstraint('reshare_parts_subject', ['reshare_id', 'subject_id'], 'reshare_subjects', ['reshare_id', 'subject_id'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('reshare_sub_shares')
    .addColumn('reshare_id', 'uuid', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('from_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('reshare_sub_shares_pk', ['reshare_id', 'subject_id', 'from_id', 'position'])
    .addForeignKeyConstraint('reshare_sub_shares_part', ['reshare_id', 'subject_id', 'from_id'], 'reshare_parts', ['reshare_id', 'subject_id', 'custodian_id'], (c) => c.onDelete('cascade'))
    .execute();

  await db.schema
    .createTable('reshare_new_shares')
    .addColumn('reshare_id', 'uuid', (c) => c.notNull())
    .addColumn('subject_id', 'uuid', (c) => c.notNull())
    .addColumn('custodian_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('reshare_new_shares_pk', ['reshare_id', 'subject_id', 'custodian_id'])
    .addForeignKeyConstraint('reshare_new_shares_subject', ['reshare_id', 'subject_id'], 'reshare_subjects', ['reshare_id', 'subject_id'], (c) => c.onDelete('cascade'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['reshare_new_shares', 'reshare_sub_shares', 'reshare_parts', 'reshare_subjects', 'reshare_members', 'reshares']) {
    await db.schema.dropTable(t).execute();
  }
}
