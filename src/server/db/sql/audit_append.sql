-- Appends one row to an agency's audit chain (or the operators' chain, agency null) and
-- returns its seq: what src/server/db/audit.ts would otherwise do in five statements
-- inside a transaction (take the chain's lock, read its head, draw the seq, hash, insert).
-- Run as one statement, the lock is held for the insert and the commit only, not across
-- round trips to a busy server process. Each statement of a volatile PL/pgSQL function
-- takes a fresh snapshot, so the head read after the lock sees the row of whoever held
-- it before.
--
-- The hash is the one in src/protocol/audit-chain.ts (auditRowHash):
--   SHA-256(label || 0x00 || prev_hash || canonical JSON [seq, at, agency, staff, action, case, detail])
-- The caller passes the label and the canonical JSON after `at` (p_tail: from the agency
-- on, closing bracket included); only seq and prev_hash are known here.
create or replace function audit_append(
  p_agency uuid, p_staff uuid, p_action text, p_case uuid, p_detail jsonb,
  p_at text, p_tail text, p_label text
) returns bigint language plpgsql volatile as $$
declare
  v_prev bytea;
  v_seq bigint;
begin
  perform pg_advisory_xact_lock(hashtext('tipline/audit/' || coalesce(p_agency::text, 'operators')));
  if p_agency is null then
    select hash into v_prev from audit_log where agency_id is null order by seq desc limit 1;
  else
    select hash into v_prev from audit_log where agency_id = p_agency order by seq desc limit 1;
  end if;
  v_prev := coalesce(v_prev, decode(repeat('00', 32), 'hex'));
  v_seq := nextval(pg_get_serial_sequence('audit_log', 'seq'));
  insert into audit_log (seq, at, agency_id, staff_id, action, case_id, detail, prev_hash, hash)
  values (
    v_seq, p_at::timestamptz, p_agency, p_staff, p_action, p_case, p_detail, v_prev,
    sha256(convert_to(p_label, 'UTF8') || '\x00'::bytea || v_prev
           || convert_to('["' || v_seq::text || '","' || p_at || '",' || p_tail, 'UTF8'))
  );
  return v_seq;
end $$
