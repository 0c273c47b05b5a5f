import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findAttachment, listAttachments, readChunks } from '../../db/attachments.js';
import { auditOnly } from '../../db/audited.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { uuid } from '../staff-schemas.js';
import { openableCase } from './openable-case.js';

// A case's sealed files, for the staff who hold its content key: the list, and the
// ciphertext as one stream from a chunk index (decrypted on the staff member's machine,
// PROTOCOL.md §5.1), so a cut-off download resumes without fetching again what it opened.
// Every download is audited, and a resumed one says from which chunk.

const attachments: FastifyPluginAsyncZod = async (app) => {
  const readers = app.requireStaff('intake', 'investigator');
  const caseParams = z.object({ caseId: uuid });

  app.get(
    '/v1/staff/cases/:caseId/attachments',
    {
      preHandler: readers,
      schema: {
        tags: ['staff'], summary: 'Attachments of the case', params: caseParams,
        response: { 200: z.object({ attachments: z.array(z.object({ attachmentId: uuid, uploader: z.string(), chunkCount: z.number().int().nullable(), complete: z.boolean() })) }), ...errors('not_found') },
      },
    },
    async (request) => {
      const found = await openableCase(app, request.staff, request.params.caseId);
      const list = await listAttachments(app.db, found.id);
      return { attachments: list.map((a) => ({ attachmentId: a.id, uploader: a.uploader, chunkCount: a.chunkCount, complete: a.complete })) };
    },
  );

  app.get(
    '/v1/staff/cases/:caseId/attachments/:attachmentId/content',
    {
      preHandler: readers,
      schema: {
        tags: ['staff'], summary: 'Download an attachment\'s ciphertext chunks, concatenated, from chunk `from`', params: z.object({ caseId: uuid, attachmentId: uuid }),
        querystring: z.object({ from: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(0) }),
        response: {
          200: {
            description: "the attachment's ciphertext chunks from `from` on, concatenated; the Tipline-Chunk-Count header gives the attachment's chunk count",
            content: { 'application/octet-stream': { schema: z.any().describe('ciphertext chunks (PROTOCOL.md §5)') } },
          },
          ...errors('not_found'),
        },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const found = await openableCase(app, me, request.params.caseId);
      const a = await findAttachment(app.db, request.params.attachmentId);
      if (!a || a.caseId !== found.id || !a.complete) return fail('not_found', 'no such attachment');
      const { from } = request.query;
      const detail = from > 0 ? { attachmentId: a.id, fromChunk: from } : { attachmentId: a.id };
      await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'attachment.download', caseId: found.id, detail });
      return reply.type('application/octet-stream').header('tipline-chunk-count', String(a.chunkCount)).send(Readable.from(readChunks(app.db, a.id, from)));
    },
  );
};
export default attachments;
