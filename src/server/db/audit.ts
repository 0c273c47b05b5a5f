import { sql } from 'kysely';
import { AUDIT_GENESIS, auditRowHash, type ChainedAuditRow } from '../../client/staff-audit.js';
import type { Database } from './connect.js';

// Appends to the hash-chained audit log (migrations/0001_core.ts makes it append-only).
// Each agency has its own chain. Appends to one chain are serialised with a
// transaction-scoped advisory lock on that chain, so two instances can never link two
// rows to the same predecessor, while other agencies' staff never wait on it.

export interface AuditEntry {
  agencyId: string | null;
  staffId: string | null;
  action: string;
  caseId?: string | null;
  /** Metadata only: ids, codes, counts. Never content, never a secret. */
  detail?: Record<string, unknown>;
}

async function appendLocked(db: Database, entry: AuditEntry): Promise<string> {
  await sql`select pg_advisory_xact_lock(hashtext(${`tipline/audit/${entry.agencyId ?? 'operators'}`}))`.execute(db);
  const last = await db
    .selectFrom('audit_log')
    .select('hash')
    .where((eb) => (entry.agencyId === null ? eb('agency_id', 'is', null) : eb('agency_id', '=', entry.agencyId)))
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const next = await sql<{ seq: string }>`select nextval(pg_get_serial_sequence('audit_log', 'seq'))::text as seq`.execute(db);
  const seq = next.rows[0]!.seq;
  const at = new Date();
  const prevHash = last ? new Uint8Array(last.hash) : AUDIT_GENESIS;
  // Round-trip through JSON so the hash covers exactly what jsonb will hand back.
  const detail = JSON.parse(JSON.stringify(entry.detail ?? {})) as unknown;
  const hash = auditRowHash(prevHash, {
    seq,
    at: at.toISOString(),
    agencyId: entry.agencyId,
    staffId: entry.staffId,
    action: entry.action,
    caseId: entry.caseId ?? null,
    detail,
  });
  await db
    .insertInto('audit_log')
    .values({
      seq: seq as never,
      at,
      agency_id: entry.agencyId,
      staff_id: entry.staffId,
      action: entry.action,
      case_id: entry.caseId ?? null,
      detail: JSON.stringify(detail),
      prev_hash: prevHash,
      hash,
    })
    .execute();
  return seq;
}

/** Appends one row; joins the caller's transaction when given one. Returns the row's seq. */
export async function appendAudit(db: Database, entry: AuditEntry): Promise<string> {
  if (db.isTransaction) return appendLocked(db, entry);
  return db.transaction().execute((trx) => appendLocked(trx, entry));
}

export interface AuditPageQuery {
  /** null = every chain (operators); otherwise one agency's chain. */
  agencyId: string | null | 'all';
  afterSeq?: string | undefined;
  limit: number;
}

function toChained(r: {
  seq: string; at: Date; agency_id: string | null; staff_id: string | null; action: string;
  case_id: string | null; detail: unknown; prev_hash: Uint8Array; hash: Uint8Array;
}): ChainedAuditRow {
  return {
    seq: String(r.seq),
    at: new Date(r.at).toISOString(),
    agencyId: r.agency_id,
    staffId: r.staff_id,
    action: r.action,
    caseId: r.case_id,
    detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail,
    prevHash: new Uint8Array(r.prev_hash),
    hash: new Uint8Array(r.hash),
  };
}

/** A page of the log in seq order (keyset paging on the primary key). */
export async function listAudit(db: Database, q: AuditPageQuery): Promise<ChainedAuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'asc').limit(q.limit);
  if (q.agencyId !== 'all') query = query.where(sql<boolean>`agency_id is not distinct from ${q.agencyId}`);
  if (q.afterSeq) query = query.where('seq', '>', q.afterSeq as never);
  const rows = await query.execute();
  return rows.map(toChained);
}
