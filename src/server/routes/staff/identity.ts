import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { custodyState, releasesBlock } from '../../../domain/index.js';
import { loadBackend, verifyDetached } from '../../../protocol/index.js';
import { identityDecisionSigningBytes, identityRequestSigningBytes } from '../../../protocol/signing-bytes.js';
import { audited, auditOnly } from '../../db/audited.js';
import { findCaseForStaff, hasGrant } from '../../db/case-access.js';
import {
  custodiansOfSubject, findIdentityRequest, insertDecision, insertIdentityRequest, listIdentityRequestsFor,
  requestKeyFor, subjectShareFor, type IdentityRequestView, type Subject,
} from '../../db/identity.js';
import { findStaff } from '../../db/staff.js';
import { findProtectionRequestDetails } from '../../db/workflow-protection.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import type { StaffPrincipal } from '../../plugins/staff-auth.js';
import { requestKeyList, threshold } from '../../schemas.js';
import { staffBytes, bytesOf, enc, uuid } from '../staff-schemas.js';

// Identity custody: an investigator holding a grant asks (signed, reason encrypted
// under a request key wrapped to each custodian); each custodian approves by
// re-sealing their share to the investigator, or refuses with a reason. The server
// only routes ciphertext: below m approvals nothing it holds opens the identity.
// The same requests release a protection request's sealed details to a supervisor of
// the agency (subject 'protection'): same keys, decisions and states, its own shares.

const view = z.object({
  identityRequestId: uuid, subject: z.enum(['identity', 'protection']), caseId: uuid, protectionRequestId: uuid.nullable(), urgent: z.boolean(),
  agencyId: uuid, publicNumber: z.string(), requesterId: uuid, createdAt: z.string(),
  state: z.enum(['pending', 'approved', 'refused']), threshold, custodians: z.array(uuid),
  reason: z.string(), signature: z.string().describe("the requester's identity-request signature, base64url"), requestKey: z.string().nullable(), myShare: z.string().nullable(),
  identityBlock: z.string().nullable(), sealedDetails: z.string().nullable(),
  decisions: z.array(z.object({ staffId: uuid.describe('the deciding custodian'), decision: z.enum(['approve', 'refuse']), resealedShare: z.string().nullable(), reason: z.string().nullable(), signature: z.string(), decidedAt: z.string() })),
});

type App = Parameters<FastifyPluginAsyncZod>[0];
const requestBody = z.object({ identityRequestId: uuid, reason: staffBytes, signature: staffBytes, requestKeys: requestKeyList(z.object({ staffId: uuid, wrapped: staffBytes })) });

/** Visible to the requester and to custodians holding a share of its subject; anyone else gets 404. */
async function visibleRequest(app: App, me: StaffPrincipal, id: string) {
  const r = await findIdentityRequest(app.db, id);
  if (!r) return fail('not_found', 'no such request');
  const myShare = await subjectShareFor(app.db, r, me.id);
  if (r.requesterId !== me.id && !myShare) return fail('not_found', 'no such request');
  return { r, myShare, custodians: await custodiansOfSubject(app.db, r) };
}

/** Audit actions name the subject: identity.* for a case's identity, protection.details_* for protection details. */
const action = (r: Pick<Subject, 'protectionRequestId'>, verb: 'request' | 'list' | 'view' | 'reveal' | 'decide') =>
  (r.protectionRequestId ? `protection.details_${verb}` : `identity.${verb}`);

/**
 * Stores a signed request once the request key is wrapped to the requester and to every
 * custodian of the subject, and the signature (over the subject id in the case slot)
 * verifies against the requester's registered key.
 */
async function createRequest(app: App, me: StaffPrincipal, subject: Subject, body: z.infer<typeof requestBody>): Promise<void> {
  const custodians = await custodiansOfSubject(app.db, subject);
  const keyed = new Set(body.requestKeys.map((k) => k.staffId));
  if (keyed.size !== custodians.length + 1 || !keyed.has(me.id) || custodians.some((c) => !keyed.has(c))) {
    return fail('validation_failed', 'the request key must be wrapped to you and to every custodian of the subject');
  }
  const reason = bytesOf(body.reason);
  const signature = bytesOf(body.signature, 64);
  const requester = await findStaff(app.db, me.id);
  const signedFor = subject.protectionRequestId ?? subject.caseId;
  const be = await loadBackend();
  const signedBytes = identityRequestSigningBytes(signedFor, body.identityRequestId, reason, be);
  if (!requester?.signPublicKey || !verifyDetached(be, 'identity-request', signature, signedBytes, requester.signPublicKey)) {
    return fail('crypto_failed', 'the request signature does not verify');
  }
  const keys = body.requestKeys.map((k) => ({ staffId: k.staffId, wrapped: bytesOf(k.wrapped) }));
  const request = { id: body.identityRequestId, caseId: subject.caseId, requesterId: me.id, reason, signature, keys };
  await audited(app.db, async (trx) => {
    if (!(await insertIdentityRequest(trx, subject.protectionRequestId ? { ...request, protectionRequestId: subject.protectionRequestId } : request))) {
      return fail('conflict', 'a request with this id exists');
    }
    return { result: null, audit: {
      agencyId: me.agencyId, staffId: me.id, action: action(subject, 'request'), caseId: subject.caseId,
      detail: subject.protectionRequestId ? { requestId: body.identityRequestId, protectionRequestId: subject.protectionRequestId } : { requestId: body.identityRequestId },
      signed: { kind: 'identity-request', signer: me.id, bytes: signedBytes, signature },
    } };
  });
}

/** `withBlock`: only the single-request read (audited as a reveal) carries the sealed block, never the list. */
function toJson(
  me: StaffPrincipal, r: IdentityRequestView, custodians: string[], requestKey: Uint8Array | null, myShare: Uint8Array | null, withBlock: boolean,
): z.infer<typeof view> {
  const state = custodyState(r.threshold, r.decisions, custodians.length);
  const mine = r.requesterId === me.id;
  const block = withBlock && releasesBlock(state, mine) && r.block ? enc(r.block) : null;
  return {
    identityRequestId: r.id, subject: r.protectionRequestId ? 'protection' : 'identity', caseId: r.caseId, protectionRequestId: r.protectionRequestId,
    urgent: r.urgent, agencyId: r.agencyId, publicNumber: r.publicNumber, requesterId: r.requesterId, createdAt: r.createdAt.toISOString(),
    state, threshold: r.threshold, custodians, reason: enc(r.reason), signature: enc(r.signature), requestKey: requestKey && enc(requestKey),
    myShare: myShare && enc(myShare),
    identityBlock: r.protectionRequestId ? null : block, sealedDetails: r.protectionRequestId ? block : null,
    // Re-sealed shares go only to the requester they are sealed to.
    decisions: r.decisions.map((d) => ({
      staffId: d.custodianId, decision: d.decision, resealedShare: mine && d.resealedShare ? enc(d.resealedShare) : null,
      reason: d.reason && enc(d.reason), signature: enc(d.signature), decidedAt: d.decidedAt.toISOString(),
    })),
  };
}

const identity: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/staff/cases/:caseId/identity-requests',
    {
      preHandler: app.requireStaff('investigator'),
      schema: {
        tags: ['staff'], summary: 'Ask the custodians to release the denouncer\'s identity (signed, §8.3.5)',
        params: z.object({ caseId: uuid }),
        body: requestBody,
        response: { 201: z.object({ identityRequestId: uuid }), ...errors('not_found', 'conflict', 'validation_failed', 'crypto_failed') },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const { caseId } = request.params;
      const found = await findCaseForStaff(app.db, me, caseId);
      if (!found || !(await hasGrant(app.db, me.id, caseId))) return fail('not_found', 'no such case');
      if (!found.has_identity) return fail('conflict', 'this case has no identity block');
      await createRequest(app, me, { caseId, protectionRequestId: null }, request.body);
      return reply.code(201).send({ identityRequestId: request.body.identityRequestId });
    },
  );

  // A supervisor of the agency asks the custodians to release a protection request's details.
  app.post(
    '/v1/staff/protection/:protectionRequestId/details-requests',
    {
      preHandler: app.requireStaff('supervisor'),
      schema: {
        tags: ['staff'], summary: 'Ask the custodians to release a protection request\'s details (§6.1)',
        params: z.object({ protectionRequestId: uuid }),
        body: requestBody,
        response: { 201: z.object({ identityRequestId: uuid }), ...errors('not_found', 'conflict', 'validation_failed', 'crypto_failed') },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const found = await findProtectionRequestDetails(app.db, request.params.protectionRequestId);
      if (!found || found.agencyId !== me.agencyId) return fail('not_found', 'no such protection request');
      if (!found.hasDetails) return fail('conflict', 'the details of this protection request have been purged');
      await createRequest(app, me, { caseId: found.caseId, protectionRequestId: found.id }, request.body);
      return reply.code(201).send({ identityRequestId: request.body.identityRequestId });
    },
  );

  app.get(
    '/v1/staff/identity-requests',
    { preHandler: app.requireStaff('investigator', 'custodian', 'supervisor'), schema: { tags: ['staff'], summary: 'Requests the caller made or holds a share for', response: { 200: z.object({ requests: z.array(view) }), ...errors('not_found') } } },
    async (request) => {
      const me = request.staff;
      const out: z.infer<typeof view>[] = [];
      for (const id of await listIdentityRequestsFor(app.db, me.id, 100)) {
        const { r, myShare, custodians } = await visibleRequest(app, me, id);
        out.push(toJson(me, r, custodians, await requestKeyFor(app.db, id, me.id), myShare, false));
      }
      await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: action({ protectionRequestId: null }, 'list'), detail: { count: out.length } });
      return { requests: out };
    },
  );

  app.get(
    '/v1/staff/identity-requests/:identityRequestId',
    { preHandler: app.requireStaff('investigator', 'custodian', 'supervisor'), schema: { tags: ['staff'], summary: 'One request, with the sealed block once m custodians approved', params: z.object({ identityRequestId: uuid }), response: { 200: view, ...errors('not_found') } } },
    async (request) => {
      const me = request.staff;
      const { r, myShare, custodians } = await visibleRequest(app, me, request.params.identityRequestId);
      const json = toJson(me, r, custodians, await requestKeyFor(app.db, r.id, me.id), myShare, true);
      await auditOnly(app.db, {
        agencyId: me.agencyId, staffId: me.id, action: action(r, json.identityBlock || json.sealedDetails ? 'reveal' : 'view'), caseId: r.caseId,
        detail: r.protectionRequestId ? { requestId: r.id, protectionRequestId: r.protectionRequestId } : { requestId: r.id },
      });
      return json;
    },
  );

  app.post(
    '/v1/staff/identity-requests/:identityRequestId/decisions',
    {
      preHandler: app.requireStaff('custodian'),
      schema: {
        tags: ['staff'], summary: 'A custodian approves (re-sealed share) or refuses (sealed reason), signed (§8.3.6)',
        params: z.object({ identityRequestId: uuid }),
        body: z.object({ decision: z.enum(['approve', 'refuse']), resealedShare: staffBytes.optional(), reason: staffBytes.optional(), signature: staffBytes }),
        response: { 201: z.object({ state: z.enum(['pending', 'approved', 'refused']) }), ...errors('not_found', 'forbidden', 'conflict', 'validation_failed', 'crypto_failed') },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const { r, myShare, custodians } = await visibleRequest(app, me, request.params.identityRequestId);
      if (!myShare) return fail('not_found', 'no such request');
      const approve = request.body.decision === 'approve';
      // The requester's own share would count towards m: one person fewer would have to agree.
      if (approve && r.requesterId === me.id) return fail('forbidden', 'you cannot approve your own request');
      const payloadText = approve ? request.body.resealedShare : request.body.reason;
      if (!payloadText) return fail('validation_failed', approve ? 'an approval carries the re-sealed share' : 'a refusal carries a reason');
      const payload = bytesOf(payloadText);
      const custodian = await findStaff(app.db, me.id);
      const be = await loadBackend();
      const signature = bytesOf(request.body.signature, 64);
      const signedBytes = identityDecisionSigningBytes(r.id, approve, payload, be);
      const signed = custodian?.signPublicKey && verifyDetached(be, 'identity-decision', signature, signedBytes, custodian.signPublicKey);
      if (!signed) return fail('crypto_failed', 'the decision signature does not verify');
      await audited(app.db, async (trx) => {
        const stored = await insertDecision(trx, {
          requestId: r.id, custodianId: me.id, decision: request.body.decision,
          resealedShare: approve ? payload : null, reason: approve ? null : payload, signature,
        });
        if (!stored) return fail('conflict', 'you have already decided on this request');
        return { result: null, audit: {
          agencyId: me.agencyId, staffId: me.id, action: action(r, 'decide'), caseId: r.caseId,
          detail: { requestId: r.id, decision: request.body.decision, ...(r.protectionRequestId ? { protectionRequestId: r.protectionRequestId } : {}) },
          signed: { kind: 'identity-decision', signer: me.id, bytes: signedBytes, signature },
        } };
      });
      const after = await findIdentityRequest(app.db, r.id);
      return reply.code(201).send({ state: custodyState(after!.threshold, after!.decisions, custodians.length) });
    },
  );
};
export default identity;
