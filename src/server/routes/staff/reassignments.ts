import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GRANTER_ROLES } from '../../../domain/index.js';
import { auditOnly } from '../../db/audited.js';
import { listReassignments } from '../../db/departure.js';
import { uuid } from '../staff-schemas.js';

// Cases whose only holder by a grant has left (db/departure.ts): intake sees them here
// and grants each again with the ordinary grant (routes/staff/grants.ts), which clears
// the flag. Metadata only, as the case list: no key, no content.

const reassignments: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/staff/reassignments', {
    preHandler: app.requireStaff(...GRANTER_ROLES),
    schema: {
      tags: ['staff'], summary: 'Cases to grant again: their only holder by a grant has left',
      response: { 200: z.object({ cases: z.array(z.object({ caseId: uuid, publicNumber: z.string(), departedId: uuid, flaggedOn: z.string() })) }) },
    },
  }, async (request) => {
    const me = request.staff;
    const cases = await listReassignments(app.db, me.agencyId);
    await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'case.reassignments', detail: { count: cases.length } });
    return { cases };
  });
};
export default reassignments;
