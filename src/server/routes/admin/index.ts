import type { FastifyInstance } from 'fastify';
import agencies from './agencies.js';
import bundles from './bundles.js';
import staff from './staff.js';

// /v1/admin: agencies, people and key bundles. Admins never reach a case from here.
export default async function admin(app: FastifyInstance): Promise<void> {
  await app.register(agencies);
  await app.register(staff);
  await app.register(bundles);
}
