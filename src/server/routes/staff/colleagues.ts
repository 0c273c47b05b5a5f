import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listStaff } from '../../db/staff.js';
import { role, uuid } from '../staff-schemas.js';

// The names of one's own agency's active staff, so that clients show people by name
// (assignees, authors of replies) rather than by id. Names only: the keys a client uses
// come from the agency's signed bundle, never from this list.

const colleagues: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/staff/colleagues',
    {
      preHandler: app.requireStaff(),
      schema: {
        tags: ['staff'], summary: 'Names of one\'s own agency\'s active staff (keys come from the signed bundle only)',
        response: { 200: z.object({ staff: z.array(z.object({ staffId: uuid, displayName: z.string(), roles: z.array(role) })) }) },
      },
    },
    async (request) => {
      const members = await listStaff(app.db, request.staff.agencyId);
      return { staff: members.filter((m) => m.status === 'active').map((m) => ({ staffId: m.id, displayName: m.displayName, roles: m.roles })) };
    },
  );
};
export default colleagues;
