import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GRANTER_ROLES, mayReceiveGrant } from '../../../domain/index.js';
import { audited } from '../../db/audited.js';
import { findCaseForStaff, wrappedKeyFor } from '../../db/case-access.js';
import { deleteGrant } from '../../db/grants.js';
import { findStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { staffBytes, ok, uuid } from '../staff-schemas.js';
import { storeSignedGrant } from './signed-grant.js';

// Assignment and transfer. The server cannot grant what it cannot read: an intake
// officer who holds the content key re-seals it to the assignee and signs the grant;
// the server checks who may receive it and that the signature is the granter's, and
// stores the signature with the key so the recipient's client can check it too.

const grants: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/staff/cases/:caseId/grants',
    {
      preHandler: app.requireStaff(...GRANTER_ROLES),
      schema: {
        tags: ['staff'], summary: 'Grant the case: its content key re-sealed to a colleague, signed (§8.3.2)',
        params: z.object({ caseId: uuid }),
        body: z.object({ staffId: uuid, wrapped: staffBytes, signature: staffBytes }),
        response: { 201: ok, ...errors('not_found', 'forbidden', 'validation_failed', 'crypto_failed', 'conflict') },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const { caseId } = request.params;
      const found = await findCaseForStaff(app.db, me, caseId);
      if (!found || !(await wrappedKeyFor(app.db, me.id, caseId))) return fail('not_found', 'no such case');
      const recipient = await findStaff(app.db, request.body.staffId);
      const sameAgency = recipient?.agencyId === found.agency_id;
      if (!recipient || !mayReceiveGrant(recipient, sameAgency)) return fail('forbidden', 'this staff member cannot receive the case');
      await storeSignedGrant(app.db, me, { caseId, recipientId: recipient.id, recipientAgencyId: recipient.agencyId, wrapped: request.body.wrapped, signature: request.body.signature, detail: { transfer: !sameAgency } });
      return reply.code(201).send({ ok: true as const });
    },
  );

  app.delete(
    '/v1/staff/cases/:caseId/grants/:staffId',
    {
      preHandler: app.requireStaff(...GRANTER_ROLES),
      schema: { tags: ['staff'], summary: 'Revoke a colleague\'s grant', params: z.object({ caseId: uuid, staffId: uuid }), response: { 200: ok, ...errors('not_found') } },
    },
    async (request) => {
      const me = request.staff;
      const { caseId, staffId } = request.params;
      const found = await findCaseForStaff(app.db, me, caseId);
      if (!found || found.agency_id !== me.agencyId) return fail('not_found', 'no such case');
      await audited(app.db, async (trx) => {
        if (!(await deleteGrant(trx, caseId, staffId))) return fail('not_found', 'no such grant');
        return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'case.revoke', caseId, detail: { recipient: staffId } } };
      });
      return { ok: true as const };
    },
  );
};
export default grants;
