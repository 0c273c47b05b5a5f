import { sql } from 'kysely';
import { fixedChunks } from '../../protocol/fixed-chunks.js';
import { ATTACHMENT_CHUNK_SIZE } from '../../protocol/index.js';
import { type Database, postgresPool } from './connect.js';
import { copyChunks } from './copy-chunks.js';

// Attachments, for the denouncer's and the staff's routes alike: sealed files stored as
// fixed-size ciphertext chunks (PROTOCOL.md "Attachments"), one row per chunk. Bytes are
// streamed in and out chunk by chunk, never held whole. The server checks sizes and
// order; whether the chunks authenticate is for the reader (the key is not here).

/** A full ciphertext chunk: the plaintext chunk and its 16-byte tag. */
export const CIPHERTEXT_CHUNK_BYTES = ATTACHMENT_CHUNK_SIZE + 16;
const TAG_BYTES = 16;

export interface AttachmentInfo {
  id: string;
  caseId: string;
  uploader: 'denouncer' | 'staff';
  /** Chunks stored so far: where an interrupted upload resumes. */
  storedChunks: number;
  /** Set once the upload is finished. */
  chunkCount: number | null;
  complete: boolean;
  createdOn: string;
}

export type AttachmentProblem = 'too_large' | 'out_of_order' | 'complete' | 'incomplete' | 'bad_chunk';

/** A refusal the caller maps to its own answer (the repository knows no HTTP). */
export class AttachmentError extends Error {
  constructor(readonly problem: AttachmentProblem, message: string) {
    super(message);
  }
}

/** How many chunks a file of at most `maxBytes` plaintext bytes can take. */
export const maxChunksFor = (maxBytes: number) => Math.max(1, Math.ceil(maxBytes / ATTACHMENT_CHUNK_SIZE));

export async function findAttachment(db: Database, id: string): Promise<AttachmentInfo | undefined> {
  const row = await db
    .selectFrom('attachments')
    .select(['id', 'case_id', 'uploader', 'chunk_count', 'complete', 'created_on'])
    .select((eb) =>
      eb.selectFrom('attachment_chunks').select((c) => c.fn.countAll<string>().as('n')).whereRef('attachment_id', '=', 'attachments.id').as('stored'),
    )
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    caseId: row.case_id,
    uploader: row.uploader,
    storedChunks: Number(row.stored ?? 0),
    chunkCount: row.chunk_count,
    complete: row.complete,
    createdOn: row.created_on,
  };
}

export async function listAttachments(db: Database, caseId: string): Promise<AttachmentInfo[]> {
  const ids = await db.selectFrom('attachments').select('id').where('case_id', '=', caseId).orderBy('id').execute();
  const found = await Promise.all(ids.map((r) => findAttachment(db, r.id)));
  return found.filter((a): a is AttachmentInfo => a !== undefined);
}

/**
 * Creates an attachment under a client-chosen id. Idempotent: the same id for the same
 * case and uploader returns the existing one; for anything else, undefined (a conflict).
 */
export async function createAttachment(
  db: Database,
  a: { id: string; caseId: string; uploader: 'denouncer' | 'staff' },
): Promise<AttachmentInfo | undefined> {
  await db
    .insertInto('attachments')
    .values({ id: a.id, case_id: a.caseId, uploader: a.uploader })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const found = await findAttachment(db, a.id);
  return found && found.caseId === a.caseId && found.uploader === a.uploader ? found : undefined;
}

/**
 * Stores consecutive ciphertext chunks starting at index `from`, splitting the incoming
 * bytes into chunk rows as they arrive. Everything from `from` on is replaced, so a
 * resumed upload never leaves a stale tail. Only the final piece may be short, and a
 * short chunk ends the file: nothing may follow it. A piece cut off by a broken stream
 * is never stored (the iterator throws before it is complete).
 * Returns the number of chunks stored after the call.
 */
export async function storeChunks(
  db: Database,
  attachment: AttachmentInfo,
  from: number,
  source: AsyncIterable<Uint8Array>,
  maxChunks: number,
): Promise<number> {
  if (attachment.complete) throw new AttachmentError('complete', 'the attachment is already complete');
  if (from > attachment.storedChunks) throw new AttachmentError('out_of_order', 'chunks must follow the ones stored');
  if (from > 0 && (await chunkLength(db, attachment.id, from - 1)) !== CIPHERTEXT_CHUNK_BYTES) {
    throw new AttachmentError('out_of_order', 'nothing may follow a short (last) chunk');
  }
  await db.deleteFrom('attachment_chunks').where('attachment_id', '=', attachment.id).where('index', '>=', from).execute();
  let index = from;
  // One chunk buffer for the whole upload: each chunk is in the database before the
  // next is cut, and a fresh 64 KiB buffer per chunk was what grew the server's
  // memory by tens of MiB on a large file.
  for await (const chunk of fixedChunks(source, CIPHERTEXT_CHUNK_BYTES, { reuse: true })) {
    if (chunk.length < TAG_BYTES) throw new AttachmentError('bad_chunk', 'a chunk is shorter than its tag');
    if (index >= maxChunks) throw new AttachmentError('too_large', 'the attachment is larger than allowed');
    await db.insertInto('attachment_chunks').values({ attachment_id: attachment.id, index, data: chunk }).execute();
    index++;
  }
  return index;
}

async function chunkLength(db: Database, attachmentId: string, index: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('attachment_chunks')
    .select(sql<number>`octet_length(data)`.as('len'))
    .where('attachment_id', '=', attachmentId)
    .where('index', '=', index)
    .executeTakeFirst();
  return row ? Number(row.len) : undefined;
}

/** Marks the upload finished once exactly `chunkCount` well-sized chunks are stored. */
export async function finishAttachment(db: Database, attachment: AttachmentInfo, chunkCount: number, maxBytes: number): Promise<AttachmentInfo> {
  if (attachment.complete) {
    if (attachment.chunkCount === chunkCount) return attachment;
    throw new AttachmentError('complete', 'the attachment was finished with another chunk count');
  }
  if (attachment.storedChunks !== chunkCount || chunkCount < 1) throw new AttachmentError('incomplete', 'not every chunk is stored');
  const last = (await chunkLength(db, attachment.id, chunkCount - 1)) ?? 0;
  if ((chunkCount - 1) * ATTACHMENT_CHUNK_SIZE + (last - TAG_BYTES) > maxBytes) {
    throw new AttachmentError('too_large', 'the attachment is larger than allowed');
  }
  const updated = await db
    .updateTable('attachments')
    .set({ chunk_count: chunkCount, complete: true })
    .where('id', '=', attachment.id)
    .where('complete', '=', false)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AttachmentError('complete', 'the attachment is already complete');
  return { ...attachment, chunkCount, complete: true };
}

/**
 * Streams the chunks of an attachment from index `from`: a binary COPY on PostgreSQL
 * (copy-chunks.ts), a few rows at a time on PGlite, whose bytea arrive as bytes already.
 */
export function readChunks(db: Database, attachmentId: string, from: number): AsyncGenerator<Uint8Array> {
  const pool = postgresPool(db);
  return pool ? copyChunks(pool, attachmentId, from) : selectChunks(db, attachmentId, from);
}

async function* selectChunks(db: Database, attachmentId: string, from: number, batch = 8): AsyncGenerator<Uint8Array> {
  let next = from;
  for (;;) {
    const rows = await db
      .selectFrom('attachment_chunks')
      .select(['index', 'data'])
      .where('attachment_id', '=', attachmentId)
      .where('index', '>=', next)
      .orderBy('index')
      .limit(batch)
      .execute();
    for (const r of rows) yield r.data;
    if (rows.length < batch) return;
    next = (rows[rows.length - 1]?.index ?? next) + 1;
  }
}
