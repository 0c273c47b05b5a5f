import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fromBase64Url, toBase64Url } from '../../../protocol/index.js';
import { MESSAGE_BUCKETS, isBucket } from '../../../protocol/padding.js';
import { listMessages, postMessage, type StoredMessage } from '../../db/messages.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { receiptCaseOf } from '../../plugins/receipt-auth.js';
import { bytes, day, uuid } from '../../schemas.js';

// The receipt holder's conversation with the agency: sealed messages both ways. The
// denouncer's posts are `from_denouncer` with no author; ids are chosen by the client.

/** nonce(24) + tag(16) around a padded message (PROTOCOL.md "Messages"). */
const MESSAGE_OVERHEAD = 40;
const PAGE = 100;

const message = z.object({
  messageId: uuid,
  seq: z.string().describe('cursor: ask for messages after this'),
  direction: z.enum(['to_denouncer', 'from_denouncer']),
  ciphertext: bytes(2 * 1024 * 1024),
  signature: bytes(256).nullable(),
  sentOn: day,
});

function toJson(m: StoredMessage): z.infer<typeof message> {
  return {
    messageId: m.id,
    seq: m.seq,
    direction: m.direction,
    ciphertext: toBase64Url(m.ciphertext),
    signature: m.signature && toBase64Url(m.signature),
    sentOn: m.sentOn,
  };
}

const messages: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/case/messages',
    {
      config: { receipt: 'read' },
      preHandler: app.requireReceipt,
      schema: {
        tags: ['denouncer'],
        summary: 'Messages of the case after a cursor, oldest first',
        querystring: z.object({
          after: z.string().regex(/^\d{1,18}$/).default('0'),
          limit: z.coerce.number().int().min(1).max(PAGE).default(PAGE),
        }),
        response: { 200: z.object({ messages: z.array(message), next: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { after, limit } = request.query;
      const list = await listMessages(app.db, receiptCaseOf(request).id, after, limit);
      const last = list[list.length - 1];
      return { messages: list.map(toJson), next: list.length === limit && last ? last.seq : null };
    },
  );

  app.post(
    '/v1/case/messages',
    {
      config: { receipt: 'create' },
      preHandler: app.requireReceipt,
      schema: {
        tags: ['denouncer'],
        summary: 'Post a sealed follow-up message (idempotent on its id)',
        body: z.object({ messageId: uuid, ciphertext: bytes(2 * 1024 * 1024) }),
        response: {
          200: message.describe('a message with this id and these bytes was already stored'),
          201: message.describe('the message is stored'),
          ...errors('validation_failed', 'conflict'),
        },
      },
    },
    async (request, reply) => {
      let ciphertext: Uint8Array;
      try {
        ciphertext = fromBase64Url(request.body.ciphertext);
      } catch {
        return fail('validation_failed', 'ciphertext is not base64url');
      }
      if (ciphertext.length < MESSAGE_OVERHEAD || !isBucket(ciphertext.length - MESSAGE_OVERHEAD, MESSAGE_BUCKETS)) {
        return fail('validation_failed', 'ciphertext length is not a protocol size');
      }
      const result = await postMessage(app.db, {
        id: request.body.messageId.toLowerCase(),
        caseId: receiptCaseOf(request).id,
        direction: 'from_denouncer',
        authorId: null,
        ciphertext,
        signature: null,
      });
      if (result.outcome === 'conflict') return fail('conflict', 'this message id was already used for another message');
      return reply.code(result.outcome === 'created' ? 201 : 200).send(toJson(result.message));
    },
  );
};
export default messages;
