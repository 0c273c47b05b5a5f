import { type Kysely, sql } from 'kysely';

// The statutory workflow (LEGAL.md, src/domain). Everything here is metadata or
// ciphertext: reasons, notices and protection details arrive sealed by the client.
// Days, never times, for anything a denouncer does.

export async function up(db: Kysely<any>): Promise<void> {
  // The clock as of the last transition, denormalised so the deadline list and the
  // reports are index scans, never a replay of every case's history.
  await db.schema
    .alterTable('cases')
    .addColumn('due_on', 'date')
    .addColumn('clock_phase', 'text')
    .addColumn('clock_paused', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('accepted_on', 'date')
    .addColumn('finished_on', 'date') // the clock stopped: concluded, transferred, refused, terminated, withdrawn
    .addColumn('closed_on', 'date') // entered a final state: retention runs from here
    .addColumn('finding', 'text', (c) => c.check(sql`finding in ('true', 'partly_true', 'false')`))
    .addColumn('resolved_late', 'boolean')
    .addColumn('purged_on', 'date')
    .execute();
  await sql`create index cases_due_idx on cases (agency_id, due_on) where due_on is not null and finished_on is null`.execute(db);
  await db.schema.createIndex('cases_received_idx').on('cases').columns(['agency_id', 'received_on']).execute();
  await db.schema.createIndex('cases_accepted_idx').on('cases').columns(['agency_id', 'accepted_on']).execute();
  await db.schema.createIndex('cases_closed_idx').on('cases').columns(['agency_id', 'closed_on']).execute();
  await db.schema.createIndex('cases_parent_idx').on('cases').column('parent_case_id').execute();

  await db.schema
    .createTable('case_events')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('on_day', 'date', (c) => c.notNull())
    .addColumn('actor_id', 'uuid', (c) => c.references('staff.id')) // null: the denouncer
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('reason', 'bytea') // sealed by the client under the content key; null once purged
    .addColumn('due_on', 'date') // the deadline after this transition
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('finding', 'text')
    .addColumn('extension_complexity', 'text')
    .addColumn('extension_amount', 'integer')
    .addColumn('notice_message_id', 'uuid')
    .addPrimaryKeyConstraint('case_events_pk', ['case_id', 'seq'])
    .execute();
  await db.schema.createIndex('case_events_report_idx').on('case_events').columns(['agency_id', 'on_day', 'action']).execute();

  await db.schema
    .createTable('agency_holidays')
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('holiday', 'working_day', 'not_a_holiday')`))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('agency_holidays_pk', ['agency_id', 'day'])
    .execute();

  // Protection requests (Law ch. VI): details sealed like the identity block — under a
  // key split among custodians and sealed to the denouncer; decisions carry sealed reasons.
  await db.schema
    .createTable('protection_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey()) // chosen by the client: idempotent
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('urgent', 'boolean', (c) => c.notNull())
    .addColumn('requested_on', 'date', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('sealed_details', 'bytea') // null once purged
    .addColumn('details_threshold', 'integer', (c) => c.notNull())
    .addColumn('details_denouncer_key', 'bytea')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'granted', 'refused')`))
    .addColumn('decided_on', 'date')
    .addColumn('decided_by', 'uuid', (c) => c.references('staff.id'))
    .addColumn('decision_reason', 'bytea')
    .addColumn('notice_message_id', 'uuid')
    .execute();
  await db.schema.createIndex('protection_pending_idx').on('protection_requests').columns(['agency_id', 'status', 'urgent', 'due_on']).execute();
  await db.schema.createIndex('protection_requested_idx').on('protection_requests').columns(['agency_id', 'requested_on']).execute();
  await db.schema.createIndex('protection_decided_idx').on('protection_requests').columns(['agency_id', 'decided_on']).execute();
  await db.schema.createIndex('protection_case_idx').on('protection_requests').column('case_id').execute();

  await db.schema
    .createTable('protection_shares')
    .addColumn('request_id', 'uuid', (c) => c.notNull().references('protection_requests.id').onDelete('cascade'))
    .addColumn('custodian_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('wrapped', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('protection_shares_pk', ['request_id', 'custodian_id'])
    .execute();

  await db.schema
    .createTable('legal_holds')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('cases.id'))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('placed_by', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('placed_on', 'date', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['legal_holds', 'protection_shares', 'protection_requests', 'agency_holidays', 'case_events']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  for (const i of ['cases_due_idx', 'cases_received_idx', 'cases_accepted_idx', 'cases_closed_idx', 'cases_parent_idx']) {
    await db.schema.dropIndex(i).ifExists().execute();
  }
  await db.schema
    .alterTable('cases')
    .dropColumn('due_on').dropColumn('clock_phase').dropColumn('clock_paused').dropColumn('accepted_on')
    .dropColumn('finished_on').dropColumn('closed_on').dropColumn('finding').dropColumn('resolved_late').dropColumn('purged_on')
    .execute();
}
