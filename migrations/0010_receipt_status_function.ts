import { type Kysely, sql } from 'kysely';

// The status look-up by receipt (src/server/db/cases.ts) as a PL/pgSQL function. The
// busiest anonymous read is a join and a timeline sub-select; planning it cost more than
// running it. PostgreSQL can keep a named prepared statement's plan per connection, but
// PGlite cannot reuse a plan for a query with parameters, so the embedded server planned
// the whole query on every look-up. A PL/pgSQL function keeps the plan of its query for
// the session on both: the caller's statement is only a function scan.
//
// The result is what the query returned, column for column; purged cases have no
// verifier, so a purged case and an unknown receipt are the same empty answer.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function receipt_status(p_verifier bytea)
    returns table (
      id uuid, agency_id uuid, public_number text, status text, kind text, received_on date,
      has_identity boolean, due_on date, slug text, name text, profile text, calendar_version integer,
      timeline json
    ) language plpgsql stable as $$
    #variable_conflict use_column
    begin
      return query
        select c.id, c.agency_id, c.public_number, c.status, c.kind, c.received_on,
               c.has_identity, c.due_on, a.slug, a.name, a.profile, a.calendar_version,
               coalesce((
                 select json_agg(json_build_object('on', e.on_day, 'event', e.action, 'status', e.to_state,
                   'deadline', e.due_on, 'noticeMessageId', e.notice_message_id) order by e.seq)
                 from case_events e where e.case_id = c.id), '[]'::json)
        from cases c join agencies a on a.id = c.agency_id
        where c.verifier = p_verifier;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists receipt_status(bytea)`.execute(db);
}
