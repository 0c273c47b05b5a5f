import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  actions, CASEWORK_ROLES, complexities, decisionDay, findings, mayAnswerProposal, proposalRefusal, replay, rulesFor, utcToDay,
} from '../../../domain/index.js';
import { proposalSigningBytes, toBase64Url, verifyDetached, type SignedProposal } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { declineProposal, insertProposal, listProposals, openProposal } from '../../db/proposals.js';
import { caseInReach, workflowRolesOn } from '../../db/workflow-access.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { loadEvents } from '../../db/workflow.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { bytesOf } from '../staff-schemas.js';
import { signatureCheck, type SignatureCheck } from '../workflow-signatures.js';
import { caseIdParams, day, refusalCode, sealedRecord, uuid } from '../workflow-schemas.js';

// The intake officer and the verification team prepare, the head of agency decides
// (LEGAL.md "Who decides"): a step the rule set marks as proposed (`proposedBy`) is
// proposed by those roles, sealed under the case key and signed (PROTOCOL.md §8.3.8); the
// head takes it as the transition itself (db/workflow.ts answers the proposal in the same
// transaction) or declines it with a sealed, signed reason. The rule is
// src/domain/proposals.ts, applied with the rules in force on the proposal's day.

const extension = z.object({ complexity: z.enum(complexities), days: z.number().int().min(1).max(366) });

const proposalBody = z.object({
  proposalId: uuid,
  action: z.enum(actions),
  /** The proposal's day; defaults to today and may not be in the future. */
  onDay: day.optional(),
  /** The reasoning, sealed under the case key as a transition's reason is. */
  body: sealedRecord,
  finding: z.enum(findings).optional(),
  extension: extension.optional(),
  signature: sealedRecord,
});

const declineBody = z.object({ onDay: day.optional(), reason: sealedRecord, signature: sealedRecord });

const proposalView = z.object({
  proposalId: uuid, caseId: uuid, action: z.enum(actions), proposedBy: uuid, proposedOn: day,
  body: z.string(), finding: z.enum(findings).nullable(), extension: extension.nullable(), signature: z.string(),
  status: z.enum(['open', 'taken', 'declined', 'superseded']),
  answeredBy: uuid.nullable(), answeredOn: day.nullable(),
  /** The transition that took the decision (status taken). */
  answeredSeq: z.number().int().nullable(),
  /** The decline's sealed reason and its signature (status declined). */
  answerBody: z.string().nullable(), answerSignature: z.string().nullable(),
});

const b64OrNull = (bytes: Uint8Array | null) => (bytes ? toBase64Url(bytes) : null);

/** The signed bytes of a proposal or decline, refused (422) unless the actor's enrolled key signed them. */
function verifiedProposal(check: SignatureCheck, signed: SignedProposal): Uint8Array {
  const bytes = proposalSigningBytes(signed, check.be);
  if (!check.signPublicKey || !verifyDetached(check.be, 'proposal', check.signature, bytes, check.signPublicKey)) {
    return fail('crypto_failed', 'the proposal signature does not verify for this case, the proposal, its day and its sealed text');
  }
  return bytes;
}

const proposals: FastifyPluginAsyncZod = async (app) => {
  const casework = app.requireStaff(...CASEWORK_ROLES);

  app.post('/v1/staff/cases/:caseId/proposals', {
    preHandler: casework,
    schema: {
      tags: ['workflow'], summary: 'Propose to the head of agency that the case be extended or concluded, signed (§8.3.8)', params: caseIdParams, body: proposalBody,
      response: {
        201: z.object({ proposalId: uuid, caseId: uuid, action: z.enum(actions), proposedOn: day, supersedes: uuid.nullable() }),
        ...errors('not_found', 'bad_request', 'validation_failed', 'crypto_failed', 'illegal_transition', 'extension_refused', 'forbidden', 'conflict'),
      },
    },
  }, async (request, reply) => {
    const { staff } = request;
    // Stored and signed in lower case, as the decline route looks it up.
    const body = { ...request.body, proposalId: request.body.proposalId.toLowerCase() };
    const kase = await caseInReach(app.db, staff, request.params.caseId);
    const onDay = decisionDay(body.onDay, utcToDay(Date.now())) ?? fail('bad_request', 'a proposal cannot be dated in the future');
    const roles = await workflowRolesOn(app.db, staff, kase);
    const { jurisdiction, calendar } = await agencyRules(app.db, kase.agency_id);
    const snap = replay(jurisdiction, { receivedOn: kase.received_on, events: await loadEvents(app.db, kase.id) }, calendar);
    const profile = rulesFor(jurisdiction, kase.received_on, onDay);
    const event = {
      action: body.action, onDay,
      ...(body.finding ? { finding: body.finding } : {}),
      ...(body.extension ? { extension: { complexity: body.extension.complexity, amount: body.extension.days } } : {}),
    };
    const refusal = proposalRefusal(profile, snap, event, roles, kase.received_on, calendar);
    if (refusal) return fail(refusalCode[refusal.error], refusal.message);
    const check = await signatureCheck(app.db, staff.id, body.signature);
    const sealed = bytesOf(body.body);
    const signed = verifiedProposal(check, {
      caseId: kase.id, proposalId: body.proposalId, action: body.action, onDay, body: sealed,
      finding: body.finding ?? null, extension: body.extension ?? null,
    });
    const taken = await app.db.selectFrom('case_proposals').select('id').where('id', '=', body.proposalId).executeTakeFirst();
    if (taken) return fail('conflict', 'this proposal id is already in use');
    const supersedes = await audited(app.db, async (trx) => {
      const superseded = await insertProposal(trx, {
        proposalId: body.proposalId, caseId: kase.id, action: body.action, proposedBy: staff.id, proposedOn: onDay,
        body: sealed, finding: body.finding ?? null, extension: body.extension ?? null, signature: check.signature,
      });
      return { result: superseded, audit: {
        agencyId: kase.agency_id, staffId: staff.id, action: `case.proposal.${body.action}`, caseId: kase.id,
        detail: { proposalId: body.proposalId, onDay, supersedes: superseded },
        signed: { kind: 'proposal' as const, signer: staff.id, bytes: signed, signature: check.signature },
      } };
    });
    return reply.code(201).send({ proposalId: body.proposalId, caseId: kase.id, action: body.action, proposedOn: onDay, supersedes });
  });

  app.get('/v1/staff/cases/:caseId/proposals', {
    preHandler: casework,
    schema: {
      tags: ['workflow'], summary: 'The proposals made on the case and how each was answered', params: caseIdParams,
      response: { 200: z.object({ caseId: uuid, proposals: z.array(proposalView) }), ...errors('not_found') },
    },
  }, async (request) => {
    const kase = await caseInReach(app.db, request.staff, request.params.caseId);
    const rows = await listProposals(app.db, kase.id);
    return {
      caseId: kase.id,
      proposals: rows.map((r) => ({
        ...r, action: r.action as (typeof actions)[number], finding: r.finding as (typeof findings)[number] | null,
        extension: r.extension as z.infer<typeof extension> | null,
        body: toBase64Url(r.body), signature: toBase64Url(r.signature),
        answerBody: b64OrNull(r.answerBody), answerSignature: b64OrNull(r.answerSignature),
      })),
    };
  });

  app.post('/v1/staff/cases/:caseId/proposals/:proposalId/decline', {
    preHandler: casework,
    schema: {
      tags: ['workflow'], summary: 'Decline an open proposal, with a sealed reason, signed (§8.3.8)',
      params: caseIdParams.extend({ proposalId: uuid }), body: declineBody,
      response: {
        200: z.object({ proposalId: uuid, status: z.literal('declined'), answeredOn: day }),
        ...errors('not_found', 'bad_request', 'validation_failed', 'crypto_failed', 'forbidden'),
      },
    },
  }, async (request) => {
    const { body, staff } = request;
    const kase = await caseInReach(app.db, staff, request.params.caseId);
    const proposalId = request.params.proposalId.toLowerCase();
    const onDay = decisionDay(body.onDay, utcToDay(Date.now())) ?? fail('bad_request', 'a decline cannot be dated in the future');
    const proposal = await app.db.selectFrom('case_proposals').select('action').where('id', '=', proposalId).where('case_id', '=', kase.id).executeTakeFirst();
    const rules = rulesFor((await agencyRules(app.db, kase.agency_id)).jurisdiction, kase.received_on, onDay);
    if (proposal && !mayAnswerProposal(rules, proposal.action, await workflowRolesOn(app.db, staff, kase))) {
      return fail('forbidden', 'only those who decide this step (the head of agency) answer a proposal of it');
    }
    const check = await signatureCheck(app.db, staff.id, body.signature);
    const reason = bytesOf(body.reason);
    const signed = verifiedProposal(check, { caseId: kase.id, proposalId, action: 'decline', onDay, body: reason, finding: null, extension: null });
    await audited(app.db, async (trx) => {
      if (!(await openProposal(trx, kase.id, proposalId))) return fail('not_found', 'no open proposal by that id on this case');
      await declineProposal(trx, { proposalId, by: staff.id, onDay, body: reason, signature: check.signature });
      return { result: null, audit: {
        agencyId: kase.agency_id, staffId: staff.id, action: 'case.proposal.decline', caseId: kase.id, detail: { proposalId, onDay },
        signed: { kind: 'proposal' as const, signer: staff.id, bytes: signed, signature: check.signature },
      } };
    });
    return { proposalId, status: 'declined' as const, answeredOn: onDay };
  });
};
export default proposals;
