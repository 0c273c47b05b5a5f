import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import {
  CIPHERTEXT_CHUNK_BYTES, deleteAbandonedUploads, findAttachment, finishAttachment, maxChunksFor, readChunks, storeChunks, type AttachmentInfo,
} from '../../db/attachments.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { receiptCaseOf } from '../../plugins/receipt-auth.js';
import { info, mapped, toJson } from './attachment-info.js';
import { uuid } from '../../schemas.js';

// Sealed files of the receipt holder's case. Upload: create (routes/case/attachments.ts), then PUT consecutive
// ciphertext chunks as one octet-stream body (resumable: GET tells how many are stored),
// then finish with the chunk count. Download streams the chunks back in order. A case
// has a bounded number of unfinished uploads, and those abandoned for a day or more
// are deleted by a timer (not on a denouncer's request, so nothing dates one).

const idParams = z.object({ attachmentId: uuid });

const attachments: FastifyPluginAsyncZod = async (app) => {
  const maxChunks = maxChunksFor(app.config.maxAttachmentBytes);
  const sweep = () => {
    deleteAbandonedUploads(app.db, app.config.abandonedUploadDays).catch(() => app.log.warn('abandoned uploads could not be deleted; trying again later'));
  };
  const sweeper = setInterval(sweep, app.config.uploadSweepSeconds * 1000);
  sweeper.unref();
  app.addHook('onReady', async () => sweep());
  app.addHook('onClose', async () => clearInterval(sweeper));
  // Raw bodies reach the handler as the request stream, so chunks go to the database
  // as they arrive and a file is never whole in memory. No body limit here: the chunk
  // count cap below is the limit.
  app.addContentTypeParser('application/octet-stream', { bodyLimit: Number.MAX_SAFE_INTEGER }, (_req, payload, done) => done(null, payload));

  /** The attachment, if it belongs to the receipt's case; else the same 404 as a missing one. */
  async function ownAttachment(request: FastifyRequest, id: string): Promise<AttachmentInfo> {
    const found = await findAttachment(app.db, id.toLowerCase());
    if (!found || found.caseId !== receiptCaseOf(request).id) return fail('not_found', 'not found');
    return found;
  }

  const common = { tags: ['denouncer'] };
  const guarded = { preHandler: app.requireReceipt, config: { receipt: 'read' as const } };

  app.get('/v1/attachments/:attachmentId', { ...guarded, schema: { ...common, summary: 'Upload progress and state of an attachment', params: idParams, response: { 200: info, ...errors('not_found') } } },
    async (request) => toJson(await ownAttachment(request, request.params.attachmentId)));

  app.put('/v1/attachments/:attachmentId/chunks/:from', {
    ...guarded,
    schema: {
      ...common,
      summary: `Store consecutive ${CIPHERTEXT_CHUNK_BYTES}-byte ciphertext chunks from index :from (application/octet-stream; the last may be shorter)`,
      params: z.object({ attachmentId: uuid, from: z.coerce.number().int().min(0).max(2 ** 31 - 1) }),
      // The body is the raw request stream (the parser above); declared for the document only.
      consumes: ['application/octet-stream'],
      body: z.any().describe('consecutive ciphertext chunks, each 65552 bytes but the last (PROTOCOL.md §5)'),
      response: {
        200: info.describe('the chunks are stored; storedChunks says how many the attachment holds now'),
        ...errors('not_found', 'forbidden', 'unsupported_media_type', 'payload_too_large', 'conflict', 'upload_superseded', 'validation_failed'),
      },
    },
  }, async (request) => {
    const a = await ownAttachment(request, request.params.attachmentId);
    if (a.uploader !== 'denouncer') return fail('forbidden', 'only the uploader may write an attachment');
    const body = request.body as unknown;
    if (!(body instanceof Readable)) return fail('unsupported_media_type', 'send the chunks as application/octet-stream');
    const declared = Number(request.headers['content-length'] ?? 0);
    if (request.params.from * CIPHERTEXT_CHUNK_BYTES + declared > maxChunks * CIPHERTEXT_CHUNK_BYTES) return fail('payload_too_large', 'the attachment is larger than allowed');
    // Of two writers at once the later takes over and the earlier gets upload_superseded.
    const stored = await storeChunks(app.db, a, request.params.from, body, maxChunks).catch(mapped);
    return toJson({ ...a, storedChunks: stored });
  });

  app.post('/v1/attachments/:attachmentId/finish', {
    ...guarded,
    schema: { ...common, summary: 'Finish an upload with its total chunk count', params: idParams, body: z.object({ chunkCount: z.number().int().min(1).max(2 ** 31 - 1) }),
      response: { 200: info.describe('the attachment is complete'), ...errors('not_found', 'forbidden', 'conflict', 'payload_too_large', 'validation_failed') },
    },
  }, async (request) => {
    const a = await ownAttachment(request, request.params.attachmentId);
    if (a.uploader !== 'denouncer') return fail('forbidden', 'only the uploader may finish an attachment');
    return toJson(await finishAttachment(app.db, a, request.body.chunkCount, app.config.maxAttachmentBytes).catch(mapped));
  });

  app.get('/v1/attachments/:attachmentId/content', {
    ...guarded,
    schema: {
      ...common,
      summary: 'Download the ciphertext chunks, concatenated, from chunk `from`',
      params: idParams,
      querystring: z.object({ from: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(0) }),
      response: {
        200: {
          description: 'the ciphertext chunks from `from` on, concatenated; the Tipline-Chunk-Count header gives the attachment\'s chunk count',
          content: { 'application/octet-stream': { schema: z.any().describe('ciphertext chunks (PROTOCOL.md §5)') } },
        },
        ...errors('not_found', 'conflict'),
      },
    },
  }, async (request, reply) => {
    const a = await ownAttachment(request, request.params.attachmentId);
    if (!a.complete) return fail('conflict', 'the attachment is not complete yet');
    return reply
      .type('application/octet-stream')
      .header('tipline-chunk-count', String(a.chunkCount))
      .send(Readable.from(readChunks(app.db, a.id, request.query.from)));
  });
};
export default attachments;
