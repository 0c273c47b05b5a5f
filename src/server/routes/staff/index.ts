import type { FastifyInstance } from 'fastify';
import audit from './audit.js';
import bundle from './bundle.js';
import cases from './cases.js';
import colleagues from './colleagues.js';
import enrol from './enrol.js';
import grants from './grants.js';
import identity from './identity.js';
import messages from './messages.js';
import session from './session.js';

// /v1/staff: everything a staff member does after enrolment. Each file authorises its
// own routes with app.requireStaff and checks case access with db/case-access.ts.
export default async function staff(app: FastifyInstance): Promise<void> {
  await app.register(session);
  await app.register(enrol);
  await app.register(bundle);
  await app.register(audit);
  await app.register(cases);
  await app.register(colleagues);
  await app.register(grants);
  await app.register(identity);
  await app.register(messages);
}
