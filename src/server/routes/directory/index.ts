import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAgencyNames } from '../../db/directory.js';

// The agencies by name, without keys: what a page needs to offer the choice. A bundle
// lists every member's public keys (with X-Wing, 1,216 bytes each), so the list of a
// country's inspectorates with their bundles (GET /v1/agencies) would cost a slow link
// minutes before the choice could be made; the page asks for that list after this one,
// while the person chooses and writes.

export const agencyName = z.object({
  agencyId: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  profile: z.string(),
});

const directory: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/directory',
    {
      schema: {
        tags: ['directory'],
        summary: 'List agencies by name, without their keys',
        response: { 200: z.object({ agencies: z.array(agencyName) }) },
      },
    },
    async () => ({ agencies: (await listAgencyNames(app.db)).map((a) => ({ agencyId: a.id, slug: a.slug, name: a.name, profile: a.profile })) }),
  );
};
export default directory;
