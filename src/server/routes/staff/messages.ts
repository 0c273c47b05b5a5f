import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CASE_READER_ROLES } from '../../../domain/index.js';
import { loadBackend, verifyDetached } from '../../../protocol/index.js';
import { messageSigningBytes } from '../../../protocol/signing-bytes.js';
import { audited, auditOnly } from '../../db/audited.js';
import { markRead } from '../../db/message-reads.js';
import { listMessages, postMessage } from '../../db/messages.js';
import { findStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { staffBytes, bytesOf, enc, ok, uuid } from '../staff-schemas.js';
import { openableCase } from './openable-case.js';

// Talking with the denouncer. Only staff who hold the case's content key may read or
// write; a reply is sealed with that key on the client and signed by its author, and
// the server checks the signature against the author's registered key.

const message = z.object({
  messageId: uuid, seq: z.string(), direction: z.enum(['to_denouncer', 'from_denouncer']), authorId: uuid.nullable(),
  ciphertext: z.string(), signature: z.string().nullable(), sentOn: z.string(),
});

const messages: FastifyPluginAsyncZod = async (app) => {
  const readers = app.requireStaff(...CASE_READER_ROLES);
  const caseParams = z.object({ caseId: uuid });

  app.get(
    '/v1/staff/cases/:caseId/messages',
    {
      preHandler: readers,
      schema: {
        tags: ['staff'], summary: 'Messages of the case, both ways, after a cursor', params: caseParams,
        querystring: z.object({ after: z.string().regex(/^\d{1,19}$/).default('0'), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: z.object({ messages: z.array(message) }), ...errors('not_found') },
      },
    },
    async (request) => {
      const me = request.staff;
      const found = await openableCase(app, me, request.params.caseId);
      const rows = await listMessages(app.db, found.id, request.query.after, request.query.limit);
      await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'message.read', caseId: found.id, detail: { count: rows.length } });
      return {
        messages: rows.map((m) => ({
          messageId: m.id, seq: m.seq, direction: m.direction, authorId: m.authorId, ciphertext: enc(m.ciphertext),
          signature: m.signature && enc(m.signature), sentOn: m.sentOn,
        })),
      };
    },
  );

  app.post(
    '/v1/staff/cases/:caseId/messages',
    {
      preHandler: readers,
      schema: {
        tags: ['staff'], summary: 'Reply to the denouncer: a sealed message, signed by its author (§8.3.3)', params: caseParams,
        body: z.object({ messageId: uuid, ciphertext: staffBytes, signature: staffBytes }),
        response: { 201: z.object({ messageId: uuid, seq: z.string() }), ...errors('not_found', 'validation_failed', 'crypto_failed', 'conflict') },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const found = await openableCase(app, me, request.params.caseId);
      const { messageId } = request.body;
      const ciphertext = bytesOf(request.body.ciphertext);
      const signature = bytesOf(request.body.signature, 64);
      const author = await findStaff(app.db, me.id);
      const be = await loadBackend();
      const signedBytes = messageSigningBytes(found.id, messageId, ciphertext, be);
      if (!author?.signPublicKey || !verifyDetached(be, 'message', signature, signedBytes, author.signPublicKey)) {
        return fail('crypto_failed', 'the message signature does not verify');
      }
      // A replay stores nothing and so records nothing: one row per message sent.
      const posted = await audited(app.db, async (trx) => {
        const result = await postMessage(trx, { id: messageId, caseId: found.id, direction: 'to_denouncer', authorId: me.id, ciphertext, signature });
        return { result, audit: result.outcome !== 'created' ? null : {
          agencyId: me.agencyId, staffId: me.id, action: 'message.send', caseId: found.id, detail: { messageId },
          signed: { kind: 'message', signer: me.id, bytes: signedBytes, signature },
        } };
      });
      if (posted.outcome === 'conflict') return fail('conflict', 'a different message with this id exists');
      return reply.code(201).send({ messageId, seq: posted.message.seq });
    },
  );

  // The console calls this once a thread is shown and checked, naming the newest message
  // it showed: a denouncer message that arrived meanwhile stays unread. The point only
  // moves forward, and only a move is audited (as a reply's replay records nothing).
  app.post(
    '/v1/staff/cases/:caseId/read',
    {
      preHandler: readers,
      schema: {
        tags: ['staff'], summary: "Marks the case's messages read up to and including one, for the caller only", params: caseParams,
        body: z.object({ messageId: uuid.describe('the newest message the caller was shown') }),
        response: { 200: ok.describe('the read point is at this message or beyond it'), ...errors('not_found', 'validation_failed') },
      },
    },
    async (request) => {
      const me = request.staff;
      const found = await openableCase(app, me, request.params.caseId);
      const { messageId } = request.body;
      const outcome = await audited(app.db, async (trx) => {
        const result = await markRead(trx, me.id, found.id, messageId);
        return { result, audit: result !== 'advanced' ? null : { agencyId: me.agencyId, staffId: me.id, action: 'message.mark_read', caseId: found.id, detail: { messageId } } };
      });
      if (outcome === 'no_such_message') return fail('validation_failed', 'no message of this case has this id', { fields: ['messageId'] });
      return { ok: true as const };
    },
  );
};
export default messages;
