import type { FastifyInstance } from 'fastify';
import admin from './admin/index.js';
import staffConsole from './console/index.js';
import denouncer from './denouncer/index.js';
import directory from './directory/index.js';
import docs from './docs/index.js';
import health from './health/index.js';
import staff from './staff/index.js';
import web from './web/index.js';
import workflow from './workflow/index.js';

// Where every request enters: one encapsulated plugin per area.
export async function routes(app: FastifyInstance): Promise<void> {
  await app.register(health);
  await app.register(directory);
  await app.register(denouncer);
  await app.register(staff, { prefix: '/v1/staff' });
  await app.register(admin, { prefix: '/v1/admin' });
  await app.register(web);
  await app.register(staffConsole);
  await app.register(workflow);
  await app.register(docs);
}
