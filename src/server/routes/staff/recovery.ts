import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GRANTER_ROLES, mayReceiveGrant } from '../../../domain/index.js';
import { audited } from '../../db/audited.js';
import { hasRecoveryKey, listRecoveryKeys } from '../../db/recovery.js';
import { findStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { enc, ok, staffBytes, uuid } from '../staff-schemas.js';
import { storeSignedGrant } from './signed-grant.js';

// The recovery drill (PROTOCOL.md §9.1): when no staff member holds a case's key any
// more, m holders of the recovery key's paper shares rebuild it offline beside an intake
// officer, who reads the keys wrapped to it here and re-grants each case with an
// ordinary signed grant (§8.3.2). The server cannot open a recovery key; it only checks,
// as for any grant, who may receive the case and that the grant is the officer's.

const recovery: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/staff/recovery/keys',
    {
      preHandler: app.requireStaff(...GRANTER_ROLES),
      schema: {
        tags: ['staff'], summary: "The agency's content keys wrapped to its recovery recipient, by case id (§9.1)",
        querystring: z.object({ after: uuid.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: {
          200: z.object({ keys: z.array(z.object({ caseId: uuid, publicNumber: z.string(), wrapped: z.string() })) }),
          ...errors('validation_failed'),
        },
      },
    },
    async (request) => {
      const me = request.staff;
      const { after, limit } = request.query;
      const rows = await audited(app.db, async (trx) => {
        const page = await listRecoveryKeys(trx, me.agencyId, { ...(after ? { after: after.toLowerCase() } : {}), limit });
        return { result: page, audit: { agencyId: me.agencyId, staffId: me.id, action: 'recovery.keys', detail: { count: page.length } } };
      });
      return { keys: rows.map((r) => ({ caseId: r.caseId, publicNumber: r.publicNumber, wrapped: enc(r.wrapped) })) };
    },
  );

  app.post(
    '/v1/staff/cases/:caseId/recovery-grant',
    {
      preHandler: app.requireStaff(...GRANTER_ROLES),
      schema: {
        tags: ['staff'], summary: 'Re-grant a case recovered with the recovery key: a signed grant (§8.3.2, §9.1)',
        params: z.object({ caseId: uuid }),
        body: z.object({ staffId: uuid, wrapped: staffBytes, signature: staffBytes }),
        response: { 201: ok, ...errors('not_found', 'forbidden', 'validation_failed', 'crypto_failed', 'conflict') },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const caseId = request.params.caseId.toLowerCase();
      if (!(await hasRecoveryKey(app.db, me.agencyId, caseId))) return fail('not_found', 'no such case sealed to the recovery recipient');
      const recipient = await findStaff(app.db, request.body.staffId.toLowerCase());
      if (!recipient || !mayReceiveGrant(recipient, recipient.agencyId === me.agencyId)) return fail('forbidden', 'this staff member cannot receive the case');
      if (recipient.agencyId !== me.agencyId) return fail('forbidden', 'a recovered case is re-granted within its agency');
      await storeSignedGrant(app.db, me, { caseId, recipientId: recipient.id, recipientAgencyId: recipient.agencyId, wrapped: request.body.wrapped, signature: request.body.signature, detail: { transfer: false, recovery: true } });
      return reply.code(201).send({ ok: true as const });
    },
  );
};
export default recovery;
