import type { FastifyInstance } from 'fastify';
import pow from '../plugins/pow.js';
import receiptAuth from '../plugins/receipt-auth.js';
import health from './health/index.js';

// Where every request enters: one encapsulated plugin per area.
export async function routes(app: FastifyInstance): Promise<void> {
  await app.register(pow);
  await app.register(receiptAuth);
  await app.register(health);
}
