import { z } from 'zod';
import { jurisdictions } from '../../../domain/index.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { consumeBootstrapCode, insertAgency, slugTaken } from '../../db/agencies.js';
import { audited } from '../../db/audited.js';
import { inviteStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { text } from '../../schemas.js';
import { staffBytes, staffName, bytesOf, uuid } from '../staff-schemas.js';

// Creating an agency needs the one-time bootstrap code (db/agencies.ts): the server
// receives only the agency's public signing key; the private key never leaves the
// admin's machine. The first admin is invited in the same transaction.

const agencies: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/admin/agencies',
    {
      schema: {
        tags: ['admin'], summary: 'Create an agency with the one-time bootstrap code, and invite its first admin',
        body: z.object({
          bootstrapCode: text(200, { min: 8 }),
          slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/).meta({ examples: ['thanh-tra-ha-noi'] }),
          name: text(200, { min: 1 }),
          /** The jurisdiction whose rules the agency follows (src/domain/profiles); VN by default. */
          profile: z.enum(Object.keys(jurisdictions) as [string, ...string[]]).optional(),
          signingPublicKey: staffBytes,
          admin: z.object({ displayName: staffName }),
        }),
        response: { 201: z.object({ agencyId: uuid, admin: z.object({ staffId: uuid, enrolmentCode: z.string(), expiresAt: z.string() }) }), ...errors('validation_failed', 'unauthorized', 'conflict') },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const signingPublicKey = bytesOf(body.signingPublicKey, 32);
      const created = await audited(app.db, async (trx) => {
        if (!(await consumeBootstrapCode(trx, body.bootstrapCode))) return fail('unauthorized', 'bootstrap code refused');
        if (await slugTaken(trx, body.slug)) return fail('conflict', 'an agency with this slug exists');
        const agencyId = await insertAgency(trx, { slug: body.slug, name: body.name, signingPublicKey, profile: body.profile });
        const admin = await inviteStaff(trx, agencyId, { displayName: body.admin.displayName, roles: ['admin'] });
        return { result: { agencyId, admin }, audit: { agencyId, staffId: null, action: 'agency.create', detail: { slug: body.slug, adminId: admin.staffId } } };
      });
      const { admin } = created;
      return reply.code(201).send({
        agencyId: created.agencyId,
        admin: { staffId: admin.staffId, enrolmentCode: admin.enrolmentCode, expiresAt: admin.expiresAt.toISOString() },
      });
    },
  );
};
export default agencies;
