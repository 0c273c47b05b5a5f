import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createAttachment, findAttachment, listAttachments } from '../../db/attachments.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { receiptCaseOf } from '../../plugins/receipt-auth.js';
import { info, mapped, toJson } from '../attachments/attachment-info.js';
import { uuid } from '../../schemas.js';

// The sealed files of the receipt holder's case: the list, and a new one created (its
// upload continues under /v1/attachments/, routes/attachments/).

const caseAttachments: FastifyPluginAsyncZod = async (app) => {
  const common = { tags: ['denouncer'] };
  const guarded = { preHandler: app.requireReceipt, config: { receipt: 'read' as const } };

  app.get('/v1/case/attachments', { ...guarded, schema: { ...common, summary: 'Attachments of the case', response: { 200: z.object({ attachments: z.array(info) }) } } },
    async (request) => ({ attachments: (await listAttachments(app.db, receiptCaseOf(request).id)).map(toJson) }));

  app.post('/v1/case/attachments', {
    ...guarded,
    config: { receipt: 'create' },
    schema: { ...common, summary: 'Create an attachment (idempotent on its id)', body: z.object({ attachmentId: uuid }), response: {
      200: info.describe('an attachment with this id already belongs to the case: its state'),
      201: info.describe('the attachment is created, with no chunk stored'),
      ...errors('conflict', 'too_many_open_uploads'),
    } },
  }, async (request, reply) => {
    const id = request.body.attachmentId.toLowerCase();
    const existed = await findAttachment(app.db, id);
    const created = await createAttachment(app.db, { id, caseId: receiptCaseOf(request).id, uploader: 'denouncer' }, app.config.maxOpenUploads).catch(mapped);
    if (!created) return fail('conflict', 'this attachment id is already in use');
    return reply.code(existed ? 200 : 201).send(toJson(created));
  });

};
export default caseAttachments;
