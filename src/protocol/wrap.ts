import type { Backend } from './backend.js';
import { concat, constantTimeEqual, uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { PROTOCOL_VERSION } from './labels.js';
import { KEY_BYTES } from './primitives.js';
import type { CaseContext, KeyPair } from './types.js';

/** crypto_box_seal overhead: ephemeral public key (32) + Poly1305 tag (16). */
const SEAL_OVERHEAD = 48;
/** kind(1) || version(1) || agencyId(16) || caseId(16) */
const WRAP_HEADER = 34;

/**
 * Seals key material to one X25519 public key. Sealed boxes carry no
 * associated data, so the kind and the case ids travel inside the payload
 * and the opener checks them: a wrapped key cannot be replayed on another
 * case, agency, version or as another kind of key.
 */
export function wrapKey(
  be: Backend,
  kind: number,
  ctx: CaseContext,
  material: Uint8Array,
  recipientPublicKey: Uint8Array,
): Uint8Array {
  if (recipientPublicKey.length !== KEY_BYTES) throw inputInvalid();
  const payload = concat(
    Uint8Array.of(kind, PROTOCOL_VERSION),
    uuidBytes(ctx.agencyId),
    uuidBytes(ctx.caseId),
    material,
  );
  const ephemeralSecretKey = be.randomBytes(KEY_BYTES);
  const sealed = be.boxSeal(payload, recipientPublicKey, ephemeralSecretKey);
  ephemeralSecretKey.fill(0);
  payload.fill(0);
  return sealed;
}

export function unwrapKey(
  be: Backend,
  kind: number,
  ctx: CaseContext,
  wrapped: Uint8Array,
  keyPair: KeyPair,
  materialLength: number,
): Uint8Array {
  if (wrapped.length !== SEAL_OVERHEAD + WRAP_HEADER + materialLength) throw openFailed();
  if (keyPair.publicKey.length !== KEY_BYTES || keyPair.secretKey.length !== KEY_BYTES) throw openFailed();
  const payload = be.boxSealOpen(wrapped, keyPair.publicKey, keyPair.secretKey);
  if (payload === null) throw openFailed();
  const expected = concat(Uint8Array.of(kind, PROTOCOL_VERSION), uuidBytes(ctx.agencyId), uuidBytes(ctx.caseId));
  if (!constantTimeEqual(payload.subarray(0, WRAP_HEADER), expected)) throw openFailed();
  return payload.slice(WRAP_HEADER);
}

/**
 * A key rotation (PROTOCOL.md §7.1): opens `wrapped` with the old key pair, checking it
 * as `unwrapKey` does, and seals the same payload to the new public key. The material
 * never leaves this function, and the binding (kind, agency, subject) is unchanged.
 */
export function rewrapKey(
  be: Backend,
  kind: number,
  ctx: CaseContext,
  wrapped: Uint8Array,
  oldKeyPair: KeyPair,
  newPublicKey: Uint8Array,
  materialLength: number,
): Uint8Array {
  const material = unwrapKey(be, kind, ctx, wrapped, oldKeyPair, materialLength);
  try {
    return wrapKey(be, kind, ctx, material, newPublicKey);
  } finally {
    material.fill(0);
  }
}
