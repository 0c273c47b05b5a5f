import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, verifyDetached } from '../../../protocol/index.js';
import { identityDecisionSigningBytes, identityRequestSigningBytes } from '../../../client/staff-signing.js';
import { appendAudit } from '../../db/audit.js';
import { findCaseForStaff, hasGrant } from '../../db/case-access.js';
import {
  custodiansOf, findIdentityRequest, insertDecision, insertIdentityRequest, listIdentityRequestsFor,
  requestKeyFor, requestState, wrappedShareFor, type IdentityRequestView,
} from '../../db/identity.js';
import { findStaff } from '../../db/staff.js';
import { fail } from '../../errors.js';
import type { StaffPrincipal } from '../../plugins/staff-auth.js';
import { b64u, bytesOf, enc, staffErrors, uuid } from './schemas.js';

// Identity custody: an investigator holding a grant asks (signed, reason encrypted
// under a request key wrapped to each custodian); each custodian approves by
// re-sealing their share to the investigator, or refuses with a reason. The server
// only routes ciphertext: below m approvals nothing it holds opens the identity.

const view = z.object({
  requestId: uuid, caseId: uuid, agencyId: uuid, requesterId: uuid, createdAt: z.string(),
  state: z.enum(['pending', 'approved', 'refused']), threshold: z.number().int(), custodians: z.array(uuid),
  reason: z.string(), requestKey: z.string().nullable(), myShare: z.string().nullable(),
  identityBlock: z.string().nullable(),
  decisions: z.array(z.object({ custodianId: uuid, decision: z.enum(['approve', 'refuse']), resealedShare: z.string().nullable(), reason: z.string().nullable(), decidedAt: z.string() })),
});

/** Visible to the requester and to custodians holding a share of that case; anyone else gets 404. */
async function visibleRequest(app: Parameters<FastifyPluginAsyncZod>[0], me: StaffPrincipal, id: string) {
  const r = await findIdentityRequest(app.db, id);
  if (!r) return fail('not_found', 'no such request');
  const myShare = await wrappedShareFor(app.db, r.caseId, me.id);
  if (r.requesterId !== me.id && !myShare) return fail('not_found', 'no such request');
  return { r, myShare, custodians: await custodiansOf(app.db, r.caseId) };
}

function toJson(me: StaffPrincipal, r: IdentityRequestView, custodians: string[], requestKey: Uint8Array | null, myShare: Uint8Array | null): z.infer<typeof view> {
  const state = requestState(r, custodians.length);
  const mine = r.requesterId === me.id;
  return {
    requestId: r.id, caseId: r.caseId, agencyId: r.agencyId, requesterId: r.requesterId, createdAt: r.createdAt.toISOString(),
    state, threshold: r.threshold, custodians, reason: enc(r.reason), requestKey: requestKey && enc(requestKey),
    myShare: myShare && enc(myShare),
    identityBlock: mine && state === 'approved' && r.identityBlock ? enc(r.identityBlock) : null,
    // Re-sealed shares go only to the requester they are sealed to.
    decisions: r.decisions.map((d) => ({
      custodianId: d.custodianId, decision: d.decision, resealedShare: mine && d.resealedShare ? enc(d.resealedShare) : null,
      reason: d.reason && enc(d.reason), decidedAt: d.decidedAt.toISOString(),
    })),
  };
}

const identity: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/cases/:caseId/identity-requests',
    {
      preHandler: app.requireStaff('investigator'),
      schema: {
        tags: ['staff'],
        params: z.object({ caseId: uuid }),
        body: z.object({ requestId: uuid, reason: b64u, signature: b64u, requestKeys: z.array(z.object({ staffId: uuid, wrapped: b64u })).max(256) }),
        response: { 201: z.object({ requestId: uuid }), ...staffErrors },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const { caseId } = request.params;
      const { requestId } = request.body;
      const found = await findCaseForStaff(app.db, me, caseId);
      if (!found || !(await hasGrant(app.db, me.id, caseId))) return fail('not_found', 'no such case');
      if (!found.has_identity) return fail('conflict', 'this case has no identity block');
      const custodians = await custodiansOf(app.db, caseId);
      const keyed = new Set(request.body.requestKeys.map((k) => k.staffId));
      if (keyed.size !== custodians.length + 1 || !keyed.has(me.id) || custodians.some((c) => !keyed.has(c))) {
        return fail('validation_failed', 'the request key must be wrapped to you and to every custodian of the case');
      }
      const reason = bytesOf(request.body.reason);
      const signature = bytesOf(request.body.signature, 64);
      const requester = await findStaff(app.db, me.id);
      const be = await loadBackend();
      if (!requester?.signPublicKey || !verifyDetached(be, 'identity-request', signature, identityRequestSigningBytes(caseId, requestId, reason), requester.signPublicKey)) {
        return fail('crypto_failed', 'the request signature does not verify');
      }
      const keys = request.body.requestKeys.map((k) => ({ staffId: k.staffId, wrapped: bytesOf(k.wrapped) }));
      if (!(await insertIdentityRequest(app.db, { id: requestId, caseId, requesterId: me.id, reason, signature, keys }))) {
        return fail('conflict', 'a request with this id exists');
      }
      await appendAudit(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'identity.request', caseId, detail: { requestId } });
      return reply.code(201).send({ requestId });
    },
  );

  app.get(
    '/identity-requests',
    { preHandler: app.requireStaff('investigator', 'custodian'), schema: { tags: ['staff'], response: { 200: z.object({ requests: z.array(view) }), ...staffErrors } } },
    async (request) => {
      const me = request.staff;
      const out: z.infer<typeof view>[] = [];
      for (const id of await listIdentityRequestsFor(app.db, me.id, 100)) {
        const { r, myShare, custodians } = await visibleRequest(app, me, id);
        out.push(toJson(me, r, custodians, await requestKeyFor(app.db, id, me.id), myShare));
      }
      await appendAudit(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'identity.list', detail: { count: out.length } });
      return { requests: out };
    },
  );

  app.get(
    '/identity-requests/:requestId',
    { preHandler: app.requireStaff('investigator', 'custodian'), schema: { tags: ['staff'], params: z.object({ requestId: uuid }), response: { 200: view, ...staffErrors } } },
    async (request) => {
      const me = request.staff;
      const { r, myShare, custodians } = await visibleRequest(app, me, request.params.requestId);
      const json = toJson(me, r, custodians, await requestKeyFor(app.db, r.id, me.id), myShare);
      const action = json.identityBlock ? 'identity.reveal' : 'identity.view';
      await appendAudit(app.db, { agencyId: me.agencyId, staffId: me.id, action, caseId: r.caseId, detail: { requestId: r.id } });
      return json;
    },
  );

  app.post(
    '/identity-requests/:requestId/decisions',
    {
      preHandler: app.requireStaff('custodian'),
      schema: {
        tags: ['staff'],
        params: z.object({ requestId: uuid }),
        body: z.object({ decision: z.enum(['approve', 'refuse']), resealedShare: b64u.optional(), reason: b64u.optional(), signature: b64u }),
        response: { 201: z.object({ state: z.enum(['pending', 'approved', 'refused']) }), ...staffErrors },
      },
    },
    async (request, reply) => {
      const me = request.staff;
      const { r, myShare, custodians } = await visibleRequest(app, me, request.params.requestId);
      if (!myShare) return fail('not_found', 'no such request');
      const approve = request.body.decision === 'approve';
      const payloadText = approve ? request.body.resealedShare : request.body.reason;
      if (!payloadText) return fail('validation_failed', approve ? 'an approval carries the re-sealed share' : 'a refusal carries a reason');
      const payload = bytesOf(payloadText);
      const custodian = await findStaff(app.db, me.id);
      const signed = custodian?.signPublicKey && verifyDetached(
        await loadBackend(), 'identity-decision', bytesOf(request.body.signature, 64), identityDecisionSigningBytes(r.id, approve, payload), custodian.signPublicKey,
      );
      if (!signed) return fail('crypto_failed', 'the decision signature does not verify');
      const stored = await insertDecision(app.db, {
        requestId: r.id, custodianId: me.id, decision: request.body.decision,
        resealedShare: approve ? payload : null, reason: approve ? null : payload, signature: bytesOf(request.body.signature, 64),
      });
      if (!stored) return fail('conflict', 'you have already decided on this request');
      await appendAudit(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'identity.decide', caseId: r.caseId, detail: { requestId: r.id, decision: request.body.decision } });
      const after = await findIdentityRequest(app.db, r.id);
      return reply.code(201).send({ state: requestState(after!, custodians.length) });
    },
  );
};
export default identity;
