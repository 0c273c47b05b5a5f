import type { FastifyPluginAsync } from 'fastify';
import attachments from './attachments.js';
import caseRoutes from './case.js';
import messages from './messages.js';
import workflow from './workflow.js';

// /v1/case: what the receipt holder does with their case — its status and sealed copy,
// the conversation, its files, the public timeline, withdrawal, a protection request and
// a retaliation report. Every route is a receipt route (plugins/receipt-auth.ts).
const caseArea: FastifyPluginAsync = async (app) => {
  await app.register(caseRoutes);
  await app.register(messages);
  await app.register(attachments);
  await app.register(workflow);
};
export default caseArea;
