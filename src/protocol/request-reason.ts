import type { Backend } from './backend.js';
import { uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { LABEL, WRAP_KIND } from './labels.js';
import { MESSAGE_BUCKETS, isBucket, pad, unpad } from './padding.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, aeadOpen, aeadSeal, caseAd, kdf } from './primitives.js';
import type { CaseContext, ReaderKeys, WrapRecipient } from './types.js';
import { unwrapEither, wrapFor } from './wrap-v2.js';

// The reason a staff member gives for asking to open a sealed identity (or protection
// details), and a custodian's reason for refusing, are sealed under the request's own
// fresh key, wrapped to the requester and every custodian (PROTOCOL.md §8.3,
// identity-request). Its own wrap kind and label keep it apart from a case's content
// key and messages: a request key is never accepted as a content key, a reason never
// as a message to the denouncer, and the other way round.

/** The request key wrapped (kind 0x04) to one reader: v2 when given their X-Wing key (§16.2). */
export function wrapRequestKey(be: Backend, ctx: CaseContext, requestKey: Uint8Array, recipient: Uint8Array | WrapRecipient): Uint8Array {
  if (requestKey.length !== KEY_BYTES) throw inputInvalid();
  return wrapFor(be, WRAP_KIND.requestKey, ctx, requestKey, recipient);
}

export function unwrapRequestKey(be: Backend, ctx: CaseContext, wrapped: Uint8Array, keys: ReaderKeys): Uint8Array {
  return unwrapEither(be, WRAP_KIND.requestKey, ctx, wrapped, keys, KEY_BYTES);
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
