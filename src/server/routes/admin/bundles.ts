import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, TiplineCryptoError, toBase64Url, verifyBundle, type BundleContent } from '../../../protocol/index.js';
import { findAgency } from '../../db/agencies.js';
import { audited } from '../../db/audited.js';
import { currentBundle, insertBundle } from '../../db/bundles.js';
import { listStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { staffBytes, bytesOf } from '../staff-schemas.js';

// Publishing a key bundle signed offline with the agency key. The server refuses a
// bad signature, a serial not above the current one, and a bundle whose keys differ
// from the ones staff registered — so a typo cannot lock staff out of new cases.

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
      schema: { tags: ['admin'], summary: 'Publish a key bundle signed offline with the agency key (§9)', body: z.object({ payload: staffBytes, signature: staffBytes }), response: { 201: z.object({ serial: z.number().int() }), ...errors('not_found', 'validation_failed', 'bundle_invalid') } },
    },
    async (request, reply) => {
      const me = request.staff;
      const agency = (await findAgency(app.db, me.agencyId)) ?? fail('not_found', 'no such agency');
      const bundle = { payload: bytesOf(request.body.payload), signature: bytesOf(request.body.signature) };
      const current = await currentBundle(app.db, me.agencyId);
      let content: BundleContent;
      try {
        content = verifyBundle(await loadBackend(), bundle, { agencyPublicKey: agency.signingPublicKey, minSerial: (current?.serial ?? 0) + 1 });
      } catch (err) {
        if (err instanceof TiplineCryptoError) return fail('bundle_invalid', 'the bundle is not signed by this agency, or its serial is not new');
        throw err;
      }
      if (content.agencyId !== agency.id || content.agencySlug !== agency.slug) return fail('bundle_invalid', 'the bundle names another agency');
      // Staff clients check the workflow by the jurisdiction the bundle signs: it must be the one the server applies.
      if (content.jurisdiction !== agency.profile) return fail('bundle_invalid', `the bundle must name the agency's jurisdiction, ${agency.profile}`);
      if (!sameKeys(content, await listStaff(app.db, me.agencyId))) return fail('bundle_invalid', 'the bundle lists keys that are not registered');
      await audited(app.db, async (trx) => {
        if (!(await insertBundle(trx, { agencyId: me.agencyId, serial: content.serial, ...bundle }))) return fail('bundle_invalid', 'a bundle with this serial exists');
        return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'bundle.publish', detail: { serial: content.serial, staff: content.staff.length } } };
      });
      return reply.code(201).send({ serial: content.serial });
    },
  );
};
export default bundles;
