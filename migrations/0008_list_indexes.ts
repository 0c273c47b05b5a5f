import { type Kysely, sql } from 'kysely';

// What keeps a staff case list at a few milliseconds with 100,000 cases, and its audit
// entry to one round trip.
//
// The granted view (cases holding a key for the viewer, from any agency) has no agency
// to lead an index with: walking cases newest first on (received_on, id) and probing
// case_keys per row lets a list stop after one page when most cases are granted, where
// a hash join over every grant and a sort cost 100 ms. The planner still starts from
// case_keys_staff_idx for a viewer with few grants.
//
// audit_append() does what src/server/db/audit.ts did in five statements inside a
// transaction: take the chain's lock, read its head, draw the seq, hash, insert. Run as
// one statement, the lock is held for the insert and the commit only, not across round
// trips to a busy server process. Each statement of a PL/pgSQL function takes a fresh
// snapshot, so the head read after the lock sees the row of whoever held it before.
// The hash is the one in src/client/staff-audit.ts (auditRowHash):
//   SHA-256(label || 0x00 || prev_hash || canonical JSON [seq, at, agency, staff, action, case, detail])
// The caller passes the label and the canonical JSON after `at` (`tail`: from the agency
// on, closing bracket included); only seq and prev_hash are known here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cases_received_id_idx').on('cases').columns(['received_on', 'id']).execute();
  await sql`
    create function audit_append(
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
        sha256(convert_to(p_label, 'UTF8') || '\\x00'::bytea || v_prev
               || convert_to('["' || v_seq::text || '","' || p_at || '",' || p_tail, 'UTF8'))
      );
      return v_seq;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists audit_append(uuid, uuid, text, uuid, jsonb, text, text, text)`.execute(db);
  await db.schema.dropIndex('cases_received_id_idx').ifExists().execute();
}
