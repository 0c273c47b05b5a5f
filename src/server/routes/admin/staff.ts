import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditOnly, audited } from '../../db/audited.js';
import { deactivateStaff, inviteStaff, listStaff, type StaffMember } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { enc, ok, role, staffName, uuid } from '../staff-schemas.js';

// Admins manage the people of their own agency. Nothing here touches a case.

const member = z.object({
  staffId: uuid,
  displayName: z.string(),
  roles: z.array(role),
  status: z.enum(['invited', 'active', 'deactivated']),
  signPublicKey: z.string().nullable(),
  boxPublicKey: z.string().nullable(),
});

function toJson(m: StaffMember): z.infer<typeof member> {
  return {
    staffId: m.id,
    displayName: m.displayName,
    roles: m.roles,
    status: m.status,
    signPublicKey: m.signPublicKey && enc(m.signPublicKey),
    boxPublicKey: m.boxPublicKey && enc(m.boxPublicKey),
  };
}

const staff: FastifyPluginAsyncZod = async (app) => {
  const admin = app.requireStaff('admin');

  app.post(
    '/v1/admin/staff',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'], summary: 'Invite a staff member: an enrolment code to hand over',
        body: z.object({ displayName: staffName, roles: z.array(role).min(1).max(6) }),
        response: { 201: z.object({ staffId: uuid, enrolmentCode: z.string(), expiresAt: z.string() }) },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const invited = await audited(app.db, async (trx) => {
        const result = await inviteStaff(trx, me.agencyId, request.body);
        return { result, audit: { agencyId: me.agencyId, staffId: me.id, action: 'staff.invite', detail: { invitee: result.staffId, roles: request.body.roles } } };
      });
      return reply.code(201).send({ staffId: invited.staffId, enrolmentCode: invited.enrolmentCode, expiresAt: invited.expiresAt.toISOString() });
    },
  );

  app.get('/v1/admin/staff', { preHandler: admin, schema: { tags: ['admin'], summary: 'The agency\'s staff and their public keys', response: { 200: z.object({ staff: z.array(member) }) } } }, async (request) => {
    const me = request.staff;
    const people = await listStaff(app.db, me.agencyId);
    await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'staff.list', detail: { count: people.length } });
    return { staff: people.map(toJson) };
  });

  app.post(
    '/v1/admin/staff/:staffId/deactivate',
    { preHandler: admin, schema: { tags: ['admin'], summary: 'Deactivate a staff member: their sessions end', params: z.object({ staffId: uuid }), response: { 200: ok, ...errors('not_found') } } },
    async (request) => {
      const me = request.staff;
      await audited(app.db, async (trx) => {
        if (!(await deactivateStaff(trx, me.agencyId, request.params.staffId))) return fail('not_found', 'no such staff member');
        return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'staff.deactivate', detail: { target: request.params.staffId } } };
      });
      return { ok: true as const };
    },
  );
};
export default staff;
