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
import intakeProtection from './intake-protection.js';
import messages from './messages.js';
import notifications from './notifications.js';
import oversight from './oversight.js';
import proposals from './proposals.js';
import protection from './protection.js';
import protectionSteps from './protection-steps.js';
import publications from './publications.js';
import recovery from './recovery.js';
import reshareSides from './reshares.js';
import resharePlan from './reshare-plan.js';
import retention from './retention.js';
import reassignments from './reassignments.js';
import rotation from './rotation.js';
import session from './session.js';
import transitions from './transitions.js';

// /v1/staff: everything a staff member does after enrolment — casework, identity
// custody, the statutory workflow (transitions and proposals, deadlines and reports, the calendar,
// protection, publication, retention), custodian turnover (reshares), the recovery drill, the audit log and one's own notifications. Each file authorises its own
// routes with app.requireStaff and checks case access with db/case-access.ts.
export default async function staff(app: FastifyInstance): Promise<void> {
  await app.register(session);
  await app.register(enrol);
  await app.register(bundle);
  await app.register(audit);
  await app.register(cases);
  await app.register(intake);
  await app.register(intakeProtection);
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
  await app.register(protectionSteps);
  await app.register(publications);
  await app.register(retention);
  await app.register(notifications);
  await app.register(resharePlan);
  await app.register(reshareSides);
  await app.register(rotation);
  await app.register(reassignments);
}
