import type { FastifyPluginAsync } from 'fastify';
import attachments from './attachments.js';
import caseRoutes from './case.js';
import messages from './messages.js';
import pow from './pow.js';
import submit from './submit.js';

// The denouncer's API: anonymous (proof of work) and receipt-authenticated routes.
const denouncer: FastifyPluginAsync = async (app) => {
  await app.register(pow);
  await app.register(submit);
  await app.register(caseRoutes);
  await app.register(messages);
  await app.register(attachments);
};
export default denouncer;
