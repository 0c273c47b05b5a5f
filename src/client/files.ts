import {
  ATTACHMENT_CHUNK_SIZE, attachmentChunkCount, attachmentWriter, fromBase64Url, toBase64Url,
  type Backend, type CaseContext,
} from '../protocol/index.js';
import { fixedChunks } from '../protocol/fixed-chunks.js';
import { ApiClientError, streamPieces, type HttpClient } from './http.js';
import type { AttachmentRef } from './plaintext.js';
import { retryDelay } from './pow.js';

// Files in and out of a case: read from any re-readable source, sealed chunk by chunk,
// uploaded in bounded batches (plain bodies, so browsers need no streaming uploads), and
// resumed from the server's count of stored chunks after any interruption, only ever
// for the very file the reference's hash names. Downloads are attachment-download.ts.

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

/** Chunks an upload of `size` bytes takes, padding included. */
export const chunkCountFor = (size: number) => attachmentChunkCount(size);

/**
 * Refused before anything is sealed: the file offered is not, byte for byte, the one
 * its reference (key, id, hash) was made for. Sealing it under that key would reuse
 * the key's nonces on different plaintext (a two-time pad), so it must be described
 * afresh, with a new key and id, and sent as a new attachment.
 */
export class FileMismatchError extends Error {
  readonly code = 'file_mismatch';
  constructor(name: string) {
    super(`${name} is not the file listed for this attachment: add it as a new file`);
  }
}

/** The source cut into plaintext chunks of exactly ATTACHMENT_CHUNK_SIZE (the last may be shorter; an empty file gives none). */
async function* plainChunks(file: FileSource): AsyncGenerator<Uint8Array> {
  // Checked as the source ends, so a file that changed fails before its last chunk.
  const checked = async function* () {
    let total = 0;
    for await (const piece of file.open()) {
      total += piece.length;
      yield piece;
    }
    if (total !== file.size) throw new FileMismatchError(file.name);
  };
  // Every consumer here is done with a chunk (hashed, or sealed into new bytes) before
  // it asks for the next, so one buffer serves the whole file.
  yield* fixedChunks(checked(), ATTACHMENT_CHUNK_SIZE, { reuse: true });
}

/** Lower-case hex, as a reference lists a file's hash. */
export const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Picks a fresh id and file key and hashes the file: what the sealed body will list. */
export async function describeFile(be: Backend, ctx: CaseContext, file: FileSource): Promise<AttachmentRef> {
  const id = crypto.randomUUID();
  const { fileKey } = attachmentWriter(be, ctx, id, file.size);
  const hash = be.blake2bHasher(32);
  for await (const chunk of plainChunks(file)) hash.update(chunk);
  return { id, name: file.name, type: file.type ?? 'application/octet-stream', size: file.size, hash: hex(hash.digest()), key: toBase64Url(fileKey) };
}

/**
 * The hash of each plaintext chunk, after checking the whole file against the hash its
 * reference lists. Kept for the upload, so every chunk is checked again as it is read
 * for sealing: a file that changes between the two reads is caught before its first
 * changed chunk is sealed, not after.
 */
async function boundChunkHashes(be: Backend, file: FileSource, ref: AttachmentRef): Promise<Uint8Array[]> {
  if (file.size !== ref.size) throw new FileMismatchError(file.name);
  const whole = be.blake2bHasher(32);
  const hashes: Uint8Array[] = [];
  for await (const chunk of plainChunks(file)) {
    whole.update(chunk);
    hashes.push(be.blake2b(32, chunk));
  }
  if (hex(whole.digest()) !== ref.hash) throw new FileMismatchError(file.name);
  return hashes;
}

/** The file's chunks, each refused unless it is the chunk hashed before. */
async function* sameChunks(be: Backend, file: FileSource, hashes: Uint8Array[]): AsyncGenerator<Uint8Array> {
  let index = 0;
  for await (const chunk of plainChunks(file)) {
    const expected = hashes[index++];
    if (!expected || !sameBytes(be.blake2b(32, chunk), expected)) throw new FileMismatchError(file.name);
    yield chunk;
  }
}

interface AttachmentState { storedChunks: number; complete: boolean }

/**
 * Uploads a described file to the receipt's case, resuming after failures. The key and
 * id of `ref` seal only the file whose hash `ref` lists (FileMismatchError otherwise):
 * what the server says it holds decides only which chunks are sent again, and a chunk
 * sent again is the same bytes, so a server that lies about it learns nothing.
 */
export async function uploadFile(
  be: Backend, http: HttpClient, ctx: CaseContext, file: FileSource, ref: AttachmentRef, onProgress?: TransferProgress,
): Promise<void> {
  const hashes = await boundChunkHashes(be, file, ref);
  const writer = attachmentWriter(be, ctx, ref.id, file.size, fromBase64Url(ref.key));
  for (let attempt = 0; ; attempt++) {
    try {
      await http.post('/v1/case/attachments', { attachmentId: ref.id });
      const state = await http.get<AttachmentState>(`/v1/attachments/${ref.id}`);
      if (state.complete) return;
      let batch: Uint8Array[] = [];
      let batchStart = Math.min(Math.max(0, Math.floor(state.storedChunks) || 0), writer.chunkCount);
      const flush = async () => {
        if (batch.length === 0) return;
        await http.upload('PUT', `/v1/attachments/${ref.id}/chunks/${batchStart}`, concat(batch));
        batchStart += batch.length;
        batch = [];
        onProgress?.(Math.min(file.size, batchStart * ATTACHMENT_CHUNK_SIZE), file.size);
      };
      for await (const sealed of writer.seal(sameChunks(be, file, hashes), batchStart)) {
        batch.push(sealed);
        if (batch.length === CHUNKS_PER_REQUEST) await flush();
      }
      await flush();
      await http.post(`/v1/attachments/${ref.id}/finish`, { chunkCount: writer.chunkCount });
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
