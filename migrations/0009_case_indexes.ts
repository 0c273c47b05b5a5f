import { type Kysely, sql } from 'kysely';

// What keeps the periodic report (src/server/db/workflow-reports.ts) to index-only
// scans on 100,000 cases, where it was a sequential scan of every case plus three
// passes over the period's arrivals; and fewer index entries written per new case, the
// cost every submission pays.
//
// Carried over = accepted before the period and not finished before it. Counted as
// "still running" (a small partial index: open, accepted cases) plus "finished inside or
// after the period" (a partial index on finished_on). Neither holds a row for a case
// that has only just arrived, so submissions write no more index entries than before.
// The arrivals index carries kind and parent so received, retaliation and follow-ups
// are one index-only pass, and ends in id so it also pages the staff list (it replaces
// cases_agency_received_idx); the event index carries what the figures group by.
// (agency, status, id) is covered by (agency, status, received_on, id); closing day and
// parent are looked up only when set, so their indexes skip the rows where they are not.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index cases_running_accepted_idx on cases (agency_id, accepted_on)
            where finished_on is null and accepted_on is not null`.execute(db);
  await sql`create index cases_finished_idx on cases (agency_id, finished_on) include (accepted_on)
            where finished_on is not null`.execute(db);
  await db.schema.dropIndex('cases_accepted_idx').execute();

  await sql`create index cases_arrivals_idx on cases (agency_id, received_on, id) include (kind, parent_case_id)`.execute(db);
  await db.schema.dropIndex('cases_received_idx').execute();
  await db.schema.dropIndex('cases_agency_received_idx').execute();
  await db.schema.dropIndex('cases_agency_status_idx').execute();
  await sql`create index cases_closed_on_idx on cases (agency_id, closed_on) where closed_on is not null`.execute(db);
  await db.schema.dropIndex('cases_closed_idx').execute();
  await sql`create index cases_parent_set_idx on cases (parent_case_id) where parent_case_id is not null`.execute(db);
  await db.schema.dropIndex('cases_parent_idx').execute();

  await sql`create index case_events_day_idx on case_events (agency_id, on_day) include (action, finding, late)`.execute(db);
  await db.schema.dropIndex('case_events_report_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('case_events_report_idx').on('case_events').columns(['agency_id', 'on_day', 'action']).execute();
  await db.schema.dropIndex('case_events_day_idx').execute();
  await db.schema.createIndex('cases_parent_idx').on('cases').column('parent_case_id').execute();
  await db.schema.dropIndex('cases_parent_set_idx').execute();
  await db.schema.createIndex('cases_closed_idx').on('cases').columns(['agency_id', 'closed_on']).execute();
  await db.schema.dropIndex('cases_closed_on_idx').execute();
  await db.schema.createIndex('cases_agency_status_idx').on('cases').columns(['agency_id', 'status', 'id']).execute();
  await db.schema.createIndex('cases_agency_received_idx').on('cases').columns(['agency_id', 'received_on', 'id']).execute();
  await db.schema.createIndex('cases_received_idx').on('cases').columns(['agency_id', 'received_on']).execute();
  await db.schema.dropIndex('cases_arrivals_idx').execute();
  await db.schema.createIndex('cases_accepted_idx').on('cases').columns(['agency_id', 'accepted_on']).execute();
  await db.schema.dropIndex('cases_finished_idx').execute();
  await db.schema.dropIndex('cases_running_accepted_idx').execute();
}
