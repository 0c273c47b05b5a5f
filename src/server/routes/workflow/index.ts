import type { FastifyPluginAsync } from 'fastify';
import staffAuth from '../../plugins/staff-auth.js';
import receiptAuth from '../../plugins/receipt-auth.js';
import denouncer from './denouncer.js';
import calendar from './staff-calendar.js';
import oversight from './staff-oversight.js';
import protection from './staff-protection.js';
import publications from './staff-publications.js';
import publicPublications from './public-publications.js';
import retention from './staff-retention.js';
import transitions from './staff-transitions.js';

// The statutory workflow (src/domain): staff transitions, deadlines, reports,
// protection decisions, retention; and the denouncer's timeline and requests.
const workflow: FastifyPluginAsync = async (app) => {
  if (!app.hasDecorator('requireStaff')) await app.register(staffAuth);
  if (!app.hasDecorator('requireReceipt')) await app.register(receiptAuth);
  await app.register(transitions);
  await app.register(oversight);
  await app.register(calendar);
  await app.register(publications);
  await app.register(publicPublications);
  await app.register(protection);
  await app.register(retention);
  await app.register(denouncer);
};
export default workflow;
