import type { Backend } from './backend.js';
import { concat, utf8, uuidBytes } from './bytes.js';
import { openFailed } from './errors.js';
import { PROTOCOL_VERSION } from './labels.js';
import type { CaseContext } from './types.js';

export const KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;

/** X-Wing sizes (draft-connolly-cfrg-xwing-kem §Encoding and sizes; libsodium crypto_kem_xwing_*). */
export const XWING = {
  seed: 32,
  secretKey: 32,
  publicKey: 1216,
  ciphertext: 1120,
  sharedSecret: 32,
  /** ML-KEM-768 coins (32) || X25519 ephemeral secret (32), for the derandomised encapsulation. */
  encapsulationSeed: 64,
} as const;

/** KDF(key, label) = BLAKE2b-256 keyed with `key` over the ASCII label. */
export function kdf(be: Backend, key: Uint8Array, label: string): Uint8Array {
  return be.blake2b(32, utf8(label), key);
}

// Labels are a handful of constants (labels.ts), hashed on every receipt look-up and
// proof-of-work check: each is encoded once.
const labelBytes = new Map<string, Uint8Array>();
const encodedLabel = (label: string) => labelBytes.get(label) ?? labelBytes.set(label, utf8(label)).get(label)!;

/** Unkeyed BLAKE2b-256 over label || parts. */
export function labelledHash(be: Backend, label: string, ...parts: Uint8Array[]): Uint8Array {
  return be.blake2b(32, concat(encodedLabel(label), ...parts));
}

/** label || 0x00 || version || agencyId(16) || caseId(16) || extra: binds a ciphertext to its case. */
export function caseAd(label: string, ctx: CaseContext, ...extra: Uint8Array[]): Uint8Array {
  return concat(
    utf8(label),
    Uint8Array.of(0x00, PROTOCOL_VERSION),
    uuidBytes(ctx.agencyId),
    uuidBytes(ctx.caseId),
    ...extra,
  );
}

/** nonce(24) || XChaCha20-Poly1305(plaintext), with a fresh random nonce. */
export function aeadSeal(be: Backend, key: Uint8Array, ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const nonce = be.randomBytes(NONCE_BYTES);
  return concat(nonce, be.aeadEncrypt(plaintext, ad, nonce, key));
}

/** Opens nonce || ciphertext; any failure, length included, is open_failed. */
export function aeadOpen(be: Backend, key: Uint8Array, ad: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw openFailed();
  const plain = be.aeadDecrypt(sealed.subarray(NONCE_BYTES), ad, sealed.subarray(0, NONCE_BYTES), key);
  if (plain === null) throw openFailed();
  return plain;
}
