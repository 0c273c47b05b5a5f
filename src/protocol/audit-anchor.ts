import type { Backend } from './backend.js';
import { concat, uint64BE, uuidBytes } from './bytes.js';
import { inputInvalid } from './errors.js';
import { signDetached, verifyDetached } from './signing.js';

// An audit anchor: the head of an agency's chain, signed by the auditor who verified
// it and kept by them, outside the database. A later verification that no longer finds
// the anchored row with the anchored hash proves truncation or rewriting, even when the
// whole chain was recomputed (docs/PROTOCOL.md, "Audit chain").

export interface AuditAnchor {
  agencyId: string;
  /** The anchored row's seq, decimal. */
  seq: string;
  /** The anchored row's hash (32 bytes). */
  hash: Uint8Array;
  /** The auditor's staff id. */
  signer: string;
  signature: Uint8Array;
}

/**
 * The signed bytes (kind 'audit-anchor'): agency id (16) || uint64 BE seq || hash (32).
 * A seq is written as the chain writes it, in decimal without leading zeros, and below
 * 10^15 so that it is exact as a JavaScript number: "007" would sign the bytes of "7"
 * yet never match the row "7", so it is refused rather than read two ways.
 */
export function auditAnchorBytes(agencyId: string, seq: string, hash: Uint8Array): Uint8Array {
  if (!/^[1-9]\d{0,14}$/.test(seq) || hash.length !== 32) throw inputInvalid();
  return concat(uuidBytes(agencyId), uint64BE(Number(seq)), hash);
}

export function signAuditAnchor(
  be: Backend, head: { agencyId: string; seq: string; hash: Uint8Array }, signer: string, signSecretKey: Uint8Array,
): AuditAnchor {
  const signature = signDetached(be, 'audit-anchor', auditAnchorBytes(head.agencyId, head.seq, head.hash), signSecretKey);
  return { agencyId: head.agencyId, seq: head.seq, hash: head.hash, signer, signature };
}

/** True when one of the signer's keys (from the agency's verified bundles) signed this anchor. */
export function verifyAuditAnchor(be: Backend, anchor: AuditAnchor, signerKeys: Uint8Array[]): boolean {
  if (anchor.signature.length !== 64) return false;
  let bytes: Uint8Array;
  try {
    bytes = auditAnchorBytes(anchor.agencyId, anchor.seq, anchor.hash);
  } catch {
    return false;
  }
  return signerKeys.some((key) => key.length === 32 && verifyDetached(be, 'audit-anchor', anchor.signature, bytes, key));
}
