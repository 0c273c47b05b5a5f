import type { Backend } from './backend.js';
import { concat, uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { LABEL_V2, PROTOCOL_VERSION_2, WRAP_KIND } from './labels.js';
import { NONCE_BYTES, TAG_BYTES, XWING } from './primitives.js';
import type { CaseContext, KeyPair, ReaderKeys, StaffKeys, WrapRecipient } from './types.js';
import { unwrapKey, wrapKey } from './wrap.js';

/** version(1) || kind(1), in clear: a reader refuses another before decapsulating. */
const PREFIX_BYTES = 2;
/** What a v2 wrapped key adds to its material: prefix, X-Wing ciphertext, Poly1305 tag. */
export const WRAP_V2_OVERHEAD = PREFIX_BYTES + XWING.ciphertext + TAG_BYTES;

/** Material length of each wrap kind (PROTOCOL.md §3, the same in v1 and v2). */
export const WRAP_MATERIAL_BYTES: Record<number, number> = {
  [WRAP_KIND.contentKey]: 32,
  [WRAP_KIND.identityKey]: 32,
  [WRAP_KIND.identityShare]: 33,
  [WRAP_KIND.requestKey]: 32,
  [WRAP_KIND.reshareSubShare]: 34,
};

const label = new TextEncoder().encode(LABEL_V2.wrap);
const keyLabel = new TextEncoder().encode(LABEL_V2.wrapKey);
// The wrap key encrypts exactly one message (it comes from a fresh encapsulation), so a fixed nonce is safe.
const ZERO_NONCE = new Uint8Array(NONCE_BYTES);

/** Length a reader MUST see for a v2 wrap of `kind` before doing anything else. */
export function wrappedV2Length(kind: number): number {
  const material = WRAP_MATERIAL_BYTES[kind];
  if (material === undefined) throw inputInvalid();
  return WRAP_V2_OVERHEAD + material;
}

/** AD = "tipline/v2/wrap" || 0x00 || 0x02 || kind || agencyId(16) || caseId(16). */
function wrapAd(kind: number, ctx: CaseContext): Uint8Array {
  return concat(label, Uint8Array.of(0x00, PROTOCOL_VERSION_2, kind), uuidBytes(ctx.agencyId), uuidBytes(ctx.caseId));
}

/**
 * wrap_key = BLAKE2b-256 keyed with the X-Wing shared secret over the label, the whole
 * X-Wing ciphertext and the recipient's public key: the key is bound to this very
 * encapsulation and recipient, not only through X-Wing's own combiner.
 */
function wrapKeyOf(be: Backend, sharedSecret: Uint8Array, ciphertext: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return be.blake2b(32, concat(keyLabel, Uint8Array.of(0x00), ciphertext, recipientPublicKey), sharedSecret);
}

/**
 * Seals key material to one X-Wing public key (§16.2). The kind, agency and case
 * travel in the associated data, so a wrapped key cannot be replayed on another case,
 * agency, version or as another kind of key.
 */
export function wrapKeyV2(be: Backend, kind: number, ctx: CaseContext, material: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  if (material.length !== WRAP_MATERIAL_BYTES[kind] || recipientPublicKey.length !== XWING.publicKey) throw inputInvalid();
  const ad = wrapAd(kind, ctx);
  const seed = be.randomBytes(XWING.encapsulationSeed);
  try {
    const { ciphertext, sharedSecret } = be.xwingEncapsulate(recipientPublicKey, seed);
    const key = wrapKeyOf(be, sharedSecret, ciphertext, recipientPublicKey);
    sharedSecret.fill(0);
    const sealed = be.aeadEncrypt(material, ad, ZERO_NONCE, key);
    key.fill(0);
    return concat(Uint8Array.of(PROTOCOL_VERSION_2, kind), ciphertext, sealed);
  } finally {
    seed.fill(0);
  }
}

/** Opens a v2 wrapped key; every failure, a wrong length first of all, is open_failed. */
export function unwrapKeyV2(be: Backend, kind: number, ctx: CaseContext, wrapped: Uint8Array, keyPair: KeyPair): Uint8Array {
  const material = WRAP_MATERIAL_BYTES[kind];
  if (material === undefined || wrapped.length !== WRAP_V2_OVERHEAD + material) throw openFailed();
  if (keyPair.publicKey.length !== XWING.publicKey || keyPair.secretKey.length !== XWING.secretKey) throw openFailed();
  if (wrapped[0] !== PROTOCOL_VERSION_2 || wrapped[1] !== kind) throw openFailed();
  const ciphertext = wrapped.subarray(PREFIX_BYTES, PREFIX_BYTES + XWING.ciphertext);
  const sharedSecret = be.xwingDecapsulate(ciphertext, keyPair.secretKey);
  if (sharedSecret === null) throw openFailed();
  const key = wrapKeyOf(be, sharedSecret, ciphertext, keyPair.publicKey);
  sharedSecret.fill(0);
  const opened = be.aeadDecrypt(wrapped.subarray(PREFIX_BYTES + XWING.ciphertext), wrapAd(kind, ctx), ZERO_NONCE, key);
  key.fill(0);
  if (opened === null) throw openFailed();
  return opened;
}

/** A recipient given as a bare X25519 key is a version-1 recipient. */
export function asRecipient(recipient: Uint8Array | WrapRecipient): WrapRecipient {
  return recipient instanceof Uint8Array ? { boxPublicKey: recipient } : recipient;
}

/** Wraps under version 2 to a recipient with an X-Wing key, under version 1 otherwise (§16.5). */
export function wrapFor(be: Backend, kind: number, ctx: CaseContext, material: Uint8Array, to: Uint8Array | WrapRecipient): Uint8Array {
  const recipient = asRecipient(to);
  return recipient.xwingPublicKey === undefined
    ? wrapKey(be, kind, ctx, material, recipient.boxPublicKey)
    : wrapKeyV2(be, kind, ctx, material, recipient.xwingPublicKey);
}

/**
 * Opens a wrapped key of either version, chosen by its length alone (§16.2): never one
 * version after the other. A version-2 wrap for a reader without an X-Wing pair is open_failed.
 */
export function unwrapEither(be: Backend, kind: number, ctx: CaseContext, wrapped: Uint8Array, keys: ReaderKeys, materialLength: number): Uint8Array {
  if (wrapped.length !== WRAP_V2_OVERHEAD + materialLength) return unwrapKey(be, kind, ctx, wrapped, keys, materialLength);
  if (keys.xwing === undefined) throw openFailed();
  return unwrapKeyV2(be, kind, ctx, wrapped, keys.xwing);
}

/** A staff member's keys as a reader of wrapped keys: the X-Wing pair too, once they have one. */
export function readerKeysOf(keys: StaffKeys): ReaderKeys {
  const xwing = keys.xwingPublicKey && keys.xwingSecretKey ? { publicKey: keys.xwingPublicKey, secretKey: keys.xwingSecretKey } : undefined;
  return { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey, ...(xwing ? { xwing } : {}) };
}

/** A fresh X-Wing key pair: the secret key is a 32-byte seed (§16.1). */
export function generateXWingKeyPair(be: Backend): KeyPair {
  const seed = be.randomBytes(XWING.seed);
  const pair = be.xwingSeedKeyPair(seed);
  return { publicKey: pair.publicKey, secretKey: seed };
}
