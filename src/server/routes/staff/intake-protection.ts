import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { protectionDueOn, protectionIntakeChannels, rulesInForce, utcToDay } from '../../../domain/index.js';
import { fromBase64Url, loadBackend } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { insertProtectionRequest } from '../../db/workflow-protection.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { perCustodian, threshold } from '../../schemas.js';
import { checkProtectionRequest, currentBundle } from '../cases/submission-checks.js';
import { day, sealedRecord, uuid } from '../workflow-schemas.js';

// POST /v1/staff/intake/protection: an urgent protection request made by phone or in
// person (Law Art. 50(3)), recorded by an intake officer for a case of their agency. The
// details are sealed on the officer's machine as protection details (PROTOCOL.md §6.1)
// to the custodians, with no denouncer copy (§5.4), and stored by the one path the
// denouncer's own request takes (db/workflow-protection.ts): urgent, on the urgent clock.
// The channel is kept beside the request for the reports, and the officer who recorded
// it in the audit log, in the same transaction. The written confirmation the law asks
// for later comes as any letter does.

const share = z.object({ staffId: uuid, wrapped: sealedRecord });

const intakeProtection: FastifyPluginAsyncZod = async (app) => {
  const be = await loadBackend('sodium');
  app.post('/v1/staff/intake/protection', {
    preHandler: app.requireStaff('intake'),
    schema: {
      tags: ['staff'],
      summary: 'Record an urgent protection request made by phone or in person (Art. 50(3)); details sealed on the officer\'s machine (PROTOCOL §5.4)',
      body: z.object({
        caseId: uuid.describe('the case of the agency the request is about'),
        protectionRequestId: uuid, channel: z.enum(protectionIntakeChannels).describe('how the request reached the agency'),
        sealedDetails: sealedRecord, threshold, shares: perCustodian(share),
      }),
      response: {
        201: z.object({ protectionRequestId: uuid, caseId: uuid, requestedOn: day, dueOn: day, urgent: z.literal(true), channel: z.enum(protectionIntakeChannels) }),
        ...errors('validation_failed', 'conflict', 'bundle_invalid', 'not_found', 'forbidden'),
      },
    },
  }, async (request, reply) => {
    const me = request.staff;
    const b = request.body;
    const caseId = b.caseId.toLowerCase();
    const kase = await app.db.selectFrom('cases').select(['id', 'agency_id']).where('id', '=', caseId).executeTakeFirst();
    // Another agency's case answers as a missing one.
    if (!kase || kase.agency_id !== me.agencyId) return fail('not_found', 'not found');
    const id = b.protectionRequestId.toLowerCase();
    const sealed = {
      id, agencyId: me.agencyId, sealedDetails: fromBase64Url(b.sealedDetails), threshold: b.threshold, denouncerKey: null,
      shares: b.shares.map((s) => ({ custodianId: s.staffId.toLowerCase(), wrapped: fromBase64Url(s.wrapped) })),
    };
    const problem = checkProtectionRequest(sealed, (await currentBundle(app.db, be, me.agencyId)).content);
    if (problem) return fail('validation_failed', problem);
    const { jurisdiction, calendar } = await agencyRules(app.db, me.agencyId);
    const requestedOn = utcToDay(Date.now());
    // Art. 50(3) admits phone and in person only for urgent requests: always the urgent clock.
    const dueOn = protectionDueOn(rulesInForce(jurisdiction, requestedOn), requestedOn, true, calendar);
    await audited(app.db, async (trx) => {
      if (!await insertProtectionRequest(trx, { ...sealed, caseId, urgent: true, requestedOn, dueOn })) return fail('conflict', 'this request id is taken');
      await trx.insertInto('protection_channels').values({ request_id: id, channel: b.channel }).execute();
      return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'protection.intake', caseId, detail: { requestId: id, channel: b.channel } } };
    });
    return reply.code(201).send({ protectionRequestId: id, caseId, requestedOn, dueOn, urgent: true as const, channel: b.channel });
  });
};
export default intakeProtection;
