import type { Backend } from './backend.js';
import { concat, uint64BE, uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { LABEL } from './labels.js';
import { KEY_BYTES, TAG_BYTES, caseAd } from './primitives.js';
import type { CaseContext } from './types.js';

/** Plaintext bytes per chunk; a ciphertext chunk is 16 bytes longer. */
export const ATTACHMENT_CHUNK_SIZE = 65536 as const;

/**
 * STREAM nonce: 15 zero bytes || chunk index (uint64 BE) || last flag. The
 * index stops reordering and the flag stops truncation: a stream cut after a
 * non-last chunk never authenticates as complete.
 */
function chunkNonce(index: number, last: boolean): Uint8Array {
  return concat(new Uint8Array(15), uint64BE(index), Uint8Array.of(last ? 0x01 : 0x00));
}

function attachmentAd(ctx: CaseContext, attachmentId: string): Uint8Array {
  return caseAd(LABEL.attachment, ctx, uuidBytes(attachmentId));
}

/** Only the last chunk may be short, and it is empty only when it is the whole (empty) file. */
function plainLengthAllowed(length: number, index: number, last: boolean): boolean {
  if (!last) return length === ATTACHMENT_CHUNK_SIZE;
  return length <= ATTACHMENT_CHUNK_SIZE && (length > 0 || index === 0);
}

/**
 * Seals a file chunk by chunk under its own key. `fileKey` MUST be fresh for
 * every file (chunk nonces are fixed by position); passing it is only for
 * resuming the same file.
 */
export function attachmentSealer(
  be: Backend,
  ctx: CaseContext,
  attachmentId: string,
  fileKey?: Uint8Array,
): { fileKey: Uint8Array; sealChunk(plain: Uint8Array, index: number, last: boolean): Uint8Array } {
  const key = fileKey ?? be.randomBytes(KEY_BYTES);
  if (key.length !== KEY_BYTES) throw inputInvalid();
  const ad = attachmentAd(ctx, attachmentId);
  return {
    fileKey: key,
    sealChunk(plain, index, last) {
      if (!plainLengthAllowed(plain.length, index, last)) throw inputInvalid();
      return be.aeadEncrypt(plain, ad, chunkNonce(index, last), key);
    },
  };
}

export function attachmentOpener(
  be: Backend,
  ctx: CaseContext,
  attachmentId: string,
  fileKey: Uint8Array,
): { openChunk(ciphertext: Uint8Array, index: number, last: boolean): Uint8Array } {
  const ad = attachmentAd(ctx, attachmentId);
  return {
    openChunk(ciphertext, index, last) {
      if (fileKey.length !== KEY_BYTES || !Number.isSafeInteger(index) || index < 0) throw openFailed();
      if (!plainLengthAllowed(ciphertext.length - TAG_BYTES, index, last)) throw openFailed();
      const plain = be.aeadDecrypt(ciphertext, ad, chunkNonce(index, last), fileKey);
      if (plain === null) throw openFailed();
      return plain;
    },
  };
}
