import { sha256 } from '@noble/hashes/sha2.js';
import { concat, constantTimeEqual, utf8 } from './bytes.js';
import { LABEL } from './labels.js';

// The audit chain's row hash (docs/PROTOCOL.md, "Audit chain"), shared by the server
// (whose database function computes the same bytes) and by every verifier, over the
// API or straight from the database. Each agency has its own chain; rows with no
// agency (operators) form one more.
// hash = SHA-256(label || 0x00 || prev_hash || canonical JSON [seq, at, agency, staff, action, case, detail])

export const AUDIT_GENESIS = new Uint8Array(32);

export interface AuditRow {
  seq: string;
  /** ISO 8601 with milliseconds, UTC. */
  at: string;
  agencyId: string | null;
  staffId: string | null;
  action: string;
  caseId: string | null;
  detail: unknown;
}

export interface ChainedAuditRow extends AuditRow {
  prevHash: Uint8Array;
  hash: Uint8Array;
}

/** JSON with object keys sorted at every depth: what PostgreSQL's jsonb hands back may be reordered. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The exact bytes a row's hash is taken over: label || 0x00 || prev_hash || UTF-8(canonical row). */
export function auditRowBytes(prevHash: Uint8Array, row: AuditRow): Uint8Array {
  const body = canonicalJson([row.seq, row.at, row.agencyId, row.staffId, row.action, row.caseId, row.detail ?? {}]);
  return concat(utf8(LABEL.auditRow), Uint8Array.of(0x00), prevHash, utf8(body));
}

export function auditRowHash(prevHash: Uint8Array, row: AuditRow): Uint8Array {
  return sha256(auditRowBytes(prevHash, row));
}

/** The last verified row of one chain: what an anchor records. */
export interface ChainHead { agencyId: string | null; seq: string; hash: Uint8Array }

/** Links rows, one chain per agency, from the genesis; false for a row that does not follow its predecessor. */
export class AuditChain {
  private readonly heads = new Map<string, ChainHead>();

  link(row: ChainedAuditRow): 'prev_hash_mismatch' | 'hash_mismatch' | null {
    const key = row.agencyId ?? '';
    const expectedPrev = this.heads.get(key)?.hash ?? AUDIT_GENESIS;
    if (!constantTimeEqual(expectedPrev, row.prevHash)) return 'prev_hash_mismatch';
    if (!constantTimeEqual(auditRowHash(row.prevHash, row), row.hash)) return 'hash_mismatch';
    this.heads.set(key, { agencyId: row.agencyId, seq: row.seq, hash: row.hash });
    return null;
  }

  /**
   * Takes a refused row's stored hash as its chain's head, so that the rows after it are
   * checked against what the log holds: each further edit is then named on its own row.
   */
  skip(row: ChainedAuditRow): void {
    this.heads.set(row.agencyId ?? '', { agencyId: row.agencyId, seq: row.seq, hash: row.hash });
  }

  head(agencyId: string | null): ChainHead | null {
    return this.heads.get(agencyId ?? '') ?? null;
  }
}
