import { sql, type Kysely } from 'kysely';

// What follows a protection decision (Law Art. 50(3), 54; PROTOCOL.md §8.3.13): each step —
// a measure changed, added or ended, or the written confirmation of an urgent request — is
// a row of protection_steps, signed by its maker and chained to the step before it, with
// its sealed record and the notice sent with it. ended_on and confirmed_on on the request
// are kept in the same transaction, for the deadlines board and the reports. The intake
// record of an urgent request made by phone or in person gains its officer's signature
// (§8.3.14), what it binds that the request does not hold (H(32, sealedDetails)), and the
// day its written confirmation is owed; rows recorded before this migration have none.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('protection_steps')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('protection_requests.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq between 1 and 65535`))
    .addColumn('step', 'text', (c) => c.notNull().check(sql`step in ('change', 'add', 'end', 'confirm_writing')`))
    .addColumn('ground', 'text', (c) => c.notNull())
    .addColumn('on_day', 'date', (c) => c.notNull())
    .addColumn('by_staff', 'uuid', (c) => c.notNull())
    .addColumn('record', 'bytea')
    .addColumn('notice_message_id', 'uuid')
    .addColumn('notice_digest', 'bytea')
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('protection_steps_pk', ['request_id', 'seq'])
    .execute();
  await db.schema.alterTable('protection_requests')
    .addColumn('ended_on', 'date')
    .addColumn('confirmed_on', 'date')
    .execute();
  await db.schema.alterTable('protection_channels')
    .addColumn('recorded_by', 'uuid')
    .addColumn('details_digest', 'bytea')
    .addColumn('record_signature', 'bytea')
    .addColumn('confirm_due_on', 'date')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('protection_channels')
    .dropColumn('recorded_by').dropColumn('details_digest').dropColumn('record_signature').dropColumn('confirm_due_on').execute();
  await db.schema.alterTable('protection_requests').dropColumn('ended_on').dropColumn('confirmed_on').execute();
  await db.schema.dropTable('protection_steps').execute();
}
