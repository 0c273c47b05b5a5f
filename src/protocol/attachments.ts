import type { Backend } from './backend.js';
import { concat, uint64BE, uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { fixedChunks } from './fixed-chunks.js';
import { LABEL } from './labels.js';
import { padme } from './padding.js';
import { KEY_BYTES, TAG_BYTES, caseAd } from './primitives.js';
import type { CaseContext } from './types.js';

// Attachments (PROTOCOL.md §5): a file followed by ISO/IEC 7816-4 padding to its Padmé
// length is the attachment's stream, cut into 64 KiB chunks and sealed in the STREAM
// construction. The writer and the reader own all of the stream's state: the chunk
// index, which chunk is last, and the padding. Callers only move bytes.

/** Plaintext bytes per chunk; a ciphertext chunk is 16 bytes longer. */
export const ATTACHMENT_CHUNK_SIZE = 65536 as const;
const CIPHERTEXT_CHUNK = ATTACHMENT_CHUNK_SIZE + TAG_BYTES;

/** Length of the padded stream of a file of `fileSize` bytes: Padmé(fileSize + 1). */
export const attachmentStreamLength = (fileSize: number): number => padme(fileSize + 1);

/** Chunks of the padded stream of a file of `fileSize` bytes. */
export const attachmentChunkCount = (fileSize: number): number =>
  Math.ceil(attachmentStreamLength(fileSize) / ATTACHMENT_CHUNK_SIZE);

/** Whether `length` bytes can be a padded stream (what a server may check). */
export const isAttachmentStreamLength = (length: number): boolean =>
  Number.isSafeInteger(length) && length >= 1 && padme(length) === length;

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

export interface AttachmentWriter {
  readonly fileKey: Uint8Array;
  /** Chunks of the padded stream: the same for every file of this size. */
  readonly chunkCount: number;
  /**
   * The ciphertext chunks `from`, `from + 1`, … of `file` (its bytes in pieces of any
   * size). Sealing is deterministic: the same file, key and id give the same bytes, so
   * re-sending a chunk is safe, and only that. A file longer or shorter than declared
   * fails (input_invalid) before the chunk that would differ is sealed.
   */
  seal(file: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, from?: number): AsyncGenerator<Uint8Array>;
}

/**
 * Seals one file of `fileSize` bytes. `fileKey` MUST be fresh for every file (nonces
 * are fixed by position); passing one is only for re-sealing the very same file.
 */
export function attachmentWriter(
  be: Backend, ctx: CaseContext, attachmentId: string, fileSize: number, fileKey?: Uint8Array,
): AttachmentWriter {
  const key = fileKey ?? be.randomBytes(KEY_BYTES);
  if (key.length !== KEY_BYTES || !Number.isSafeInteger(fileSize) || fileSize < 0) throw inputInvalid();
  const ad = attachmentAd(ctx, attachmentId);
  const streamLength = attachmentStreamLength(fileSize);
  const chunkCount = Math.ceil(streamLength / ATTACHMENT_CHUNK_SIZE);
  return {
    fileKey: key,
    chunkCount,
    async *seal(file, from = 0) {
      let index = 0;
      const sealNext = (plain: Uint8Array): Uint8Array | undefined => {
        const i = index++;
        return i < from ? undefined : be.aeadEncrypt(plain, ad, chunkNonce(i, i === chunkCount - 1), key);
      };
      let seen = 0;
      let tail = new Uint8Array(0);
      // Every chunk is sealed before the next is asked for, so one buffer serves.
      for await (const piece of fixedChunks(file, ATTACHMENT_CHUNK_SIZE, { reuse: true })) {
        seen += piece.length;
        if (seen > fileSize) throw inputInvalid();
        // Only the source's end gives a short piece: the padding starts inside it.
        if (piece.length < ATTACHMENT_CHUNK_SIZE) tail = piece.slice();
        else {
          const sealed = sealNext(piece);
          if (sealed) yield sealed;
        }
      }
      if (seen !== fileSize) throw inputInvalid();
      for (const plain of paddingChunks(tail, streamLength - index * ATTACHMENT_CHUNK_SIZE)) {
        const sealed = sealNext(plain);
        if (sealed) yield sealed;
      }
    },
  };
}

/** The file's last bytes (`tail`), 0x80, then zeros: `remaining` bytes in chunks. */
function* paddingChunks(tail: Uint8Array, remaining: number): Generator<Uint8Array> {
  const first = new Uint8Array(Math.min(ATTACHMENT_CHUNK_SIZE, remaining));
  first.set(tail);
  first[tail.length] = 0x80;
  yield first;
  const zeros = new Uint8Array(ATTACHMENT_CHUNK_SIZE);
  for (let left = remaining - first.length; left > 0; left -= ATTACHMENT_CHUNK_SIZE) {
    yield left >= ATTACHMENT_CHUNK_SIZE ? zeros : zeros.subarray(0, left);
  }
}

export interface AttachmentReader {
  /** Chunks opened so far: where an interrupted download resumes. */
  readonly chunksOpened: number;
  /**
   * Ciphertext bytes in pieces of any size (kept by the reader only as a copy); returns
   * the file's bytes that authenticated, in buffers the reader never touches again.
   */
  push(ciphertext: Uint8Array): Uint8Array[];
  /** The stream ended: opens the held-back chunk as the last, checks and strips the padding. */
  end(): Uint8Array[];
  /** Drops the bytes of chunks not yet opened (a broken download); returns the index to fetch from. */
  restart(): number;
}

/**
 * Opens one attachment's stream. A chunk is opened as the last only when the stream
 * ends right after it, so a stream cut short never looks complete. Any failure is
 * open_failed and leaves the reader failed.
 */
export function attachmentReader(be: Backend, ctx: CaseContext, attachmentId: string, fileKey: Uint8Array): AttachmentReader {
  const ad = attachmentAd(ctx, attachmentId);
  const padding = paddingStripper();
  // The chunk held back (only the end of the stream says which chunk is last), in one
  // buffer for the whole stream: a piece's bytes are copied once, into it, and a chunk
  // lying whole in a piece with more bytes after it is opened where it lies.
  const held = new Uint8Array(CIPHERTEXT_CHUNK);
  let filled = 0;
  let index = 0;
  let state: 'open' | 'ended' | 'failed' = fileKey.length === KEY_BYTES ? 'open' : 'failed';
  const guarded = <T>(step: () => T): T => {
    if (state !== 'open') throw openFailed();
    try {
      return step();
    } catch {
      state = 'failed';
      throw openFailed();
    }
  };
  const openChunk = (ciphertext: Uint8Array, last: boolean): Uint8Array => {
    const plain = be.aeadDecrypt(ciphertext, ad, chunkNonce(index, last), fileKey);
    if (plain === null) throw openFailed();
    index++;
    return plain;
  };
  return {
    get chunksOpened() {
      return index;
    },
    push: (ciphertext) => guarded(() => {
      const out: Uint8Array[] = [];
      for (let offset = 0; offset < ciphertext.length;) {
        if (filled === CIPHERTEXT_CHUNK) {
          // More bytes follow the held chunk, so it was not the last.
          out.push(...padding.take(openChunk(held, false)));
          filled = 0;
        }
        if (filled === 0 && ciphertext.length - offset > CIPHERTEXT_CHUNK) {
          out.push(...padding.take(openChunk(ciphertext.subarray(offset, offset + CIPHERTEXT_CHUNK), false)));
          offset += CIPHERTEXT_CHUNK;
          continue;
        }
        const take = Math.min(CIPHERTEXT_CHUNK - filled, ciphertext.length - offset);
        held.set(ciphertext.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
      }
      return out;
    }),
    end: () => guarded(() => {
      // Lengths first: the last chunk is 1..65536 bytes and ends a valid padded stream.
      const plainLength = filled - TAG_BYTES;
      if (plainLength < 1 || !isAttachmentStreamLength(index * ATTACHMENT_CHUNK_SIZE + plainLength)) throw openFailed();
      const out = padding.take(openChunk(held.subarray(0, filled), true));
      out.push(...padding.finish());
      state = 'ended';
      return out;
    }),
    restart: () => guarded(() => {
      filled = 0;
      return index;
    }),
  };
}

/**
 * Strips ISO/IEC 7816-4 padding from a stream seen chunk by chunk: a 0x80 followed only
 * by zeros is held back (as a count, however many chunks it spans) until either a
 * non-zero byte shows it was the file's, or the stream ends and it is the padding.
 */
function paddingStripper(): { take(plain: Uint8Array): Uint8Array[]; finish(): Uint8Array[] } {
  let total = 0;
  let held: number | undefined; // zeros after a held 0x80
  const release = (): Uint8Array[] => {
    if (held === undefined) return [];
    const out = [Uint8Array.of(0x80)];
    for (let left = held; left > 0; left -= ATTACHMENT_CHUNK_SIZE) out.push(new Uint8Array(Math.min(left, ATTACHMENT_CHUNK_SIZE)));
    held = undefined;
    return out;
  };
  return {
    take(plain) {
      total += plain.length;
      let last = plain.length - 1;
      while (last >= 0 && plain[last] === 0x00) last--;
      if (last < 0) {
        if (held === undefined) return [plain];
        held += plain.length;
        return [];
      }
      const out = release();
      if (plain[last] !== 0x80) return [...out, plain];
      held = plain.length - last - 1;
      return last > 0 ? [...out, plain.subarray(0, last)] : out;
    },
    finish() {
      // The padding MUST be the canonical one for the file's length (PROTOCOL.md §1.3).
      if (held === undefined || attachmentStreamLength(total - held - 1) !== total) throw openFailed();
      return [];
    },
  };
}
