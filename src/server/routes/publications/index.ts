import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listPublished } from '../../db/workflow-publications.js';
import { day } from '../workflow-schemas.js';

// The public notice board of conclusions (Decree 31/2019 Art. 6): no session, under the
// global rate limit like every anonymous route. Only what the supervisor wrote for the
// public, the case's public number, the agency and the day it went up.

const publicSummary = z.object({
  publicNumber: z.string(), agency: z.object({ slug: z.string(), name: z.string() }), publishedOn: day, summary: z.string(),
});

const publicPublications: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/publications', {
    schema: {
      tags: ['directory'], summary: 'Conclusions currently published (public, no sign-in)',
      querystring: z.object({
        agency: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/).optional().describe('agency slug'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).max(100_000).default(0),
      }),
      response: { 200: z.object({ publications: z.array(publicSummary) }) },
    },
  }, async (request) => ({
    publications: await listPublished(app.db, { agencySlug: request.query.agency, limit: request.query.limit, offset: request.query.offset }),
  }));
};
export default publicPublications;
