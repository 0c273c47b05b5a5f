import type { FastifyInstance } from 'fastify';
import attachments from './attachments.js';
import audit from './audit.js';
import bundle from './bundle.js';
import cases from './cases.js';
import colleagues from './colleagues.js';
import enrol from './enrol.js';
import grants from './grants.js';
import holidays from './holidays.js';
import identity from './identity.js';
import intake from './intake.js';
import messages from './messages.js';
import oversight from './oversight.js';
import proposals from './proposals.js';
import protection from './protection.js';
import publications from './publications.js';
import recovery from './recovery.js';
import retention from './retention.js';
import session from './session.js';
import transitions from './transitions.js';

// /v1/staff: everything a staff member does after enrolment — casework, identity
// custody, the statutory workflow (transitions and proposals, deadlines and reports, the calendar,
// protection, publication, retention) and the audit log. Each file authorises its own
// routes with app.requireStaff and checks case access with db/case-access.ts.
export default async function staff(app: FastifyInstance): Promise<void> {
  await app.register(session);
  await app.register(enrol);
  await app.register(bundle);
  await app.register(audit);
  await app.register(cases);
  await app.register(intake);
  await app.register(colleagues);
  await app.register(grants);
  await app.register(recovery);
  await app.register(identity);
  await app.register(messages);
  await app.register(attachments);
  await app.register(transitions);
  await app.register(proposals);
  await app.register(oversight);
  await app.register(holidays);
  await app.register(protection);
  await app.register(publications);
  await app.register(retention);
}
