import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decisionDay, PROTECTION_DECIDER_ROLES, utcToDay } from '../../../domain/index.js';
import { protectionDecisionSigningBytes, verifyDetached } from '../../../protocol/index.js';
import { audited, auditOnly } from '../../db/audited.js';
import { custodiansOfSubject } from '../../db/identity.js';
import {
  decideProtection, findProtectionRequest, findProtectionRequestDetails, listProtectionRequests,
} from '../../db/workflow-protection.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { threshold } from '../../schemas.js';
import { summary, summaryView } from './protection-view.js';
import { bytesOf } from '../staff-schemas.js';
import { signatureCheck, signedNotice } from '../workflow-signatures.js';
import { sealedRecord, day, sealedNotice } from '../workflow-schemas.js';

// Protection decisions (Art. 51–52) are the head of agency's: grounded → protection
// decision, not grounded → written refusal with reasons; either way the denouncer gets
// a sealed notice. Both the decision (PROTOCOL.md §8.3, protection-decision) and the
// notice are signed by the deciding staff member. Intake officers and investigators cannot decide. The supervisor
// reads the sealed details only once m custodians release them (routes/staff/identity.ts,
// POST /v1/staff/protection/:protectionRequestId/details-requests); this route names those custodians.

const protection: FastifyPluginAsyncZod = async (app) => {
  const readers = app.requireStaff('supervisor', 'intake');
  const decider = app.requireStaff(...PROTECTION_DECIDER_ROLES);

  // Intake officers list them too, as they see every case of the agency: they record the
  // written confirmation of a request taken by phone or in person (protection-steps.ts).
  app.get('/v1/staff/protection', {
    preHandler: readers,
    schema: {
      tags: ['workflow'], summary: 'The agency\'s protection requests, or one case\'s',
      querystring: z.object({ status: z.enum(['pending', 'granted', 'refused']).optional(), caseId: z.uuid().optional() }),
      response: { 200: z.object({ requests: z.array(summary) }), ...errors('validation_failed') },
    },
  }, async (request) => {
    const { status, caseId } = request.query;
    return { requests: (await listProtectionRequests(app.db, { agencyId: request.staff.agencyId, ...(status ? { status } : {}), ...(caseId ? { caseId } : {}) })).map(summaryView) };
  });

  // An intake officer reads one request too: they record its written confirmation (protection-steps.ts).
  app.get('/v1/staff/protection/:protectionRequestId', {
    preHandler: readers,
    schema: {
      tags: ['workflow'], summary: 'One protection request and the custodians of its details', params: z.object({ protectionRequestId: z.uuid() }),
      response: {
        200: summary.extend({ agencyId: z.uuid(), hasDetails: z.boolean(), threshold, custodians: z.array(z.uuid()) }),
        ...errors('not_found'),
      },
    },
  }, async (request) => {
    const { staff } = request;
    const found = await findProtectionRequest(app.db, request.params.protectionRequestId);
    const details = found && await findProtectionRequestDetails(app.db, found.id);
    if (!found || !details || found.agencyId !== staff.agencyId) return fail('not_found', 'not found');
    const custodians = await custodiansOfSubject(app.db, { caseId: found.caseId, protectionRequestId: found.id });
    await auditOnly(app.db, { agencyId: staff.agencyId, staffId: staff.id, action: 'protection.view', caseId: found.caseId, detail: { requestId: found.id } });
    return { ...summaryView(found), agencyId: found.agencyId, hasDetails: details.hasDetails, threshold: details.threshold, custodians };
  });

  app.post('/v1/staff/protection/:protectionRequestId/decision', {
    preHandler: decider,
    schema: {
      tags: ['workflow'], summary: 'Grant or refuse protection (Art. 51–52), signed (§8.3.7), with a sealed notice', params: z.object({ protectionRequestId: z.uuid() }),
      body: z.object({ decision: z.enum(['granted', 'refused']), reason: sealedRecord, onDay: day.optional(), notice: sealedNotice, signature: sealedRecord }),
      response: { 200: summary, ...errors('not_found', 'bad_request', 'validation_failed', 'crypto_failed', 'conflict') },
    },
  }, async (request) => {
    const { staff, body } = request;
    const found = await findProtectionRequest(app.db, request.params.protectionRequestId);
    if (!found || found.agencyId !== staff.agencyId) return fail('not_found', 'not found');
    const onDay = decisionDay(body.onDay, utcToDay(Date.now()), found.requestedOn) ?? fail('bad_request', 'the decision day is out of range');
    const check = await signatureCheck(app.db, staff.id, body.signature);
    const reason = bytesOf(body.reason);
    const notice = signedNotice(check, found.caseId, body.notice);
    // Bound to this request and its case: kept for the audit entry once verified.
    const signedBytes = protectionDecisionSigningBytes({
      protectionRequestId: found.id, caseId: found.caseId, granted: body.decision === 'granted', onDay, reason,
      notice: { messageId: notice.messageId, ciphertext: notice.ciphertext },
    }, check.be);
    if (!check.signPublicKey || !verifyDetached(check.be, 'protection-decision', check.signature, signedBytes, check.signPublicKey)) {
      return fail('crypto_failed', 'the decision signature does not verify for this request, its case and the day');
    }
    await audited(app.db, async (trx) => {
      const decided = await decideProtection(trx, {
        id: found.id, caseId: found.caseId, decision: body.decision, decidedOn: onDay, decidedBy: staff.id, reason, notice, signature: check.signature,
      });
      if (!decided) return fail('conflict', 'this request has already been decided');
      return { result: null, audit: {
        agencyId: staff.agencyId, staffId: staff.id, action: `protection.${body.decision}`, caseId: found.caseId,
        detail: { requestId: found.id, onDay, urgent: found.urgent, late: onDay > found.dueOn },
        signed: { kind: 'protection-decision', signer: staff.id, bytes: signedBytes, signature: check.signature },
      } };
    });
    return summaryView({
      ...found, status: body.decision, decidedOn: onDay,
      decision: { by: staff.id, reason, noticeMessageId: notice.messageId, noticeDigest: notice.digest, signature: check.signature },
    });
  });
};
export default protection;
