import { sha256 } from '@noble/hashes/sha2.js';

// The audit chain's hash, shared by the server (which appends) and by every verifier
// (`tipline audit verify`, over the API or straight from the database). Pure and
// isomorphic so that the verifier does not have to trust the server's code or answer.
//
// Each agency has its own chain (rows with no agency form one more chain), so an
// auditor can verify everything they are allowed to read, and nothing else.
// hash = SHA-256(label || 0x00 || prev_hash || canonical JSON of the row)

export const AUDIT_HASH_LABEL = 'tipline/v1/audit-row';
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

export function auditRowHash(prevHash: Uint8Array, row: AuditRow): Uint8Array {
  const body = canonicalJson([row.seq, row.at, row.agencyId, row.staffId, row.action, row.caseId, row.detail ?? {}]);
  const enc = new TextEncoder();
  const label = enc.encode(AUDIT_HASH_LABEL);
  const bytes = enc.encode(body);
  const input = new Uint8Array(label.length + 1 + prevHash.length + bytes.length);
  input.set(label, 0);
  input.set(prevHash, label.length + 1);
  input.set(bytes, label.length + 1 + prevHash.length);
  return sha256(input);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export interface ChainedAuditRow extends AuditRow {
  prevHash: Uint8Array;
  hash: Uint8Array;
}

export interface ChainBreak {
  seq: string;
  reason: 'prev_hash_mismatch' | 'hash_mismatch';
}

/**
 * Walks rows in seq order, one chain per agency, from the genesis or from `heads`
 * (the last verified hash of each chain, keyed by agency id or '' for none). Reports
 * the first row whose link or content does not match.
 */
export class AuditChainVerifier {
  private readonly heads = new Map<string, Uint8Array>();
  verified = 0;
  firstBreak: ChainBreak | null = null;

  push(row: ChainedAuditRow): boolean {
    if (this.firstBreak) return false;
    const key = row.agencyId ?? '';
    const expectedPrev = this.heads.get(key) ?? AUDIT_GENESIS;
    if (!equalBytes(expectedPrev, row.prevHash)) {
      this.firstBreak = { seq: row.seq, reason: 'prev_hash_mismatch' };
      return false;
    }
    if (!equalBytes(auditRowHash(row.prevHash, row), row.hash)) {
      this.firstBreak = { seq: row.seq, reason: 'hash_mismatch' };
      return false;
    }
    this.heads.set(key, row.hash);
    this.verified++;
    return true;
  }
}
