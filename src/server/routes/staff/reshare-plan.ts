import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, MAX_CUSTODIANS, resharePlanSigningBytes, verifyDetached } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { bundleHistory } from '../../db/bundles.js';
import type { Database } from '../../db/connect.js';
import { findPlan, finishIfDone, heldSubjects, insertPlan, latestReshare, type HeldSubject } from '../../db/reshares.js';
import { findStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import type { StaffPrincipal } from '../../plugins/staff-auth.js';
import { day, threshold } from '../../schemas.js';
import { bytesOf, enc, staffBytes, uuid } from '../staff-schemas.js';

// The admin's signed plan of a custodian turnover (PROTOCOL.md §6.2). The server checks it
// against what it holds — the admin's key, the bundle listing the new set, the old
// custodians' shares — and fixes the subjects it covers. Clients check it again against
// the pinned bundles: nothing here is taken on the server's word.

const custodianList = z.array(uuid).min(1).max(MAX_CUSTODIANS);
const planBody = z.object({
  reshareId: uuid, day: day.describe('the day the plan is made'), bundleSerial: z.number().int().min(1).max(0xffffffff), threshold,
  from: custodianList, to: custodianList, signature: staffBytes,
});
export const planView = planBody.extend({
  agencyId: uuid, plannedBy: uuid, finished: z.boolean(),
  subjects: z.number().int().describe('identity blocks and protection details the plan covers'), done: z.number().int(),
  fromDone: z.array(z.number().int()).describe("in the plan's order, the subjects each old custodian has re-split (the server's count)"),
  toDone: z.array(z.number().int()).describe("in the plan's order, the subjects each new custodian has taken their share of (the server's count)"),
});

type Body = z.infer<typeof planBody>;

/** The custodians the bundle of that serial lists: the new set must be among them (their box keys). */
async function bundleCustodians(db: Database, agencyId: string, serial: number): Promise<{ custodians: string[] } | null> {
  const stored = (await bundleHistory(db, agencyId)).find((b) => b.serial === serial);
  if (!stored) return null;
  const content = JSON.parse(new TextDecoder().decode(stored.payload)) as { staff: { staffId: string; roles: string[] }[] };
  return { custodians: content.staff.filter((s) => s.roles.includes('custodian')).map((s) => s.staffId) };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Subjects whose shares every old participant holds and that the new set does not hold already at m'. */
function covered(subjects: HeldSubject[], body: Body): HeldSubject[] {
  const mine = subjects.filter((s) => body.from.every((f) => s.holders.includes(f)) && !(sameSet(s.holders, body.to) && s.threshold === body.threshold));
  const short = mine.find((s) => s.threshold > body.from.length);
  if (short) fail('conflict', `a subject needs ${short.threshold} old custodians to take part; the plan names ${body.from.length}`);
  return mine;
}

async function checkPlan(db: Database, me: StaffPrincipal, body: Body): Promise<Uint8Array> {
  if (new Set(body.from).size !== body.from.length || new Set(body.to).size !== body.to.length) return fail('validation_failed', 'a custodian is named twice');
  const listed = await bundleCustodians(db, me.agencyId, body.bundleSerial);
  if (!listed || body.to.some((id) => !listed.custodians.includes(id))) {
    return fail('conflict', 'every new custodian must be a custodian in the named bundle');
  }
  for (const id of body.from) {
    const s = await findStaff(db, id);
    if (!s || s.agencyId !== me.agencyId || s.status !== 'active') return fail('validation_failed', 'an old custodian is not an active member of the agency');
  }
  const admin = await findStaff(db, me.id);
  const signed = resharePlanSigningBytes({ ...body, onDay: body.day, agencyId: me.agencyId });
  const signature = bytesOf(body.signature, 64);
  if (!admin?.signPublicKey || !verifyDetached(await loadBackend(), 'reshare-plan', signature, signed, admin.signPublicKey)) {
    return fail('crypto_failed', 'the plan signature does not verify');
  }
  return signed;
}

export function planJson(p: NonNullable<Awaited<ReturnType<typeof findPlan>>>): z.infer<typeof planView> {
  const { onDay, ...rest } = p;
  return { ...rest, day: onDay, signature: enc(p.signature) };
}

const reshares: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/staff/reshares', {
    preHandler: app.requireStaff('admin'),
    schema: {
      tags: ['staff'], summary: 'Plan a custodian turnover by resharing, signed by the admin (§6.2, §8.3.9)', body: planBody,
      response: { 201: planView, ...errors('conflict', 'validation_failed', 'crypto_failed') },
    },
  }, async (request, reply) => {
    const me = request.staff;
    const body = request.body;
    const signed = await checkPlan(app.db, me, body);
    await audited(app.db, async (trx) => {
      const open = await latestReshare(trx, me.agencyId);
      if (open && !(await findPlan(trx, open))!.finished && !(await finishIfDone(trx, open))) return fail('conflict', 'a reshare of this agency is still open');
      const subjects = covered(await heldSubjects(trx, me.agencyId), body);
      const plan = { ...body, onDay: body.day, agencyId: me.agencyId, plannedBy: me.id, signature: bytesOf(body.signature, 64), finished: subjects.length === 0 };
      if (!(await insertPlan(trx, plan, subjects))) return fail('conflict', 'a reshare with this id exists');
      return { result: null, audit: {
        agencyId: me.agencyId, staffId: me.id, action: 'identity.reshare_plan',
        detail: { reshareId: body.reshareId, subjects: subjects.length, threshold: body.threshold, from: body.from.length, to: body.to.length },
        signed: { kind: 'reshare-plan', signer: me.id, bytes: signed, signature: plan.signature },
      } };
    });
    return reply.code(201).send(planJson((await findPlan(app.db, body.reshareId))!));
  });

  app.get('/v1/staff/reshares/current', {
    preHandler: app.requireStaff(),
    schema: { tags: ['staff'], summary: "The agency's open reshare, or its latest finished one", response: { 200: planView, ...errors('not_found') } },
  }, async (request) => {
    const id = await latestReshare(app.db, request.staff.agencyId);
    const plan = id && (await findPlan(app.db, id));
    if (!plan) return fail('not_found', 'no reshare');
    return planJson(plan);
  });
};

export default reshares;
