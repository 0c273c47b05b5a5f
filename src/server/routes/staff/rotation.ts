import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, rekeySigningBytes, rotationSigningBytes, verifyDetached, wrappedDigest, type Backend } from '../../../protocol/index.js';
import { WRAP_KIND } from '../../../protocol/labels.js';
import { auditOnly, audited } from '../../db/audited.js';
import { cancelRotation, heldKey, listHoldings, stageKeys, stageRotation, stagedRotations, unstagedCount, type Holding, type StagedKey } from '../../db/rotation.js';
import type { Database } from '../../db/connect.js';
import { findStaff } from '../../db/staff.js';
import type { RotationHolding } from '../../db/staff-tables.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { bytesOf, enc, ok, staffBytes, uuid } from '../staff-schemas.js';

// A staff member rotates their own keys (PROTOCOL.md §7.1). Their client stages the
// statement (signed by the old key, which the bundle in force lists, and by the new
// key, which proves it is held), lists every key it holds, re-seals each to the new
// box key and stages it with a rekey signature by the new key (§8.3.12). Nothing takes
// effect until the admin publishes a bundle listing the new keys (routes/admin/bundles.ts).

const holdingName = z.enum(['case_key', 'identity_share', 'protection_share', 'request_key']);
const WRAP_KIND_OF: Record<RotationHolding, number> = {
  case_key: WRAP_KIND.contentKey, identity_share: WRAP_KIND.identityShare, protection_share: WRAP_KIND.identityShare, request_key: WRAP_KIND.requestKey,
};

const holdingJson = z.object({
  subjectId: uuid, boundId: uuid.describe('the id the wrap binds (§3): the subject, or for a request key its request\'s subject'), agencyId: uuid, wrapped: z.string(),
  keyGrant: z.object({ grantedBy: uuid, granterAgencyId: uuid.nullable(), signature: z.string().nullable() }).nullable(),
  keyRekey: z.object({ originDigest: z.string(), signature: z.string() }).nullable(),
});

function toJson(h: Holding): z.infer<typeof holdingJson> {
  return {
    subjectId: h.subjectId, boundId: h.boundId, agencyId: h.agencyId, wrapped: enc(h.wrapped),
    keyGrant: h.grant ? { grantedBy: h.grant.grantedBy, granterAgencyId: h.grant.granterAgencyId, signature: h.grant.signature && enc(h.grant.signature) } : null,
    keyRekey: h.rekey ? { originDigest: enc(h.rekey.originDigest), signature: enc(h.rekey.signature) } : null,
  };
}

const stagedKey = z.object({ holding: holdingName, subjectId: uuid, wrapped: staffBytes, originDigest: staffBytes, signature: staffBytes });

/** Checks one staged key: held now, same length, bound to the key its grant signed, signed by the new key. */
async function checkedKey(app: { db: Database }, be: Backend, staffId: string, newSignKey: Uint8Array, k: z.infer<typeof stagedKey>): Promise<StagedKey> {
  const held = (await heldKey(app.db, staffId, k.holding, k.subjectId)) ?? fail('not_found', `you hold no ${k.holding} for ${k.subjectId}`);
  const wrapped = bytesOf(k.wrapped, held.wrapped.length);
  const originDigest = bytesOf(k.originDigest, 32);
  const signature = bytesOf(k.signature, 64);
  if (!sameBytes(originDigest, held.origin ?? wrappedDigest(be, held.wrapped))) return fail('validation_failed', `the origin of ${k.subjectId} is not the key you hold`);
  const bytes = rekeySigningBytes({ wrapKind: WRAP_KIND_OF[k.holding], subjectId: k.subjectId, staffId, originDigest, wrapped }, be);
  if (!verifyDetached(be, 'rekey', signature, bytes, newSignKey)) return fail('crypto_failed', `the rekey signature of ${k.subjectId} does not verify under your new key`);
  return { holding: k.holding, subjectId: k.subjectId, wrapped, originDigest, signature };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

const rotation: FastifyPluginAsyncZod = async (app) => {
  const member = app.requireStaff();

  app.get('/v1/staff/rotation', {
    preHandler: member,
    schema: {
      tags: ['staff'], summary: 'Your staged key rotation, and how many of your keys still need re-sealing',
      response: { 200: z.object({ rotation: z.object({ signPublicKey: z.string(), boxPublicKey: z.string(), oldSignature: z.string(), newSignature: z.string(), stagedOn: z.string(), unstaged: z.number().int() }).nullable() }) },
    },
  }, async (request) => {
    const r = (await stagedRotations(app.db, [request.staff.id])).get(request.staff.id);
    if (!r) return { rotation: null };
    return { rotation: {
      signPublicKey: enc(r.signPublicKey), boxPublicKey: enc(r.boxPublicKey), oldSignature: enc(r.oldSignature), newSignature: enc(r.newSignature),
      stagedOn: r.stagedOn, unstaged: await unstagedCount(app.db, r.staffId),
    } };
  });

  app.post('/v1/staff/rotation', {
    preHandler: member,
    schema: {
      tags: ['staff'], summary: 'Stage a key rotation: the new keys, signed by the old key and by the new (§7.1, §8.3.11)',
      body: z.object({ signPublicKey: staffBytes, boxPublicKey: staffBytes, oldSignature: staffBytes, newSignature: staffBytes }),
      response: { 201: ok, ...errors('validation_failed', 'crypto_failed') },
    },
  }, async (request, reply) => {
    const me = request.staff;
    const self = await findStaff(app.db, me.id);
    const next = { signPublicKey: bytesOf(request.body.signPublicKey, 32), boxPublicKey: bytesOf(request.body.boxPublicKey, 32) };
    if (!self?.signPublicKey || !self.boxPublicKey) return fail('validation_failed', 'you have no registered keys');
    if (sameBytes(next.signPublicKey, self.signPublicKey) || sameBytes(next.boxPublicKey, self.boxPublicKey)) return fail('validation_failed', 'the new keys must both be new');
    const be = await loadBackend();
    const bytes = rotationSigningBytes({ agencyId: me.agencyId, staffId: me.id, old: { signPublicKey: self.signPublicKey, boxPublicKey: self.boxPublicKey }, next });
    const oldSignature = bytesOf(request.body.oldSignature, 64);
    const newSignature = bytesOf(request.body.newSignature, 64);
    if (!verifyDetached(be, 'rotation', oldSignature, bytes, self.signPublicKey) || !verifyDetached(be, 'rotation', newSignature, bytes, next.signPublicKey)) {
      return fail('crypto_failed', 'the rotation must be signed by your registered key and by the new key');
    }
    await audited(app.db, async (trx) => {
      await stageRotation(trx, { staffId: me.id, ...next, oldSignature, newSignature });
      return { result: null, audit: {
        agencyId: me.agencyId, staffId: me.id, action: 'staff.rotation.stage', detail: { newSignature: enc(newSignature) },
        signed: { kind: 'rotation', signer: me.id, bytes, signature: oldSignature },
      } };
    });
    return reply.code(201).send({ ok: true as const });
  });

  app.delete('/v1/staff/rotation', {
    preHandler: member,
    schema: { tags: ['staff'], summary: 'Drop your staged rotation and the keys re-sealed for it (none staged: nothing to do)', response: { 200: ok } },
  }, async (request) => {
    const me = request.staff;
    await audited(app.db, async (trx) => {
      const dropped = await cancelRotation(trx, me.id);
      return { result: null, audit: dropped ? { agencyId: me.agencyId, staffId: me.id, action: 'staff.rotation.cancel', detail: {} } : null };
    });
    return { ok: true as const };
  });

  app.get('/v1/staff/rotation/holdings', {
    preHandler: member,
    schema: {
      tags: ['staff'], summary: 'The keys wrapped to you, a page of one kind at a time, to re-seal to your new key',
      querystring: z.object({ holding: holdingName, after: uuid.optional(), limit: z.coerce.number().int().min(1).max(500).default(200) }),
      response: { 200: z.object({ holdings: z.array(holdingJson) }) },
    },
  }, async (request) => {
    const { holding, after, limit } = request.query;
    const page = await listHoldings(app.db, request.staff.id, holding, after, limit);
    await auditOnly(app.db, { agencyId: request.staff.agencyId, staffId: request.staff.id, action: 'staff.rotation.holdings', detail: { holding, count: page.length } });
    return { holdings: page.map(toJson) };
  });

  app.post('/v1/staff/rotation/keys', {
    preHandler: member,
    schema: {
      tags: ['staff'], summary: 'Stage keys re-sealed to your new box key, each with its rekey signature (§8.3.12)',
      body: z.object({ keys: z.array(stagedKey).min(1).max(500) }),
      response: { 201: z.object({ unstaged: z.number().int() }), ...errors('not_found', 'validation_failed', 'crypto_failed', 'conflict') },
    },
  }, async (request, reply) => {
    const me = request.staff;
    const staged = (await stagedRotations(app.db, [me.id])).get(me.id) ?? fail('conflict', 'no rotation is staged: stage it first (POST /v1/staff/rotation)');
    const be = await loadBackend();
    const keys: StagedKey[] = [];
    for (const k of request.body.keys) keys.push(await checkedKey(app, be, me.id, staged.signPublicKey, k));
    await audited(app.db, async (trx) => {
      await stageKeys(trx, me.id, keys);
      return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'staff.rotation.keys', detail: { count: keys.length } } };
    });
    return reply.code(201).send({ unstaged: await unstagedCount(app.db, me.id) });
  });
};
export default rotation;
