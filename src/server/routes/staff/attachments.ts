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
// ciphertext as one stream (decrypted on the staff member's machine, PROTOCOL.md §5).
// Every download is audited.

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
        tags: ['staff'], summary: 'Download an attachment\'s ciphertext chunks', params: z.object({ caseId: uuid, attachmentId: uuid }),
        response: {
          200: {
            description: "the attachment's ciphertext chunks, concatenated; the Tipline-Chunk-Count header gives their number",
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
      await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'attachment.download', caseId: found.id, detail: { attachmentId: a.id } });
      return reply.type('application/octet-stream').header('tipline-chunk-count', String(a.chunkCount)).send(Readable.from(readChunks(app.db, a.id, 0)));
    },
  );
};
export default attachments;
