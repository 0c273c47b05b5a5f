import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { confirmationDueOn, protectionDueOn, protectionIntakeChannels, rulesInForce, utcToDay } from '../../../domain/index.js';
import { fromBase64Url, loadBackend, protectionIntakeSigningBytes, verifyDetached } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { insertProtectionRequest } from '../../db/workflow-protection.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { perCustodian, threshold } from '../../schemas.js';
import { checkProtectionRequest, currentBundle } from '../cases/submission-checks.js';
import { day, sealedRecord, uuid } from '../workflow-schemas.js';
import { signatureCheck } from '../workflow-signatures.js';

// POST /v1/staff/intake/protection: an urgent protection request made by phone or in
// person (Law Art. 50(3)), recorded by an intake officer for a case of their agency. The
// details are sealed on the officer's machine as protection details (PROTOCOL.md §6.1)
// to the custodians, with no denouncer copy (§5.4), and stored by the one path the
// denouncer's own request takes (db/workflow-protection.ts): urgent, on the urgent clock.
// The record is signed by the officer who made it (§8.3.14) and kept beside the request
// with its channel, for the reports and for clients to check, with the audit entry in the
// same transaction. The written confirmation the law asks for afterwards is owed by the
// day the rules give (a duty on the deadlines board) and recorded as a signed step
// (routes/staff/protection-steps.ts).

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
        recordedOn: day.describe('the day the officer recorded it: today'),
        signature: sealedRecord.describe('the officer\'s signature over the record (PROTOCOL §8.3.14)'),
      }),
      response: {
        201: z.object({
          protectionRequestId: uuid, caseId: uuid, requestedOn: day, dueOn: day, urgent: z.literal(true), channel: z.enum(protectionIntakeChannels),
          confirmDueOn: day.nullable().describe('when the written confirmation is owed (Art. 50(3); an agency default, the law sets no period)'),
        }),
        ...errors('validation_failed', 'conflict', 'bundle_invalid', 'not_found', 'forbidden', 'bad_request', 'crypto_failed'),
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
    if (b.recordedOn !== requestedOn) return fail('bad_request', 'the record is dated another day than today');
    // The record is the officer's, not the server's: signed over the request, its case, the
    // channel, the day and the sealed details (§8.3.14), against the key they enrolled.
    const check = await signatureCheck(app.db, me.id, b.signature);
    const signedBytes = protectionIntakeSigningBytes({ protectionRequestId: id, caseId, channel: b.channel, onDay: requestedOn, threshold: b.threshold, details: sealed.sealedDetails }, check.be);
    if (!check.signPublicKey || !verifyDetached(check.be, 'protection-intake', check.signature, signedBytes, check.signPublicKey)) {
      return fail('crypto_failed', 'the record signature does not verify for this request, its case, channel, day and details');
    }
    const rules = rulesInForce(jurisdiction, requestedOn);
    // Art. 50(3) admits phone and in person only for urgent requests: always the urgent clock.
    const dueOn = protectionDueOn(rules, requestedOn, true, calendar);
    const confirmDueOn = confirmationDueOn(rules, requestedOn, calendar);
    await audited(app.db, async (trx) => {
      if (!await insertProtectionRequest(trx, { ...sealed, caseId, urgent: true, requestedOn, dueOn })) return fail('conflict', 'this request id is taken');
      await trx.insertInto('protection_channels').values({
        request_id: id, channel: b.channel, recorded_by: me.id, details_digest: check.be.blake2b(32, sealed.sealedDetails), record_signature: check.signature,
        confirm_due_on: confirmDueOn,
      }).execute();
      return { result: null, audit: {
        agencyId: me.agencyId, staffId: me.id, action: 'protection.intake', caseId, detail: { requestId: id, channel: b.channel },
        signed: { kind: 'protection-intake', signer: me.id, bytes: signedBytes, signature: check.signature },
      } };
    });
    return reply.code(201).send({ protectionRequestId: id, caseId, requestedOn, dueOn, urgent: true as const, channel: b.channel, confirmDueOn });
  });
};
export default intakeProtection;
