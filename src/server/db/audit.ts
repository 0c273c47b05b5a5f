import { sql } from 'kysely';
import { canonicalJson, type ChainedAuditRow } from '../../protocol/audit-chain.js';
import { signedEntryJson, type SignedEntry } from '../../protocol/audit-signed.js';
import { LABEL } from '../../protocol/labels.js';
import type { Database } from './connect.js';

// The hash-chained audit log (migrations/0001_core.ts makes it append-only; the row
// hash is src/protocol/audit-chain.ts).
// Each agency has its own chain. Appends to one chain are serialised with a
// transaction-scoped advisory lock on that chain (taken by audit_append in the
// database), so two instances can never link two rows to the same predecessor, while
// other agencies' staff never wait on it.

export interface AuditEntry {
  agencyId: string | null;
  staffId: string | null;
  action: string;
  caseId?: string | null;
  /** Metadata only: ids, codes, counts. Never content, never a secret. */
  detail?: Record<string, unknown>;
  /**
   * The staff member's signature over the action, verified by the route before the
   * action was taken; stored as detail.signed so the row hash covers it. Absent: the
   * server wrote the entry alone (src/protocol/audit-signed.ts lists the actions that
   * must carry one).
   */
  signed?: SignedEntry;
}

/**
 * Appends one row and returns its seq. Call it through audited() (./audited.ts), which
 * runs it in the transaction of the action it records. One statement, audit_append()
 * (sql/audit_append.sql): it takes the chain's lock, links to the chain's head and
 * hashes in the database, so the lock is held for the insert and its commit, not
 * across round trips. Inside the caller's transaction when given one, where the lock
 * lasts until that transaction ends.
 */
export async function appendAudit(db: Database, entry: AuditEntry): Promise<string> {
  const at = new Date().toISOString();
  // Round-trip through JSON so the hash covers exactly what jsonb will hand back.
  const withSignature = entry.signed ? { ...entry.detail, signed: signedEntryJson(entry.signed) } : entry.detail ?? {};
  const detail = JSON.parse(JSON.stringify(withSignature)) as unknown;
  const caseId = entry.caseId ?? null;
  // auditRowHash's canonical JSON without its first two members (seq and at), which
  // the database fills in: `[` + seq + `,` + at + `,` + tail.
  const tail = canonicalJson([entry.agencyId, entry.staffId, entry.action, caseId, detail]).slice(1);
  const res = await sql<{ seq: string }>`
    select audit_append(${entry.agencyId}::uuid, ${entry.staffId}::uuid, ${entry.action}::text, ${caseId}::uuid,
                        ${JSON.stringify(detail)}::jsonb, ${at}::text, ${tail}::text, ${LABEL.auditRow}::text)::text as seq`.execute(db);
  return res.rows[0]!.seq;
}

export interface AuditPageQuery {
  /** null = every chain (operators); otherwise one agency's chain. */
  agencyId: string | null | 'all';
  afterSeq?: string | undefined;
  limit: number;
  /** Only these rows (an auditor's filters); the chain is verified unfiltered. */
  filter?: AuditFilter;
}

export interface AuditFilter {
  staffId?: string | undefined;
  caseId?: string | undefined;
  action?: string | undefined;
  /** Days 'YYYY-MM-DD', UTC like `at`, both included. */
  since?: string | undefined;
  until?: string | undefined;
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

function scoped(db: Database, agencyId: string | null | 'all', f: AuditFilter = {}) {
  let query = db.selectFrom('audit_log');
  if (agencyId !== 'all') query = query.where(sql<boolean>`agency_id is not distinct from ${agencyId}`);
  if (f.staffId) query = query.where('staff_id', '=', f.staffId);
  if (f.caseId) query = query.where('case_id', '=', f.caseId);
  if (f.action) query = query.where('action', '=', f.action);
  if (f.since) query = query.where('at', '>=', new Date(`${f.since}T00:00:00.000Z`));
  // Up to the end of `until`: before the next day's midnight.
  if (f.until) query = query.where('at', '<', new Date(Date.parse(`${f.until}T00:00:00.000Z`) + 86_400_000));
  return query;
}

/** A page of the log in seq order (keyset paging on the primary key). */
export async function listAudit(db: Database, q: AuditPageQuery): Promise<ChainedAuditRow[]> {
  let query = scoped(db, q.agencyId, q.filter).selectAll().orderBy('seq', 'asc').limit(q.limit);
  if (q.afterSeq) query = query.where('seq', '>', q.afterSeq as never);
  const rows = await query.execute();
  return rows.map(toChained);
}

/** How many rows a filtered listing holds (its first page says, for paging and progress). */
export async function countAudit(db: Database, agencyId: string | null, filter: AuditFilter): Promise<number> {
  const { count } = await scoped(db, agencyId, filter).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(count);
}
