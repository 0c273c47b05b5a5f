import type { FastifyInstance } from 'fastify';
import health from './health/index.js';

// Where every request enters: one encapsulated plugin per area.
export async function routes(app: FastifyInstance): Promise<void> {
  await app.register(health);
}
