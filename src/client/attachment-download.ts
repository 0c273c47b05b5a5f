import {
  ATTACHMENT_CHUNK_SIZE, attachmentChunkCount, attachmentReader, attachmentStreamLength, fromBase64Url,
  type AttachmentReader, type Backend, type Blake2bHasher, type CaseContext,
} from '../protocol/index.js';
import { hex, type TransferProgress } from './files.js';
import { ApiClientError, streamPieces, type HttpClient } from './http.js';
import type { AttachmentRef } from './plaintext.js';
import { retryDelay } from './pow.js';

// One attachment's download as one object that owns all of its state: the STREAM reader
// (chunk index, the chunk held back until the end says which is last, the padding), the
// running hash and the bytes handed out. A cut-off connection leaves that state where
// the last authenticated chunk ended, and the next run asks the server for the chunks
// from there on, so nothing verified is fetched or handed out twice. A check that
// fails, a cancel, or a caller that stops reading ends the download for good.

const CIPHERTEXT_CHUNK = ATTACHMENT_CHUNK_SIZE + 16;
const RETRIES = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where an attachment's ciphertext is fetched from: `path(ref, from)` answers chunks `from` to the end. */
export interface AttachmentRoute { path(ref: AttachmentRef, from: number): string }

/** The denouncer's route, authorised by the receipt. */
export const receiptAttachmentRoute: AttachmentRoute = {
  path: (ref, from) => `/v1/attachments/${ref.id}/content?from=${from}`,
};

/** The opened file is not the one its sealed reference lists (chunk count, size or hash). */
export class AttachmentMismatchError extends Error {
  readonly code = 'attachment_mismatch';
}

/**
 * The connection failed part-way (no answer, a transient status, a body cut off). What
 * was handed out is verified and stays valid; run the download again to continue.
 */
export class DownloadInterrupted extends Error {
  readonly code = 'download_interrupted';
  constructor(readonly reason: unknown, readonly chunksOpened: number) {
    super(`the download stopped after ${chunksOpened} chunks: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/** The download was cancelled, or abandoned part-way by its reader. */
export class DownloadCancelled extends Error {
  readonly code = 'download_cancelled';
}

/**
 * A body that ends cleanly before the listed size: a cut (a proxy, a dropped
 * connection) more often than a forgery, so it is resumed; if it never comes whole, it
 * is a mismatch.
 */
class CutShort extends AttachmentMismatchError {}

export class AttachmentDownload {
  readonly #reader: AttachmentReader;
  // The backend's BLAKE2b: libsodium's runs at the speed of decryption, a pure-JS one
  // at a tenth of it (docs/PERFORMANCE.md, "Staff console").
  readonly #hash: Blake2bHasher;
  readonly #expectedChunks: number | undefined;
  #received = 0;
  #stop: AbortController | undefined;
  #ended: Error | 'done' | undefined;

  constructor(be: Backend, private readonly http: HttpClient, ctx: CaseContext, readonly ref: AttachmentRef, private readonly route: AttachmentRoute) {
    // The id comes from a sealed body someone else wrote; it goes into a URL path.
    if (typeof ref.id !== 'string' || !UUID.test(ref.id)) throw new Error('the attachment reference has no valid id');
    this.#reader = attachmentReader(be, ctx, ref.id, fromBase64Url(ref.key));
    this.#hash = be.blake2bHasher(32);
    this.#expectedChunks = typeof ref.size === 'number' && ref.size >= 0 ? attachmentChunkCount(ref.size) : undefined;
  }

  /** Plaintext bytes verified and handed out so far. */
  get received(): number { return this.#received; }
  /** Chunks authenticated so far: where the next run starts. */
  get chunksOpened(): number { return this.#reader.chunksOpened; }
  get complete(): boolean { return this.#ended === 'done'; }

  /**
   * Yields the file's next verified bytes (each piece the caller's to keep: its buffer
   * is never reused), from where the last run stopped to the end,
   * then checks the chunk count, size and hash listed in the sealed reference. Throws
   * DownloadInterrupted when the network fails (run again to resume); anything else
   * (AttachmentMismatchError, open_failed, DownloadCancelled) ends the download, and
   * whatever the caller wrote of it must be discarded.
   */
  async *pieces(onProgress?: TransferProgress): AsyncGenerator<Uint8Array> {
    if (this.#ended === 'done') return;
    if (this.#ended) throw this.#ended;
    if (this.#stop) throw new Error('the download is already running');
    const stop = (this.#stop = new AbortController());
    let settled = false;
    try {
      yield* this.#fetchFrom(this.#reader.restart(), stop.signal, onProgress);
      this.#check();
      this.#ended = 'done';
      settled = true;
    } catch (err) {
      settled = true;
      const ended = this.#ended as Error | 'done' | undefined;
      if (ended instanceof Error) throw ended; // cancelled meanwhile
      if (isCut(err)) throw new DownloadInterrupted(err, this.#reader.chunksOpened);
      throw this.#end(err as Error);
    } finally {
      this.#stop = undefined;
      // The caller stopped reading: what it was handed may not have been kept.
      if (!settled) this.#end(new DownloadCancelled('the download was abandoned part-way'));
    }
  }

  /** Ends the download for good, stopping a run under way; a finished one stays finished. */
  cancel(): void {
    this.#end(new DownloadCancelled('the download was cancelled'));
    this.#stop?.abort();
  }

  async *#fetchFrom(from: number, signal: AbortSignal, onProgress?: TransferProgress): AsyncGenerator<Uint8Array> {
    const body = await this.http.download(this.route.path(this.ref, from), { signal });
    let ciphertext = from * CIPHERTEXT_CHUNK;
    for await (const piece of streamPieces(body)) {
      ciphertext += piece.length;
      for (const plain of this.#reader.push(piece)) {
        // Checked here too: one piece may hold many chunks, and a transport may ignore the signal.
        if (signal.aborted) throw this.#ended;
        yield this.#opened(plain, onProgress);
      }
      // Stops a lying server's endless stream early; the reader itself finds the last chunk.
      if (this.#expectedChunks !== undefined && this.#reader.chunksOpened >= this.#expectedChunks) throw this.#mismatch('a different number of chunks');
    }
    if (ciphertext < this.#expectedLength()) throw new CutShort('the stream ended before its last chunk');
    for (const plain of this.#reader.end()) yield this.#opened(plain, onProgress);
  }

  #opened(plain: Uint8Array, onProgress?: TransferProgress): Uint8Array {
    this.#received += plain.length;
    this.#hash.update(plain);
    onProgress?.(this.#received, this.ref.size ?? this.#received);
    return plain;
  }

  /** Ciphertext bytes of the listed size: a shorter stream was cut, never complete. */
  #expectedLength(): number {
    if (this.#expectedChunks === undefined) return 0;
    return attachmentStreamLength(this.ref.size) + this.#expectedChunks * (CIPHERTEXT_CHUNK - ATTACHMENT_CHUNK_SIZE);
  }

  #check(): void {
    const ref = this.ref;
    if (this.#expectedChunks !== undefined && this.#reader.chunksOpened !== this.#expectedChunks) throw this.#mismatch('a different number of chunks');
    if (typeof ref.size === 'number' && this.#received !== ref.size) throw this.#mismatch('a different size');
    if (typeof ref.hash === 'string' && hex(this.#hash.digest()) !== ref.hash) throw this.#mismatch('a different hash');
  }

  #mismatch(what: string): AttachmentMismatchError {
    return new AttachmentMismatchError(`${this.ref.name} has ${what} than listed for it`);
  }

  #end(err: Error): Error {
    this.#ended ??= err;
    return err;
  }
}

/** No answer, a transient status, or a body cut off (a TypeError from the stream reader, or a clean early end). */
function isCut(err: unknown): boolean {
  return (err instanceof ApiClientError && err.transient) || err instanceof TypeError || err instanceof CutShort;
}

/**
 * Downloads and opens an attachment, yielding plaintext as each chunk authenticates and
 * resuming by itself after a cut (up to five times, with backoff). A chunk is opened as
 * the last only when the stream ends right after it, so a stream cut short (or a server
 * lying about the count) never looks complete. A mismatch throws after the last piece,
 * so callers must discard what they wrote.
 */
export async function* downloadFile(
  be: Backend, http: HttpClient, ctx: CaseContext, ref: AttachmentRef, onProgress?: TransferProgress,
  route: AttachmentRoute = receiptAttachmentRoute,
): AsyncGenerator<Uint8Array> {
  const download = new AttachmentDownload(be, http, ctx, ref, route);
  for (let attempt = 0; ; attempt++) {
    try {
      yield* download.pieces(onProgress);
      return;
    } catch (err) {
      if (!(err instanceof DownloadInterrupted)) throw err;
      const reason = err.reason;
      if (attempt >= RETRIES) throw reason;
      await retryDelay(attempt, reason instanceof ApiClientError ? reason.retryAfterSeconds : undefined);
    }
  }
}
