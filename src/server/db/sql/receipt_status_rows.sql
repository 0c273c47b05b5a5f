-- The status look-up by receipt: the case whose verifier matches, its agency's name and
-- deadline rules, and its public timeline. Purged cases have no verifier, so a purged
-- case and an unknown receipt are the same empty answer.
--
-- A plain SQL function, stable, with one select: the planner inlines it into the
-- caller's statement, so calling it costs what running the query costs. PostgreSQL
-- calls it as a named prepared statement (src/server/db/prepared.ts) and keeps that
-- plan per connection; receipt_status() wraps it for the embedded database.
create or replace function receipt_status_rows(p_verifier bytea)
returns table (
  id uuid, agency_id uuid, public_number text, status text, kind text, received_on date,
  has_identity boolean, due_on date, slug text, name text, profile text, calendar_version integer,
  timeline json
) language sql stable as $$
  select c.id, c.agency_id, c.public_number, c.status, c.kind, c.received_on,
         c.has_identity, c.due_on, a.slug, a.name, a.profile, a.calendar_version,
         coalesce((
           select json_agg(json_build_object('on', e.on_day, 'event', e.action, 'status', e.to_state,
             'deadline', e.due_on, 'noticeMessageId', e.notice_message_id) order by e.seq)
           from case_events e where e.case_id = c.id), '[]'::json)
  from cases c join agencies a on a.id = c.agency_id
  where c.verifier = p_verifier
$$
