import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { protectionDueOn, rulesInForce, utcToDay } from '../../../domain/index.js';
import { fromBase64Url, loadBackend } from '../../../protocol/index.js';
import { uuidString } from '../../../protocol/bytes.js';
import { MESSAGE_BUCKETS, isBucket } from '../../../protocol/padding.js';
import { performTransition } from '../../db/workflow.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { caseStatus } from '../../db/cases.js';
import { publicCaseClock } from '../../db/workflow-queries.js';
import { insertProtectionRequest } from '../../db/workflow-protection.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { receiptCaseOf } from '../../plugins/receipt-auth.js';
import { acceptSubmission } from '../cases/accept-submission.js';
import { checkProtectionRequest, currentBundle } from '../cases/submission-checks.js';
import { perCustodian, recipientList, threshold } from '../../schemas.js';
import { sealedRecord, day, uuid } from '../workflow-schemas.js';

// The receipt holder's side of the workflow: the public timeline, withdrawal, a
// protection request (details sealed on their device), and a retaliation report —
// a new case linked to this one and flagged urgent (Art. 47.3, Directive 27-CT/TW).
// Days only: the server records the day of each act, never its time.

/** nonce(24) + tag(16) around a padded message (PROTOCOL.md §5). */
const MESSAGE_OVERHEAD = 40;

const timelineEntry = z.object({ on: day, event: z.string(), status: z.string().nullable(), deadline: day.nullable(), noticeMessageId: uuid.nullable() });
// A share as in a submission's identity block: to a custodian, named by their staff id.
const share = z.object({ staffId: uuid, wrapped: sealedRecord });

const denouncerWorkflow: FastifyPluginAsyncZod = async (app) => {
  const be = await loadBackend('sodium');
  const receipt = app.requireReceipt;

  app.get('/v1/case/timeline', {
    config: { receipt: 'read' },
    preHandler: receipt,
    schema: {
      tags: ['denouncer'], summary: 'Public steps of the case: day, state, deadline (no reasons)',
      response: { 200: z.object({ status: z.string(), due: day.nullable(), timeline: z.array(timelineEntry) }), ...errors('not_found') },
    },
  }, async (request) => {
    const kase = (await caseStatus(app.db, receiptCaseOf(request).id)) ?? fail('not_found', 'not found');
    return { status: kase.status, ...(await publicCaseClock(app.db, kase)) };
  });

  app.post('/v1/case/withdraw', {
    config: { receipt: 'create' },
    preHandler: receipt,
    schema: {
      tags: ['denouncer'], summary: 'Withdraw all or part of the denunciation, in writing (Art. 33; form 02)',
      body: z.object({
        scope: z.enum(['all', 'part']).describe('all: the whole denunciation; part: the part the letter names'),
        letter: sealedRecord.describe('letterId(16) || message ciphertext, from_denouncer (PROTOCOL.md §5.2)'),
      }),
      response: { 200: z.object({ status: z.string(), on: day, action: z.enum(['withdraw', 'withdraw_part']) }), ...errors('validation_failed', 'conflict', 'illegal_transition') },
    },
  }, async (request) => {
    const rc = receiptCaseOf(request);
    const letter = fromBase64Url(request.body.letter);
    // Lengths are checked before anything is stored: the letter is a message of the case, in its buckets.
    if (letter.length < 16 + MESSAGE_OVERHEAD || !isBucket(letter.length - 16 - MESSAGE_OVERHEAD, MESSAGE_BUCKETS)) {
      return fail('validation_failed', 'the letter is not letterId || a message ciphertext of a protocol size');
    }
    const letterId = uuidString(letter.subarray(0, 16));
    // A letter sent again (a retried request) is not a second withdrawal of the same part.
    if (await app.db.selectFrom('messages').select('id').where('id', '=', letterId).executeTakeFirst()) {
      return fail('conflict', 'this letter was already sent');
    }
    const on = utcToDay(Date.now());
    const action = request.body.scope === 'all' ? 'withdraw' as const : 'withdraw_part' as const;
    const outcome = await performTransition(app.db, {
      caseId: rc.id, action, onDay: on, actorId: null, roles: ['denouncer'], reason: letter, requireNotice: false,
      letter: { messageId: letterId, ciphertext: letter.subarray(16) },
    });
    if (!outcome.ok) {
      return fail('illegal_transition', action === 'withdraw' ? 'this case can no longer be withdrawn' : 'a part of this case can no longer be withdrawn');
    }
    return { status: outcome.result.snapshot.state, on, action };
  });

  app.post('/v1/case/protection', {
    config: { receipt: 'urgent' },
    preHandler: receipt,
    schema: {
      tags: ['denouncer'], summary: 'Ask for protection (Art. 50); details sealed to the custodians',
      body: z.object({
        protectionRequestId: uuid, urgent: z.boolean(), sealedDetails: sealedRecord, threshold, denouncerKey: sealedRecord,
        shares: perCustodian(share),
      }),
      response: { 201: z.object({ protectionRequestId: uuid, requestedOn: day, dueOn: day, urgent: z.boolean() }), ...errors('validation_failed', 'conflict', 'bundle_invalid', 'not_found') },
    },
  }, async (request, reply) => {
    const rc = receiptCaseOf(request);
    const b = request.body;
    const id = b.protectionRequestId.toLowerCase();
    const sealed = {
      id, agencyId: rc.agencyId, sealedDetails: fromBase64Url(b.sealedDetails), threshold: b.threshold, denouncerKey: fromBase64Url(b.denouncerKey),
      shares: b.shares.map((s) => ({ custodianId: s.staffId.toLowerCase(), wrapped: fromBase64Url(s.wrapped) })),
    };
    // Sealed to the agency's custodians at the agency's m, or a server (or client) could
    // lower the gate or hand a share to someone who is no custodian.
    const problem = checkProtectionRequest(sealed, (await currentBundle(app.db, be, rc.agencyId)).content);
    if (problem) return fail('validation_failed', problem);
    const { jurisdiction, calendar } = await agencyRules(app.db, rc.agencyId);
    const requestedOn = utcToDay(Date.now());
    const dueOn = protectionDueOn(rulesInForce(jurisdiction, requestedOn), requestedOn, b.urgent, calendar);
    const stored = await insertProtectionRequest(app.db, { ...sealed, caseId: rc.id, urgent: b.urgent, requestedOn, dueOn });
    if (!stored) return fail('conflict', 'this request id is taken');
    return reply.code(201).send({ protectionRequestId: id, requestedOn, dueOn, urgent: b.urgent });
  });

  app.post('/v1/case/retaliation', {
    config: { receipt: 'urgent' },
    preHandler: receipt,
    schema: {
      tags: ['denouncer'], summary: 'Report retaliation: a new urgent case linked to this one',
      body: z.object({
        caseId: uuid, bundleSerial: z.number().int().min(1), verifier: sealedRecord, envelope: sealedRecord, denouncerKey: sealedRecord,
        recipientKeys: recipientList(z.object({ staffId: uuid, wrapped: sealedRecord })),
        recoveryKey: sealedRecord.optional(),
      }),
      response: {
        201: z.object({ caseId: uuid, publicNumber: z.string(), receivedOn: day, parentCaseId: uuid }),
        ...errors('validation_failed', 'payload_too_large', 'submission_conflict', 'bundle_invalid', 'not_found'),
      },
    },
  }, async (request, reply) => {
    const parent = receiptCaseOf(request);
    const b = request.body;
    // The same path as any submission (accept-submission.ts), and the link stored in the same statement.
    const accepted = await acceptSubmission(app.db, {
      caseId: b.caseId.toLowerCase(), agencyId: parent.agencyId, kind: 'retaliation', parentCaseId: parent.id, sealedTo: b.bundleSerial,
      verifier: fromBase64Url(b.verifier), envelope: fromBase64Url(b.envelope), denouncerKey: fromBase64Url(b.denouncerKey),
      recipientKeys: b.recipientKeys.map((k) => ({ staffId: k.staffId.toLowerCase(), wrapped: fromBase64Url(k.wrapped) })),
      ...(b.recoveryKey !== undefined ? { recoveryKey: fromBase64Url(b.recoveryKey) } : {}),
    }, { maxEnvelopeBytes: app.config.maxBodyBytes });
    return reply.code(201).send({ caseId: accepted.caseId, publicNumber: accepted.publicNumber, receivedOn: accepted.receivedOn, parentCaseId: parent.id });
  });
};
export default denouncerWorkflow;
