import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, TiplineCryptoError, toBase64Url, verifyBundle, type BundleContent } from '../../../protocol/index.js';
import { checkedTransition, transitionAudit } from './key-transition.js';
import { findAgency } from '../../db/agencies.js';
import { appendAudit } from '../../db/audit.js';
import { audited } from '../../db/audited.js';
import { deleteDepartedKeys } from '../../db/departure.js';
import { currentBundle, insertBundle } from '../../db/bundles.js';
import { insertKeyTransition } from '../../db/key-transitions.js';
import { completeRotation, stagedRotations, unstagedCount, type StagedRotation } from '../../db/rotation.js';
import { listStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { keyTransition, staffBytes, bytesOf } from '../staff-schemas.js';

// Publishing a key bundle signed offline with the agency key. The server refuses a
// bad signature, a serial not above the current one, and a bundle whose keys differ
// from the ones staff registered — so a typo cannot lock staff out of new cases. A
// bundle listing a member's staged new keys completes their rotation in the same
// transaction, and only once every key they hold has its re-sealed copy.
// A bundle may come with a key-transition statement (PROTOCOL.md §9.2): then it is the
// first bundle the new key signs, and both are recorded, and the new key made the
// agency's, in the same audited transaction (key-transition.ts).

type Registered = Awaited<ReturnType<typeof listStaff>>;

/**
 * The members the bundle lists with keys of a staged rotation (§7.1) rather than their
 * registered ones, or null when it lists any key that is neither: a deactivated member,
 * an unknown key, a role the server does not give them.
 */
function rotatedIn(content: BundleContent, registered: Registered, rotations: Map<string, StagedRotation>): StagedRotation[] | null {
  const active = new Map(registered.filter((s) => s.status === 'active').map((s) => [s.id, s]));
  const rotated: StagedRotation[] = [];
  for (const entry of content.staff) {
    const s = active.get(entry.staffId);
    if (!s || !s.signPublicKey || !s.boxPublicKey || !entry.roles.every((r) => s.roles.includes(r))) return null;
    const lists = (sign: Uint8Array, box: Uint8Array) => toBase64Url(sign) === entry.signPublicKey && toBase64Url(box) === entry.boxPublicKey;
    if (lists(s.signPublicKey, s.boxPublicKey)) continue;
    const r = rotations.get(s.id);
    if (!r || !lists(r.signPublicKey, r.boxPublicKey)) return null;
    rotated.push(r);
  }
  return rotated;
}

const bundles: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/admin/bundles',
    {
      preHandler: app.requireStaff('admin'),
      schema: { tags: ['admin'], summary: 'Publish a key bundle signed offline with the agency key (§9)', body: z.object({ payload: staffBytes, signature: staffBytes, keyTransition: keyTransition.optional().describe('hands the agency over to the key that signs this bundle (§9.2)') }), response: { 201: z.object({ serial: z.number().int() }), ...errors('not_found', 'validation_failed', 'bundle_invalid') } },
    },
    async (request, reply) => {
      const me = request.staff;
      const agency = (await findAgency(app.db, me.agencyId)) ?? fail('not_found', 'no such agency');
      const bundle = { payload: bytesOf(request.body.payload), signature: bytesOf(request.body.signature) };
      const current = await currentBundle(app.db, me.agencyId);
      const be = await loadBackend();
      const posted = request.body.keyTransition;
      const signer = posted ? bytesOf(posted.newPublicKey, 32) : agency.signingPublicKey;
      let content: BundleContent;
      try {
        content = verifyBundle(be, bundle, { agencyPublicKey: signer, minSerial: (current?.serial ?? 0) + 1 });
      } catch (err) {
        if (err instanceof TiplineCryptoError) return fail('bundle_invalid', 'the bundle is not signed by this agency, or its serial is not new');
        throw err;
      }
      if (content.agencyId !== agency.id || content.agencySlug !== agency.slug) return fail('bundle_invalid', 'the bundle names another agency');
      // Staff clients check the workflow by the jurisdiction the bundle signs: it must be the one the server applies.
      if (content.jurisdiction !== agency.profile) return fail('bundle_invalid', `the bundle must name the agency's jurisdiction, ${agency.profile}`);
      const registered = await listStaff(app.db, me.agencyId);
      const rotated = rotatedIn(content, registered, await stagedRotations(app.db, registered.map((m) => m.id)));
      if (!rotated) return fail('bundle_invalid', 'the bundle lists keys that are not registered');
      const transition = posted ? checkedTransition(be, agency.id, agency.signingPublicKey, posted, content.serial) : undefined;
      await audited(app.db, async (trx) => {
        if (!(await insertBundle(trx, { agencyId: me.agencyId, serial: content.serial, ...bundle }))) return fail('bundle_invalid', 'a bundle with this serial exists');
        if (transition && !(await insertKeyTransition(trx, transition))) return fail('bundle_invalid', 'the agency key has already been handed over');
        for (const r of rotated) {
          // Counted in the transaction that swaps the keys, so that a grant made meanwhile is not lost to the old key.
          const missing = await unstagedCount(trx, r.staffId);
          if (missing > 0) return fail('bundle_invalid', `the rotation of ${r.staffId} is not complete: ${missing} keys are not yet re-sealed to the new key`);
          const replaced = await completeRotation(trx, r);
          await appendAudit(trx, { agencyId: me.agencyId, staffId: me.id, action: 'staff.rotation.complete', detail: { member: r.staffId, serial: content.serial, replaced } });
        }
        const departedKeys = await deleteDepartedKeys(trx, me.agencyId);
        return { result: null, audit: {
          agencyId: me.agencyId, staffId: me.id, action: transition ? 'agency.key-rotate' : 'bundle.publish',
          detail: {
            serial: content.serial, staff: content.staff.length, rotated: rotated.map((r) => r.staffId), departedKeys,
            ...(transition ? { keyTransition: transitionAudit(be, transition) } : {}),
          },
        } };
      });
      return reply.code(201).send({ serial: content.serial });
    },
  );
};
export default bundles;
