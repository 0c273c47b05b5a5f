import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  agencyFingerprint, loadBackend, TiplineCryptoError, toBase64Url, transitionsFromJson, verifyAgencyKeyTransition, verifyBundle,
  type AgencyKeyTransition, type Backend, type BundleContent,
} from '../../../protocol/index.js';
import { findAgency } from '../../db/agencies.js';
import { audited } from '../../db/audited.js';
import { currentBundle, insertBundle } from '../../db/bundles.js';
import { insertKeyTransition } from '../../db/key-transitions.js';
import { listStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { keyTransition, staffBytes, bytesOf } from '../staff-schemas.js';

// Publishing a key bundle signed offline with the agency key. The server refuses a
// bad signature, a serial not above the current one, and a bundle whose keys differ
// from the ones staff registered — so a typo cannot lock staff out of new cases.
// A bundle may come with a key-transition statement (PROTOCOL.md §9.1): then it is the
// first bundle the new key signs, and both are recorded, and the new key made the
// agency's, in one audited transaction.

/** The statement, checked: both signatures, the agency's current key as the old one, the bundle's serial. */
function checkedTransition(be: Backend, agencyId: string, currentKey: Uint8Array, posted: unknown, serial: number): AgencyKeyTransition {
  const [t] = transitionsFromJson(agencyId, [posted]);
  if (!t || !verifyAgencyKeyTransition(be, t)) return fail('bundle_invalid', 'the key transition is not signed by both keys');
  if (toBase64Url(t.oldPublicKey) !== toBase64Url(currentKey)) return fail('bundle_invalid', "the key transition does not start from the agency's current key");
  if (t.effectiveSerial !== serial) return fail('bundle_invalid', 'the key transition takes effect at another serial than this bundle');
  return t;
}

function transitionAudit(be: Backend, t: AgencyKeyTransition) {
  return {
    effectiveSerial: t.effectiveSerial, issuedOn: t.issuedOn,
    oldFingerprint: agencyFingerprint(be, t.oldPublicKey), newFingerprint: agencyFingerprint(be, t.newPublicKey),
    oldSignature: toBase64Url(t.oldSignature), newSignature: toBase64Url(t.newSignature),
  };
}

function sameKeys(content: BundleContent, registered: Awaited<ReturnType<typeof listStaff>>): boolean {
  const active = new Map(registered.filter((s) => s.status === 'active').map((s) => [s.id, s]));
  return content.staff.every((entry) => {
    const s = active.get(entry.staffId);
    return (
      s !== undefined && s.signPublicKey !== null && s.boxPublicKey !== null &&
      toBase64Url(s.signPublicKey) === entry.signPublicKey && toBase64Url(s.boxPublicKey) === entry.boxPublicKey &&
      entry.roles.every((r) => s.roles.includes(r))
    );
  });
}

const bundles: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/admin/bundles',
    {
      preHandler: app.requireStaff('admin'),
      schema: { tags: ['admin'], summary: 'Publish a key bundle signed offline with the agency key (§9)', body: z.object({ payload: staffBytes, signature: staffBytes, keyTransition: keyTransition.optional().describe('hands the agency over to the key that signs this bundle (§9.1)') }), response: { 201: z.object({ serial: z.number().int() }), ...errors('not_found', 'validation_failed', 'bundle_invalid') } },
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
      if (!sameKeys(content, await listStaff(app.db, me.agencyId))) return fail('bundle_invalid', 'the bundle lists keys that are not registered');
      const transition = posted ? checkedTransition(be, agency.id, agency.signingPublicKey, posted, content.serial) : undefined;
      await audited(app.db, async (trx) => {
        if (!(await insertBundle(trx, { agencyId: me.agencyId, serial: content.serial, ...bundle }))) return fail('bundle_invalid', 'a bundle with this serial exists');
        if (transition && !(await insertKeyTransition(trx, transition))) return fail('bundle_invalid', 'the agency key has already been handed over');
        const detail = { serial: content.serial, staff: content.staff.length, ...(transition ? { keyTransition: transitionAudit(be, transition) } : {}) };
        return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: transition ? 'agency.key-rotate' : 'bundle.publish', detail } };
      });
      return reply.code(201).send({ serial: content.serial });
    },
  );
};
export default bundles;
