import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { intakeChannels } from '../../../domain/index.js';
import { audited } from '../../db/audited.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { acceptSubmission } from '../cases/accept-submission.js';
import { acceptedCase, decodeSubmission, submissionBody } from '../cases/submit.js';

// POST /v1/staff/intake: a denunciation received in person or by letter (Law Art. 22),
// sealed on the intake officer's machine exactly as a denouncer's page seals one — a
// receipt made there and handed to the person on a printed slip, the content sealed to
// the agency's intake officers, the identity block to its custodians — and accepted the
// one way every submission is (accept-submission.ts). The officer's session stands in
// for the proof of work; the channel is kept beside the case for the reports, and the
// officer who recorded it in the audit log, in the same transaction as the channel.
// The files (the signed record, the scanned letter) follow through the receipt routes.

const intake: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/staff/intake',
    {
      bodyLimit: Math.ceil((app.config.maxBodyBytes * 4) / 3) + 256 * 1024,
      preHandler: app.requireStaff('intake'),
      schema: {
        tags: ['staff'],
        summary: 'Record a denunciation received in person or by letter, sealed on the officer\'s machine (PROTOCOL §5.3)',
        body: submissionBody.extend({ channel: z.enum(intakeChannels).describe('how it reached the agency') }),
        response: {
          200: acceptedCase('this case id was already recorded with these same bytes: the stored receipt again'),
          201: acceptedCase('the case is stored'),
          ...errors('validation_failed', 'payload_too_large', 'submission_conflict', 'bundle_invalid', 'not_found', 'forbidden'),
        },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const { channel, ...sealed } = request.body;
      if (sealed.agencyId.toLowerCase() !== me.agencyId) return fail('forbidden', 'an intake officer records cases for their own agency');
      const result = await acceptSubmission(app.db, decodeSubmission(sealed), { maxEnvelopeBytes: app.config.maxBodyBytes });
      // A retry after a lost answer is 'replayed': the channel and the audit row are written once.
      await audited(app.db, async (trx) => {
        const row = await trx.insertInto('case_channels').values({ case_id: result.caseId, channel })
          .onConflict((oc) => oc.column('case_id').doNothing()).returning('case_id').executeTakeFirst();
        return {
          result: null,
          audit: row ? { agencyId: me.agencyId, staffId: me.id, action: 'case.intake', caseId: result.caseId, detail: { channel } } : null,
        };
      });
      return reply
        .code(result.outcome === 'created' ? 201 : 200)
        .send({ caseId: result.caseId, publicNumber: result.publicNumber, receivedOn: result.receivedOn });
    },
  );
};
export default intake;
