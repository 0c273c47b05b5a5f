-- receipt_status_rows() for the embedded database. PGlite cannot reuse the plan of a
-- statement with parameters, so there the busiest anonymous read was planned on every
-- look-up, and planning it cost more than running it. A PL/pgSQL function keeps the
-- plan of its query for the session: the caller's statement is only a function scan.
-- On PostgreSQL that scan and its tuplestore would add about a third to the look-up's
-- database CPU (measured with pgbench), so PostgreSQL calls receipt_status_rows().
-- The columns are receipt_status_rows()'s.
create or replace function receipt_status(p_verifier bytea)
returns table (
  id uuid, agency_id uuid, public_number text, status text, kind text, received_on date,
  has_identity boolean, due_on date, slug text, name text, profile text, calendar_version integer,
  timeline json
) language plpgsql stable as $$
begin
  return query select * from receipt_status_rows(p_verifier);
end $$
