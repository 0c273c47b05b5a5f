import type { FastifyInstance } from 'fastify';
import admin from './admin/index.js';
import agencies from './agencies/index.js';
import directory from './directory/index.js';
import attachments from './attachments/index.js';
import caseArea from './case/index.js';
import cases from './cases/index.js';
import staffConsole from './console/index.js';
import docs from './docs/index.js';
import health from './health/index.js';
import pow from './pow/index.js';
import publications from './publications/index.js';
import staff from './staff/index.js';
import web from './web/index.js';

// Where every request enters: one encapsulated plugin per area, and the area's folder is
// its URL prefix (docs/ARCHITECTURE.md). Every route writes its full path, so a grep for
// a URL finds its file. Files at the top of routes/ hold shared schemas, no route.
export async function routes(app: FastifyInstance): Promise<void> {
  await app.register(health);
  await app.register(agencies);
  await app.register(directory);
  await app.register(pow);
  await app.register(cases);
  await app.register(caseArea);
  await app.register(attachments);
  await app.register(publications);
  await app.register(staff);
  await app.register(admin);
  await app.register(web);
  await app.register(staffConsole);
  await app.register(docs);
}
