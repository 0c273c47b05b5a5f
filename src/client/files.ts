import { blake2b } from '@noble/hashes/blake2.js';
import {
  ATTACHMENT_CHUNK_SIZE, attachmentOpener, attachmentSealer, fromBase64Url, toBase64Url, type Backend, type CaseContext,
} from '../protocol/index.js';
import { fixedChunks } from '../protocol/fixed-chunks.js';
import { ApiClientError, streamPieces, type HttpClient } from './http.js';
import type { AttachmentRef } from './plaintext.js';
import { retryDelay } from './pow.js';

// Files in and out of a case: read from any re-readable source, sealed chunk by chunk,
// uploaded in bounded batches (plain bodies, so browsers need no streaming uploads), and
// resumed from the server's count of stored chunks after any interruption. Downloads
// are opened chunk by chunk and resumed from the last chunk received.

/** A file the SDK can read twice (once to hash, once to seal): bytes, a Blob, or a factory. */
export interface FileSource {
  name: string;
  type?: string;
  size: number;
  open(): AsyncIterable<Uint8Array>;
}

export const bytesFile = (name: string, bytes: Uint8Array, type = 'application/octet-stream'): FileSource => ({
  name, type, size: bytes.length, open: async function* () { yield bytes; },
});

export const blobFile = (blob: Blob, name = (blob as { name?: string }).name ?? 'file'): FileSource => ({
  name, type: blob.type || 'application/octet-stream', size: blob.size, open: () => streamPieces(blob.stream()),
});

export type TransferProgress = (done: number, total: number) => void;

const CHUNKS_PER_REQUEST = 16;
const RETRIES = 5;
const CIPHERTEXT_CHUNK = ATTACHMENT_CHUNK_SIZE + 16;

export const chunkCountFor = (size: number) => Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_SIZE));

/** The source cut into plaintext chunks of exactly ATTACHMENT_CHUNK_SIZE (the last may be shorter; an empty file is one empty chunk). */
async function* plainChunks(file: FileSource): AsyncGenerator<Uint8Array> {
  // Checked as the source ends, so a file that changed fails before its last chunk.
  const checked = async function* () {
    let total = 0;
    for await (const piece of file.open()) {
      total += piece.length;
      yield piece;
    }
    if (total !== file.size) throw new Error(`${file.name} changed while it was being read`);
  };
  let chunks = 0;
  // Every consumer here is done with a chunk (hashed, or sealed into new bytes) before
  // it asks for the next, so one buffer serves the whole file.
  for await (const chunk of fixedChunks(checked(), ATTACHMENT_CHUNK_SIZE, { reuse: true })) {
    chunks++;
    yield chunk;
  }
  if (chunks === 0) yield new Uint8Array(0);
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** Picks a fresh id and file key and hashes the file: what the sealed body will list. */
export async function describeFile(be: Backend, ctx: CaseContext, file: FileSource): Promise<AttachmentRef> {
  const id = crypto.randomUUID();
  const { fileKey } = attachmentSealer(be, ctx, id);
  const hash = blake2b.create({ dkLen: 32 });
  for await (const chunk of plainChunks(file)) hash.update(chunk);
  return { id, name: file.name, type: file.type ?? 'application/octet-stream', size: file.size, hash: hex(hash.digest()), key: toBase64Url(fileKey) };
}

interface AttachmentState { storedChunks: number; complete: boolean }

/** Uploads a described file to the receipt's case, resuming after failures. */
export async function uploadFile(
  be: Backend, http: HttpClient, ctx: CaseContext, file: FileSource, ref: AttachmentRef, onProgress?: TransferProgress,
): Promise<void> {
  const sealer = attachmentSealer(be, ctx, ref.id, fromBase64Url(ref.key));
  const total = chunkCountFor(file.size);
  for (let attempt = 0; ; attempt++) {
    try {
      await http.post('/v1/case/attachments', { id: ref.id });
      const state = await http.get<AttachmentState>(`/v1/attachments/${ref.id}`);
      if (state.complete) return;
      let batch: Uint8Array[] = [];
      let batchStart = state.storedChunks;
      let index = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await http.upload('PUT', `/v1/attachments/${ref.id}/chunks/${batchStart}`, concat(batch));
        batchStart += batch.length;
        batch = [];
        onProgress?.(Math.min(file.size, batchStart * ATTACHMENT_CHUNK_SIZE), file.size);
      };
      for await (const plain of plainChunks(file)) {
        if (index >= state.storedChunks) {
          batch.push(sealer.sealChunk(plain, index, index === total - 1));
          if (batch.length === CHUNKS_PER_REQUEST) await flush();
        }
        index++;
      }
      await flush();
      await http.post(`/v1/attachments/${ref.id}/finish`, { chunkCount: total });
      onProgress?.(file.size, file.size);
      return;
    } catch (err) {
      if (!(err instanceof ApiClientError) || !err.transient || attempt >= RETRIES) throw err;
      await retryDelay(attempt, err.retryAfterSeconds);
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Where an attachment's ciphertext is fetched from. `resumes` says whether `path(ref, from)`
 * really starts at chunk `from`; a route that always starts at chunk 0 is resumed by
 * skipping the chunks already opened.
 */
export interface AttachmentRoute { path(ref: AttachmentRef, from: number): string; resumes: boolean }

/** The denouncer's route, authorised by the receipt. */
export const receiptAttachmentRoute: AttachmentRoute = {
  path: (ref, from) => `/v1/attachments/${ref.id}/content?from=${from}`,
  resumes: true,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Downloads and opens an attachment, yielding plaintext as each chunk authenticates.
 * A chunk is opened as the last only when the stream ends right after it, so a stream
 * cut short (or a server lying about the count) fails to open rather than looking
 * complete. The size and hash listed in the sealed reference are checked when present;
 * a hash mismatch throws after the last piece, so callers must discard what they wrote.
 */
export async function* downloadFile(
  be: Backend, http: HttpClient, ctx: CaseContext, ref: AttachmentRef, onProgress?: TransferProgress,
  route: AttachmentRoute = receiptAttachmentRoute,
): AsyncGenerator<Uint8Array> {
  // The id comes from a sealed body someone else wrote; it goes into a URL path.
  if (typeof ref.id !== 'string' || !UUID.test(ref.id)) throw new Error('the attachment reference has no valid id');
  const opener = attachmentOpener(be, ctx, ref.id, fromBase64Url(ref.key));
  const expectedChunks = typeof ref.size === 'number' ? chunkCountFor(ref.size) : undefined;
  const hash = blake2b.create({ dkLen: 32 });
  let index = 0;
  let received = 0;
  const open = (ciphertext: Uint8Array, last: boolean) => {
    if (expectedChunks !== undefined && (index >= expectedChunks || last !== (index === expectedChunks - 1))) {
      throw new Error(`${ref.name} has a different number of chunks than listed for it`);
    }
    const plain = opener.openChunk(ciphertext, index, last);
    index++;
    received += plain.length;
    hash.update(plain);
    onProgress?.(received, ref.size ?? received);
    return plain;
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const from = route.resumes ? index : 0;
      let skip = (index - from) * CIPHERTEXT_CHUNK;
      let pending: Uint8Array = new Uint8Array(0);
      for await (let piece of streamPieces(await http.download(route.path(ref, from)))) {
        if (skip > 0) {
          const dropped = Math.min(skip, piece.length);
          skip -= dropped;
          piece = piece.subarray(dropped);
        }
        pending = pending.length ? concat([pending, piece]) : piece;
        // Keep one whole chunk back: only the end of the stream says which chunk is last.
        while (pending.length > CIPHERTEXT_CHUNK) {
          const plain = open(pending.subarray(0, CIPHERTEXT_CHUNK), false);
          pending = pending.slice(CIPHERTEXT_CHUNK);
          yield plain;
        }
      }
      if (skip > 0) throw new Error(`${ref.name} ended before its last chunk`);
      yield open(pending, true);
      break;
    } catch (err) {
      // A body cut off mid-way surfaces as a TypeError from the stream reader.
      const transient = (err instanceof ApiClientError && err.transient) || err instanceof TypeError;
      if (!transient || attempt >= RETRIES) throw err;
      await retryDelay(attempt, err instanceof ApiClientError ? err.retryAfterSeconds : undefined);
    }
  }
  if (typeof ref.size === 'number' && received !== ref.size) throw new Error(`${ref.name} does not have the size listed for it`);
  if (typeof ref.hash === 'string' && hex(hash.digest()) !== ref.hash) throw new Error(`${ref.name} does not match the hash listed for it`);
}
