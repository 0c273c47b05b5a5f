import type { Backend } from './backend.js';
import { uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { LABEL, WRAP_KIND } from './labels.js';
import { MESSAGE_BUCKETS, isBucket, pad, unpad } from './padding.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, aeadOpen, aeadSeal, caseAd, kdf } from './primitives.js';
import type { CaseContext, KeyPair } from './types.js';
import { unwrapKey, wrapKey } from './wrap.js';

// The reason a staff member gives for asking to open a sealed identity (or protection
// details), and a custodian's reason for refusing, are sealed under the request's own
// fresh key, wrapped to the requester and every custodian (PROTOCOL.md §8.3,
// identity-request). Its own wrap kind and label keep it apart from a case's content
// key and messages: a request key is never accepted as a content key, a reason never
// as a message to the denouncer, and the other way round.

/** The request key wrapped (kind 0x04) to one reader's box key. */
export function wrapRequestKey(be: Backend, ctx: CaseContext, requestKey: Uint8Array, recipientBoxPublicKey: Uint8Array): Uint8Array {
  if (requestKey.length !== KEY_BYTES) throw inputInvalid();
  return wrapKey(be, WRAP_KIND.requestKey, ctx, requestKey, recipientBoxPublicKey);
}

export function unwrapRequestKey(be: Backend, ctx: CaseContext, wrapped: Uint8Array, keyPair: KeyPair): Uint8Array {
  return unwrapKey(be, WRAP_KIND.requestKey, ctx, wrapped, keyPair, KEY_BYTES);
}

/**
 * nonce(24) || AEAD(KDF(requestKey, label), pad(reason), CASE_AD(label, reasonId(16))).
 * reasonId is the request's id for the request's reason, the custodian's staff id for a refusal.
 */
export function sealRequestReason(be: Backend, ctx: CaseContext, requestKey: Uint8Array, reasonId: string, reason: Uint8Array): Uint8Array {
  if (requestKey.length !== KEY_BYTES) throw inputInvalid();
  const key = kdf(be, requestKey, LABEL.requestReason);
  const sealed = aeadSeal(be, key, caseAd(LABEL.requestReason, ctx, uuidBytes(reasonId)), pad(reason, MESSAGE_BUCKETS));
  key.fill(0);
  return sealed;
}

export function openRequestReason(be: Backend, ctx: CaseContext, requestKey: Uint8Array, reasonId: string, sealed: Uint8Array): Uint8Array {
  const paddedLength = sealed.length - NONCE_BYTES - TAG_BYTES;
  if (paddedLength < 0 || !isBucket(paddedLength, MESSAGE_BUCKETS) || requestKey.length !== KEY_BYTES) throw openFailed();
  const key = kdf(be, requestKey, LABEL.requestReason);
  try {
    return unpad(aeadOpen(be, key, caseAd(LABEL.requestReason, ctx, uuidBytes(reasonId)), sealed));
  } finally {
    key.fill(0);
  }
}
