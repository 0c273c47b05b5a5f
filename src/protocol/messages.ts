import type { Backend } from './backend.js';
import { uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { DIRECTION_BYTE, LABEL } from './labels.js';
import { MESSAGE_BUCKETS, isBucket, pad, unpad } from './padding.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, aeadOpen, aeadSeal, caseAd, kdf } from './primitives.js';
import type { CaseContext, Direction } from './types.js';

/**
 * AD = message label || 0x00 || version || agencyId || caseId || messageId || direction:
 * a message cannot be moved to another case, renumbered, or replayed as if it
 * had travelled the other way.
 */
function messageAd(ctx: CaseContext, messageId: string, direction: Direction): Uint8Array {
  const directionByte = DIRECTION_BYTE[direction];
  if (directionByte === undefined) throw inputInvalid();
  return caseAd(LABEL.message, ctx, uuidBytes(messageId), Uint8Array.of(directionByte));
}

/** nonce(24) || XChaCha20-Poly1305(message key, padded plaintext, AD) */
export function sealMessage(
  be: Backend,
  ctx: CaseContext,
  contentKey: Uint8Array,
  m: { messageId: string; direction: Direction; plaintext: Uint8Array },
): Uint8Array {
  if (contentKey.length !== KEY_BYTES) throw inputInvalid();
  const messageKey = kdf(be, contentKey, LABEL.message);
  const sealed = aeadSeal(be, messageKey, messageAd(ctx, m.messageId, m.direction), pad(m.plaintext, MESSAGE_BUCKETS));
  messageKey.fill(0);
  return sealed;
}

export function openMessage(
  be: Backend,
  ctx: CaseContext,
  contentKey: Uint8Array,
  m: { messageId: string; direction: Direction; ciphertext: Uint8Array },
): Uint8Array {
  const paddedLength = m.ciphertext.length - NONCE_BYTES - TAG_BYTES;
  if (paddedLength < 0 || !isBucket(paddedLength, MESSAGE_BUCKETS)) throw openFailed();
  if (contentKey.length !== KEY_BYTES) throw openFailed();
  const messageKey = kdf(be, contentKey, LABEL.message);
  try {
    return unpad(aeadOpen(be, messageKey, messageAd(ctx, m.messageId, m.direction), m.ciphertext));
  } finally {
    messageKey.fill(0);
  }
}
