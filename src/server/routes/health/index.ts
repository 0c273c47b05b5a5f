import { sql } from 'kysely';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const status = z.object({ status: z.enum(['ok', 'unavailable']) });

const health: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { tags: ['ops'], response: { 200: status } } }, async () => ({ status: 'ok' as const }));

  // Ready only while the database answers, so a load balancer routes around an outage
  // and the process recovers by itself when the database is back.
  app.get('/readyz', { schema: { tags: ['ops'], response: { 200: status, 503: status } } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(app.db);
      return { status: 'ok' as const };
    } catch {
      return reply.code(503).send({ status: 'unavailable' as const });
    }
  });
};
export default health;
