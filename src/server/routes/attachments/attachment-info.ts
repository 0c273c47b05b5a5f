import { z } from 'zod';
import { AttachmentError, type AttachmentInfo } from '../../db/attachments.js';
import { fail, type ErrorCode } from '../../errors.js';
import { day, uuid } from '../../schemas.js';

// An attachment as the receipt holder sees it, and the storage's refusals as API errors:
// shared by the case's list (routes/case/attachments.ts) and the upload itself (index.ts).

export const info = z.object({
  attachmentId: uuid,
  uploader: z.enum(['denouncer', 'staff']),
  storedChunks: z.number().int(),
  chunkCount: z.number().int().nullable(),
  complete: z.boolean(),
  createdOn: day,
});

export const toJson = (a: AttachmentInfo): z.infer<typeof info> => ({
  attachmentId: a.id, uploader: a.uploader, storedChunks: a.storedChunks, chunkCount: a.chunkCount, complete: a.complete, createdOn: a.createdOn,
});

const problemCodes: Record<AttachmentError['problem'], ErrorCode> = {
  too_large: 'payload_too_large', out_of_order: 'conflict', complete: 'conflict', incomplete: 'conflict', bad_chunk: 'validation_failed',
  bad_length: 'validation_failed', superseded: 'upload_superseded', too_many_open: 'too_many_open_uploads',
};

export function mapped(err: unknown): never {
  if (err instanceof AttachmentError) return fail(problemCodes[err.problem], err.message);
  throw err;
}

