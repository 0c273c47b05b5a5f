import type { FastifyPluginAsync } from 'fastify';
import submit from './submit.js';

// /v1/cases: a sealed case arrives from a denouncer's device (accept-submission.ts is the
// one path every submission takes, the retaliation report in routes/case/ included).
const cases: FastifyPluginAsync = async (app) => {
  await app.register(submit);
};
export default cases;
