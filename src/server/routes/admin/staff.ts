import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditOnly, audited } from '../../db/audited.js';
import { departStaff } from '../../db/departure.js';
import { stagedRotations, type StagedRotation } from '../../db/rotation.js';
import { inviteStaff, listStaff, type StaffMember } from '../../db/staff.js';
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
  rotation: z.object({
    signPublicKey: z.string(), boxPublicKey: z.string(),
    oldSignature: z.string(), newSignature: z.string(), stagedOn: z.string(),
  }).nullable().describe('a staged key rotation (§7.1): the new keys, with the statement signed by the old key and by the new'),
});

function toJson(m: StaffMember, r: StagedRotation | undefined): z.infer<typeof member> {
  return {
    rotation: r ? {
      signPublicKey: enc(r.signPublicKey), boxPublicKey: enc(r.boxPublicKey), oldSignature: enc(r.oldSignature), newSignature: enc(r.newSignature), stagedOn: r.stagedOn,
    } : null,
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
    const rotations = await stagedRotations(app.db, people.map((p) => p.id));
    return { staff: people.map((p) => toJson(p, rotations.get(p.id))) };
  });

  app.post(
    '/v1/admin/staff/:staffId/deactivate',
    {
      preHandler: admin,
      schema: {
        tags: ['admin'], summary: 'Deactivate a staff member: their sessions end, their keys are deleted, their cases listed for reassignment',
        params: z.object({ staffId: uuid }),
        response: {
          200: z.object({
            ok: z.literal(true),
            reassign: z.array(uuid).describe('the cases they held by a grant'),
            flagged: z.array(uuid).describe('of those, the ones nobody else holds by a grant: flagged to intake to grant again'),
          }),
          ...errors('not_found'),
        },
      },
    },
    async (request) => {
      const me = request.staff;
      const target = request.params.staffId;
      const departed = await audited(app.db, async (trx) => {
        const result = (await departStaff(trx, me.agencyId, target)) ?? fail('not_found', 'no such staff member');
        return { result, audit: { agencyId: me.agencyId, staffId: me.id, action: 'staff.deactivate', detail: { target, reassign: result.reassign.length, flagged: result.flagged } } };
      });
      return { ok: true as const, ...departed };
    },
  );
};
export default staff;
