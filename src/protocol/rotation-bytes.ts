import type { Backend } from './backend.js';
import { concat, uuidBytes } from './bytes.js';
import { inputInvalid } from './errors.js';
import { PROTOCOL_VERSION } from './labels.js';

// The bytes of a staff key rotation (PROTOCOL.md §7.1, §8.3.11, §8.3.12), beside the other
// layouts of signing-bytes.ts (whose signedNames reads them back for the audit chain).
// The statement names both key pairs, so the old key vouches for the new one and the
// new key proves it is held; each re-sealed key is bound to its origin, so a grant's
// signature still names the key it covered after the key was sealed again.

const VERSION = Uint8Array.of(PROTOCOL_VERSION);
const digest = (be: Backend, bytes: Uint8Array) => be.blake2b(32, bytes);

/** A staff member's key rotation (§7.1): the same bytes are signed by the old and the new signing key. */
export interface SignedRotation {
  agencyId: string;
  staffId: string;
  old: { signPublicKey: Uint8Array; boxPublicKey: Uint8Array };
  next: { signPublicKey: Uint8Array; boxPublicKey: Uint8Array };
}

/** V || agencyId(16) || staffId(16) || oldSign(32) || oldBox(32) || newSign(32) || newBox(32) */
export function rotationSigningBytes(r: SignedRotation): Uint8Array {
  const keys = [r.old.signPublicKey, r.old.boxPublicKey, r.next.signPublicKey, r.next.boxPublicKey];
  if (keys.some((k) => k.length !== 32)) throw inputInvalid();
  return concat(VERSION, uuidBytes(r.agencyId), uuidBytes(r.staffId), ...keys);
}

/** A key a rotating member re-sealed to their new box key (§8.3.12). */
export interface SignedRekey {
  /** The wrap kind (§3): 0x01 content key, 0x03 identity share. */
  wrapKind: number;
  /** The case, or the protection request whose details the share opens (§6.1). */
  subjectId: string;
  staffId: string;
  /** H(32, …) of the wrapped key the original grant signed (§8.3.2), or of the key re-sealed. */
  originDigest: Uint8Array;
  wrapped: Uint8Array;
}

/** V || wrapKind(1) || subjectId(16) || staffId(16) || originDigest(32) || H(32, wrapped) */
export function rekeySigningBytes(k: SignedRekey, be: Backend): Uint8Array {
  if (k.originDigest.length !== 32 || k.wrapKind < 0 || k.wrapKind > 0xff) throw inputInvalid();
  return concat(VERSION, Uint8Array.of(k.wrapKind), uuidBytes(k.subjectId), uuidBytes(k.staffId), k.originDigest, digest(be, k.wrapped));
}

/** H(32, wrapped): what a grant signature binds, kept as a re-sealed key's origin. */
export function wrappedDigest(be: Backend, wrapped: Uint8Array): Uint8Array {
  return digest(be, wrapped);
}
