import { sql } from 'kysely';
import { fixedChunks } from '../../protocol/fixed-chunks.js';
import { ATTACHMENT_CHUNK_SIZE, attachmentChunkCount, attachmentStreamLength, isAttachmentStreamLength } from '../../protocol/index.js';
import { type Database, engineOf } from './connect.js';

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

export type AttachmentProblem =
  | 'too_large' | 'out_of_order' | 'complete' | 'incomplete' | 'bad_chunk' | 'bad_length' | 'superseded' | 'too_many_open';

/** A refusal the caller maps to its own answer (the repository knows no HTTP). */
export class AttachmentError extends Error {
  constructor(readonly problem: AttachmentProblem, message: string) {
    super(message);
  }
}

/** How many chunks a file of at most `maxBytes` plaintext bytes can take, padding included. */
export const maxChunksFor = (maxBytes: number) => attachmentChunkCount(maxBytes);

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
 * A case holds at most `maxOpen` unfinished uploads (too_many_open).
 */
export async function createAttachment(
  db: Database,
  a: { id: string; caseId: string; uploader: 'denouncer' | 'staff' },
  maxOpen = Number.MAX_SAFE_INTEGER,
): Promise<AttachmentInfo | undefined> {
  const inserted = await db.transaction().execute(async (trx) => {
    // Creations for one case take turns, so the count below cannot be raced past the cap.
    await trx.selectFrom('cases').select('id').where('id', '=', a.caseId).forNoKeyUpdate().execute();
    const result = await trx
      .insertInto('attachments')
      .columns(['id', 'case_id', 'uploader'])
      .expression(
        trx
          // Typed casts: a bare parameter in INSERT … SELECT would arrive as text.
          .selectNoFrom([sql<string>`${a.id}::uuid`.as('id'), sql<string>`${a.caseId}::uuid`.as('case_id'), sql<'denouncer' | 'staff'>`${a.uploader}::text`.as('uploader')])
          .where((eb) =>
            eb(eb.selectFrom('attachments').select((c) => c.fn.countAll<string>().as('n')).where('case_id', '=', a.caseId).where('complete', '=', false), '<', String(maxOpen)),
          ),
      )
      // Never an error for the database log: an id already taken inserts nothing.
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  });
  const found = await findAttachment(db, a.id);
  if (!found && !inserted) throw new AttachmentError('too_many_open', 'the case has too many unfinished uploads');
  return found && found.caseId === a.caseId && found.uploader === a.uploader ? found : undefined;
}

/**
 * Takes the attachment for a new writer from chunk `from`: the next upload epoch, and
 * the chunks from `from` on deleted, so a resumed upload never leaves a stale tail. The
 * chunks before `from` must all be stored and whole (only the last chunk is short).
 */
async function claimUpload(db: Database, attachment: AttachmentInfo, from: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('attachments')
      .set((eb) => ({ upload_epoch: eb('upload_epoch', '+', 1) }))
      .where('id', '=', attachment.id)
      .where('complete', '=', false)
      .returning('upload_epoch')
      .executeTakeFirst();
    if (!claimed) throw new AttachmentError('complete', 'the attachment is already complete');
    // The row lock taken above keeps other writers out until this commits.
    const before = await trx
      .selectFrom('attachment_chunks')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min(sql<number>`octet_length(data)`).as('shortest')])
      .where('attachment_id', '=', attachment.id)
      .where('index', '<', from)
      .executeTakeFirstOrThrow();
    if (Number(before.n) !== from) throw new AttachmentError('out_of_order', 'chunks must follow the ones stored');
    if (from > 0 && Number(before.shortest) !== CIPHERTEXT_CHUNK_BYTES) {
      throw new AttachmentError('out_of_order', 'nothing may follow a short (last) chunk');
    }
    await trx.deleteFrom('attachment_chunks').where('attachment_id', '=', attachment.id).where('index', '>=', from).execute();
    return claimed.upload_epoch;
  });
}

/**
 * Stores consecutive ciphertext chunks starting at index `from`, splitting the incoming
 * bytes into chunk rows as they arrive. Only the final piece may be short, and a short
 * chunk ends the file. A piece cut off by a broken stream is never stored (the iterator
 * throws before it is complete). A writer that a later one has taken over from stops
 * (superseded) before storing anything more: the chunks stay one contiguous run.
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
  const epoch = await claimUpload(db, attachment, from);
  let index = from;
  // One chunk buffer for the whole upload: each chunk is in the database before the
  // next is cut, and a fresh 64 KiB buffer per chunk was what grew the server's
  // memory by tens of MiB on a large file.
  for await (const chunk of fixedChunks(source, CIPHERTEXT_CHUNK_BYTES, { reuse: true })) {
    if (chunk.length <= TAG_BYTES) throw new AttachmentError('bad_chunk', 'a chunk holds no more than its tag');
    if (index >= maxChunks) throw new AttachmentError('too_large', 'the attachment is larger than allowed');
    if (!(await insertChunk(db, attachment.id, epoch, index, chunk))) {
      throw new AttachmentError('superseded', 'another upload of this attachment took over');
    }
    index++;
  }
  return index;
}

/** Inserts one chunk if `epoch` is still the attachment's; the shared row lock orders it against claims. */
async function insertChunk(db: Database, attachmentId: string, epoch: number, index: number, data: Uint8Array): Promise<boolean> {
  const result = await db
    .insertInto('attachment_chunks')
    .columns(['attachment_id', 'index', 'data'])
    .expression((eb) =>
      eb.selectFrom('attachments')
        .select((s) => [s.ref('id').as('attachment_id'), sql<number>`${index}::integer`.as('index'), sql<Uint8Array>`${data}::bytea`.as('data')])
        .where('id', '=', attachmentId)
        .where('upload_epoch', '=', epoch)
        .where('complete', '=', false)
        .forShare(),
    )
    .onConflict((oc) => oc.columns(['attachment_id', 'index']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
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

/**
 * Marks the upload finished once exactly `chunkCount` well-sized chunks are stored and
 * their plaintext length is a padded length (PROTOCOL.md §5): a file's exact size is
 * never what the server stores.
 */
export async function finishAttachment(db: Database, attachment: AttachmentInfo, chunkCount: number, maxBytes: number): Promise<AttachmentInfo> {
  if (attachment.complete) {
    if (attachment.chunkCount === chunkCount) return attachment;
    throw new AttachmentError('complete', 'the attachment was finished with another chunk count');
  }
  if (attachment.storedChunks !== chunkCount || chunkCount < 1) throw new AttachmentError('incomplete', 'not every chunk is stored');
  const last = (await chunkLength(db, attachment.id, chunkCount - 1)) ?? 0;
  const streamLength = (chunkCount - 1) * ATTACHMENT_CHUNK_SIZE + (last - TAG_BYTES);
  if (streamLength > attachmentStreamLength(maxBytes)) throw new AttachmentError('too_large', 'the attachment is larger than allowed');
  if (!isAttachmentStreamLength(streamLength)) throw new AttachmentError('bad_length', 'the attachment is not padded to a padded length');
  const updated = await db
    .updateTable('attachments')
    // A new epoch too: a writer still sending chunks stops.
    .set((eb) => ({ chunk_count: chunkCount, complete: true, upload_epoch: eb('upload_epoch', '+', 1) }))
    .where('id', '=', attachment.id)
    .where('complete', '=', false)
    .where((eb) => eb.selectFrom('attachment_chunks').select((c) => c.fn.countAll<string>().as('n')).where('attachment_id', '=', attachment.id), '=', String(chunkCount))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AttachmentError('incomplete', 'the stored chunks changed while finishing');
  return { ...attachment, chunkCount, complete: true };
}

/**
 * Deletes uploads left unfinished since before `days` days ago (so for at least
 * `days` × 24 hours). Measured on the day the upload was created: no finer time of a
 * denouncer's action is kept for it. Returns how many went.
 */
export async function deleteAbandonedUploads(db: Database, days: number): Promise<number> {
  const result = await db
    .deleteFrom('attachments')
    .where('complete', '=', false)
    .where('created_on', '<', sql<string>`current_date - ${days}::integer`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Streams the chunks of an attachment from index `from`: a binary COPY on PostgreSQL
 * (copy-chunks.ts), a few rows at a time on PGlite, whose bytea arrive as bytes already.
 */
export function readChunks(db: Database, attachmentId: string, from: number): AsyncGenerator<Uint8Array> {
  return engineOf(db).copyChunks?.(attachmentId, from) ?? selectChunks(db, attachmentId, from);
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
