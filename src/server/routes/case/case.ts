import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toBase64Url } from '../../../protocol/index.js';
import { denouncerKeys, receiptStatusByVerifier } from '../../db/cases.js';
import { clockOfTimeline } from '../../db/workflow-queries.js';
import { fail } from '../../errors.js';
import { receiptCaseOf } from '../../plugins/receipt-auth.js';
import { writtenFast } from '../../plugins/response-serializer.js';
import { bytes, day, uuid, wrappedKey } from '../../schemas.js';

// What the receipt holder can read about their case: its public status, and their own
// sealed copy (envelope + the content key wrapped to the receipt's reply key).

/** One public step of the case (statuses, deadlines); rows come from the workflow. */
const timelineEntry = z.object({
  on: day,
  event: z.string(),
  status: z.string().nullable(),
  deadline: day.nullable(),
  noticeMessageId: uuid.nullable(),
});

// The busiest anonymous answer: written without zod's per-value checks (response-serializer.ts).
const status = writtenFast(z.object({
  caseId: uuid,
  publicNumber: z.string(),
  kind: z.string(),
  status: z.string(),
  receivedOn: day,
  /** The deadline now running (null while the clock is stopped or the case is over). */
  due: day.nullable(),
  hasIdentity: z.boolean(),
  agency: z.object({ agencyId: uuid, slug: z.string(), name: z.string() }),
  timeline: z.array(timelineEntry),
}));

const sealed = z.object({
  caseId: uuid,
  agencyId: uuid,
  envelope: bytes(16 * 1024 * 1024),
  denouncerKey: wrappedKey(),
  identity: z.object({ block: bytes(256 * 1024), denouncerKey: wrappedKey() }).nullable(),
});

const caseRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/case',
    {
      // A receipt route (a proof of work and the receipt's budgets: plugins/pow.ts).
      // The receipt is opened in the handler, with the status in the same look-up.
      config: { receipt: 'read' },
      schema: {
        tags: ['denouncer'],
        summary: 'Status of the case the receipt opens (needs Tipline-PoW, as every receipt route)',
        response: { 200: status },
      },
    },
    async (request) => {
      const c = await app.openReceipt(request, receiptStatusByVerifier);
      const clock = await clockOfTimeline(app.db, c, c.timeline);
      return {
        caseId: c.id,
        publicNumber: c.publicNumber,
        kind: c.kind,
        status: c.status,
        receivedOn: c.receivedOn,
        hasIdentity: c.hasIdentity,
        agency: { agencyId: c.agencyId, slug: c.agencySlug, name: c.agencyName },
        due: clock.due,
        timeline: clock.timeline,
      };
    },
  );

  app.get(
    '/v1/case/sealed',
    {
      config: { receipt: 'read' },
      preHandler: app.requireReceipt,
      schema: {
        tags: ['denouncer'],
        summary: "The denouncer's sealed copy of the case and its wrapped keys",
        response: { 200: sealed },
      },
    },
    async (request) => {
      const c = receiptCaseOf(request);
      const k = (await denouncerKeys(app.db, c.id)) ?? fail('not_found', 'not found');
      return {
        caseId: c.id,
        agencyId: c.agencyId,
        envelope: toBase64Url(k.envelope),
        denouncerKey: toBase64Url(k.denouncerKey),
        identity: k.identity && { block: toBase64Url(k.identity.block), denouncerKey: toBase64Url(k.identity.denouncerKey) },
      };
    },
  );
};
export default caseRoutes;
