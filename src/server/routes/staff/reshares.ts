import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, MAX_CUSTODIANS, resharePartSigningBytes, verifyDetached } from '../../../protocol/index.js';
import { audited, auditOnly } from '../../db/audited.js';
import type { Database } from '../../db/connect.js';
import { completeSubject, insertNewShare, partsComplete, sharesToDo } from '../../db/reshare-shares.js';
import { findPlan, insertPart, isOpenSubject, partsToDo, type StoredPlan } from '../../db/reshares.js';
import { findStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import type { StaffPrincipal } from '../../plugins/staff-auth.js';
import { bytesOf, enc, staffBytes, uuid } from '../staff-schemas.js';
import { planJson, planView } from './reshare-plan.js';

// The two sides of a reshare (PROTOCOL.md §6.2). An old custodian of the plan fetches
// their wrapped shares of the covered subjects and posts, per subject, the sub-shares
// sealed to each new custodian with one signature (kind reshare-part). A new custodian
// fetches the subjects every old custodian has done, with every part, and posts the
// share they summed, sealed to themselves. The last new share of a subject swaps its
// shares in the same transaction. Batches keep a turnover over thousands of cases to a
// few hundred requests.

const BATCH = 100;
const SUB_SHARE_WRAPPED = 116;
const SHARE_WRAPPED = 115;
const params = z.object({ reshareId: uuid });
const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(BATCH).default(BATCH) });
const subject = { subjectId: uuid, caseId: uuid, protectionRequestId: uuid.nullable(), threshold: z.number().int().describe("the subject's current m") };

/** `write`: a finished plan takes nothing more (a read of it lists nothing left to do). */
async function planFor(db: Database, me: StaffPrincipal, reshareId: string, side?: 'from' | 'to', write = false) {
  const plan = await findPlan(db, reshareId);
  if (!plan || plan.agencyId !== me.agencyId) return fail('not_found', 'no such reshare');
  if (side && !plan[side].includes(me.id)) return fail('forbidden', side === 'from' ? 'you are not an old custodian of this plan' : 'you are not a new custodian of this plan');
  if (write && plan.finished) return fail('conflict', 'this reshare is finished');
  return plan;
}

/** The audit row names the subject as identity requests do: the case, and the protection request if it is one. */
const subjectDetail = (reshareId: string, s: { protectionRequestId: string | null }) =>
  (s.protectionRequestId ? { reshareId, protectionRequestId: s.protectionRequestId } : { reshareId });

const partBody = z.object({ parts: z.array(z.object({ subjectId: uuid, wrapped: z.array(staffBytes).min(1).max(MAX_CUSTODIANS), signature: staffBytes })).min(1).max(BATCH) });
const shareBody = z.object({ shares: z.array(z.object({ subjectId: uuid, wrapped: staffBytes })).min(1).max(BATCH) });

async function postParts(db: Database, me: StaffPrincipal, plan: StoredPlan, body: z.infer<typeof partBody>): Promise<void> {
  const be = await loadBackend();
  const key = (await findStaff(db, me.id))?.signPublicKey;
  await db.transaction().execute(async (trx) => {
    for (const part of body.parts) {
      if (part.wrapped.length !== plan.to.length) return fail('validation_failed', 'one sealed sub-share per new custodian, in the plan\'s order');
      const wrapped = part.wrapped.map((w) => bytesOf(w, SUB_SHARE_WRAPPED));
      const signature = bytesOf(part.signature, 64);
      const open = await isOpenSubject(trx, plan.reshareId, part.subjectId);
      if (!open) return fail('not_found', 'the plan covers no such open subject');
      const signed = resharePartSigningBytes(plan.reshareId, part.subjectId, wrapped, be);
      if (!key || !verifyDetached(be, 'reshare-part', signature, signed, key)) return fail('crypto_failed', 'a part signature does not verify');
      await audited(trx, async (t) => {
        if (!(await insertPart(t, { reshareId: plan.reshareId, subjectId: part.subjectId, custodianId: me.id, signature, wrapped }))) {
          return fail('conflict', 'you have already re-split your share of this subject');
        }
        return { result: null, audit: {
          agencyId: me.agencyId, staffId: me.id, action: 'identity.reshare_part', caseId: open.case_id,
          detail: subjectDetail(plan.reshareId, { protectionRequestId: open.protection_request_id }),
          signed: { kind: 'reshare-part', signer: me.id, bytes: signed, signature },
        } };
      });
    }
  });
}

async function postShares(db: Database, me: StaffPrincipal, plan: StoredPlan, body: z.infer<typeof shareBody>): Promise<number> {
  let completed = 0;
  await db.transaction().execute(async (trx) => {
    for (const share of body.shares) {
      const wrapped = bytesOf(share.wrapped, SHARE_WRAPPED);
      const open = await isOpenSubject(trx, plan.reshareId, share.subjectId, true);
      if (!open) return fail('not_found', 'the plan covers no such open subject');
      if (!(await partsComplete(trx, plan, share.subjectId))) return fail('conflict', 'not every old custodian has re-split this subject yet');
      const s = { subjectId: share.subjectId, caseId: open.case_id, protectionRequestId: open.protection_request_id };
      const deleted = await audited(trx, async (t) => {
        if (!(await insertNewShare(t, { reshareId: plan.reshareId, subjectId: share.subjectId, custodianId: me.id, wrapped }))) {
          return fail('conflict', 'you have already posted your share of this subject');
        }
        const swapped = await completeSubject(t, plan, s);
        return { result: swapped, audit: {
          agencyId: me.agencyId, staffId: me.id, action: 'identity.reshare_share', caseId: s.caseId,
          detail: { ...subjectDetail(plan.reshareId, s), ...(swapped === null ? {} : { replaced: swapped, threshold: plan.threshold }) },
        } };
      });
      if (deleted !== null) completed++;
    }
  });
  return completed;
}

const reshareSides: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/staff/reshares/:reshareId', {
    preHandler: app.requireStaff(),
    schema: { tags: ['staff'], summary: 'A reshare plan with its signature and progress', params, response: { 200: planView, ...errors('not_found') } },
  }, async (request) => planJson(await planFor(app.db, request.staff, request.params.reshareId)));

  app.get('/v1/staff/reshares/:reshareId/parts', {
    preHandler: app.requireStaff(),
    schema: {
      tags: ['staff'], summary: 'An old custodian\'s shares still to re-split (§6.2)', params, querystring: limitQuery,
      response: { 200: z.object({ subjects: z.array(z.object({ ...subject, share: z.string().nullable() })) }), ...errors('not_found', 'forbidden', 'conflict') },
    },
  }, async (request) => {
    const me = request.staff;
    const plan = await planFor(app.db, me, request.params.reshareId, 'from');
    const todo = await partsToDo(app.db, plan.reshareId, me.id, request.query.limit);
    await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'identity.reshare_fetch', detail: { reshareId: plan.reshareId, side: 'from', count: todo.length } });
    return { subjects: todo.map((s) => ({ ...s, share: s.share && enc(s.share) })) };
  });

  app.post('/v1/staff/reshares/:reshareId/parts', {
    preHandler: app.requireStaff(),
    schema: {
      tags: ['staff'], summary: 'An old custodian\'s sub-shares, sealed to each new custodian and signed (§8.3.10)', params, body: partBody,
      response: { 201: z.object({ posted: z.number().int() }), ...errors('not_found', 'forbidden', 'conflict', 'validation_failed', 'crypto_failed') },
    },
  }, async (request, reply) => {
    const plan = await planFor(app.db, request.staff, request.params.reshareId, 'from', true);
    await postParts(app.db, request.staff, plan, request.body);
    return reply.code(201).send({ posted: request.body.parts.length });
  });

  app.get('/v1/staff/reshares/:reshareId/shares', {
    preHandler: app.requireStaff(),
    schema: {
      tags: ['staff'], summary: 'Subjects every old custodian has re-split, with every signed part, for a new custodian to sum', params, querystring: limitQuery,
      response: { 200: z.object({ subjects: z.array(z.object({ ...subject, parts: z.array(z.object({ from: uuid, signature: z.string(), wrapped: z.array(z.string()) })) })) }), ...errors('not_found', 'forbidden', 'conflict') },
    },
  }, async (request) => {
    const me = request.staff;
    const plan = await planFor(app.db, me, request.params.reshareId, 'to');
    const todo = await sharesToDo(app.db, plan, me.id, request.query.limit);
    await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'identity.reshare_fetch', detail: { reshareId: plan.reshareId, side: 'to', count: todo.length } });
    return { subjects: todo.map((s) => ({ ...s, parts: s.parts.map((p) => ({ from: p.from, signature: enc(p.signature), wrapped: p.wrapped.map(enc) })) })) };
  });

  app.post('/v1/staff/reshares/:reshareId/shares', {
    preHandler: app.requireStaff(),
    schema: {
      tags: ['staff'], summary: 'A new custodian\'s summed shares, sealed to themselves (kind 0x03); the last of a subject replaces its old shares', params, body: shareBody,
      response: { 201: z.object({ posted: z.number().int(), completed: z.number().int() }), ...errors('not_found', 'forbidden', 'conflict', 'validation_failed') },
    },
  }, async (request, reply) => {
    const plan = await planFor(app.db, request.staff, request.params.reshareId, 'to', true);
    const completed = await postShares(app.db, request.staff, plan, request.body);
    return reply.code(201).send({ posted: request.body.shares.length, completed });
  });
};

export default reshareSides;
