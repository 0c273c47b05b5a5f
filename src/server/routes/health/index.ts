import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const status = z.object({ status: z.enum(['ok', 'unavailable']) });

// Never rate-limited: a load balancer that gets 429 from a probe takes a healthy instance out.
const health: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { config: { budget: 'none' }, schema: { tags: ['ops'], summary: 'Liveness: the process answers', response: { 200: status } } }, async () => ({ status: 'ok' as const }));

  // Ready only while the database answers, so a load balancer routes around an outage
  // and the process recovers by itself when the database is back.
  app.get('/readyz', { config: { budget: 'none' }, schema: { tags: ['ops'], summary: 'Readiness: the database answers', response: { 200: status.describe('the database answers'), 503: status.describe('the database does not answer') } } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(app.db);
      return { status: 'ok' as const };
    } catch {
      return reply.code(503).send({ status: 'unavailable' as const });
    }
  });
};
export default health;
