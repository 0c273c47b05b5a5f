import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  decisionDay, NOTIFIED_STEPS, PROTECTION_STEP_ROLES, protectionStepGrounds, protectionStepProblem, protectionSteps, rulesInForce, utcToDay, type CaseState,
} from '../../../domain/index.js';
import { protectionStepSigningBytes, verifyDetached } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { insertProtectionStep } from '../../db/protection-steps.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { findProtectionRequest } from '../../db/workflow-protection.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { bytesOf } from '../staff-schemas.js';
import { signatureCheck, signedNotice } from '../workflow-signatures.js';
import { day, sealedNotice, sealedRecord } from '../workflow-schemas.js';
import { summary, summaryView } from './protection-view.js';

// POST /v1/staff/protection/:protectionRequestId/steps: what follows a protection decision
// (Law Art. 50(3), 54). The head of agency changes, adds or ends measures, each on its
// ground, and the protected person gets a signed notice (Art. 54(3)); an intake officer or
// the head records the written confirmation of an urgent request made by phone or in
// person. Each step is signed by its maker (PROTOCOL.md §8.3.13) over its place in the
// request's chain — the seq the server expects and the signature of the step before —
// verified here against the maker's registered key, written with its audit entry in one
// transaction. Which steps and grounds the rules in force admit is src/domain.

const protectionSteps_: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/staff/protection/:protectionRequestId/steps', {
    preHandler: app.requireStaff('supervisor', 'intake'),
    schema: {
      tags: ['workflow'],
      summary: 'Change, add or end an applied protection\'s measures (Art. 54), or record an urgent request\'s written confirmation (Art. 50(3)); signed (§8.3.13)',
      params: z.object({ protectionRequestId: z.uuid() }),
      body: z.object({
        step: z.enum(protectionSteps),
        ground: z.enum(protectionStepGrounds).optional().describe('the limb of Art. 54 the step rests on; none for a written confirmation'),
        onDay: day.optional(), record: sealedRecord.describe('the sealed record of the step'),
        notice: sealedNotice.optional().describe('the signed notice to the protected person; required to change, add or end'),
        signature: sealedRecord,
      }),
      response: { 200: summary, ...errors('not_found', 'forbidden', 'bad_request', 'validation_failed', 'crypto_failed', 'conflict', 'not_in_profile', 'notice_required') },
    },
  }, async (request) => {
    const { staff, body } = request;
    const found = await findProtectionRequest(app.db, request.params.protectionRequestId);
    if (!found || found.agencyId !== staff.agencyId) return fail('not_found', 'not found');
    if (!PROTECTION_STEP_ROLES[body.step].some((r) => (staff.roles as readonly string[]).includes(r))) return fail('forbidden', `${body.step} is for ${PROTECTION_STEP_ROLES[body.step].join(' or ')}`);
    const onDay = decisionDay(body.onDay, utcToDay(Date.now()), found.requestedOn) ?? fail('bad_request', 'the day is out of range');
    const { jurisdiction } = await agencyRules(app.db, staff.agencyId);
    const rules = rulesInForce(jurisdiction, onDay);
    const kase = await app.db.selectFrom('cases').select('status').where('id', '=', found.caseId).executeTakeFirstOrThrow();
    const last = found.steps.at(-1);
    const ground = body.ground ?? '';
    const problem = protectionStepProblem(rules, {
      status: found.status, decidedOn: found.decidedOn, channel: found.channel, ended: found.endedOn !== null, confirmed: found.confirmedOn !== null,
      lastStepOn: last?.onDay ?? null,
    }, { step: body.step, ground, onDay }, kase.status as CaseState);
    if (problem) return fail(rules.protection.steps?.some((r) => r.step === body.step) ? 'conflict' : 'not_in_profile', problem);
    if (NOTIFIED_STEPS.includes(body.step) && !body.notice) return fail('notice_required', 'the protected person is sent the decision (Art. 54(3))');
    const check = await signatureCheck(app.db, staff.id, body.signature);
    const record = bytesOf(body.record);
    const notice = body.notice ? signedNotice(check, found.caseId, body.notice) : null;
    const seq = (last?.seq ?? 0) + 1;
    const signedBytes = protectionStepSigningBytes({
      protectionRequestId: found.id, caseId: found.caseId, seq, previous: last?.signature ?? null, step: body.step, ground, onDay, record,
      notice: notice && { messageId: notice.messageId, ciphertext: notice.ciphertext },
    }, check.be);
    if (!check.signPublicKey || !verifyDetached(check.be, 'protection-step', check.signature, signedBytes, check.signPublicKey)) {
      return fail('crypto_failed', 'the step signature does not verify for this request, its place in the history and the day');
    }
    await audited(app.db, async (trx) => {
      const written = await insertProtectionStep(trx, {
        requestId: found.id, caseId: found.caseId, seq, step: body.step, ground, onDay, by: staff.id, record, signature: check.signature, notice,
      });
      if (!written) return fail('conflict', 'another step was recorded first: read the history again');
      return { result: null, audit: {
        agencyId: staff.agencyId, staffId: staff.id, action: `protection.${body.step}`, caseId: found.caseId,
        detail: { requestId: found.id, seq, onDay, ...(ground ? { ground } : {}) },
        signed: { kind: 'protection-step', signer: staff.id, bytes: signedBytes, signature: check.signature },
      } };
    });
    return summaryView((await findProtectionRequest(app.db, found.id))!);
  });
};
export default protectionSteps_;
