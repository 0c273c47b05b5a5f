import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findAgency } from '../../db/agencies.js';
import { bundleHistory, currentBundle } from '../../db/bundles.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { keyTransitions } from '../../db/key-transitions.js';
import { enc, keyTransition, uuid } from '../staff-schemas.js';

// An agency's signing key and current bundle, for staff about to seal something to a
// colleague (grant, re-sealed share). Clients verify the bundle against the pinned
// fingerprint and never take a box key from anywhere else. The history (every bundle
// published) is what `audit verify` checks old signatures against.

const bundle: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/staff/agencies/:agencyId/bundle',
    {
      preHandler: app.requireStaff(),
      schema: {
        tags: ['staff'], summary: 'An agency\'s signing key and current key bundle',
        params: z.object({ agencyId: uuid }),
        response: {
          200: z.object({
            agencyId: uuid, slug: z.string(), name: z.string(),
            jurisdiction: z.string().describe('the rule sets the server applies; an admin signs it into the next bundle (§9), clients believe only the signed one'),
            signingPublicKey: z.string(), serial: z.number().int().nullable(), payload: z.string().nullable(), signature: z.string().nullable(),
            keyTransitions: z.array(keyTransition).describe('every signing-key hand-over, oldest first (§9.2)') }),
          ...errors('not_found'),
        },
      },
    },
    async (request) => {
      const agency = (await findAgency(app.db, request.params.agencyId)) ?? fail('not_found', 'no such agency');
      const current = await currentBundle(app.db, agency.id);
      return {
        agencyId: agency.id, slug: agency.slug, name: agency.name, jurisdiction: agency.profile, signingPublicKey: enc(agency.signingPublicKey),
        serial: current?.serial ?? null, payload: current ? enc(current.payload) : null, signature: current ? enc(current.signature) : null,
        keyTransitions: await keyTransitions(app.db, agency.id),
      };
    },
  );

  app.get(
    '/v1/staff/agencies/:agencyId/bundles',
    {
      preHandler: app.requireStaff(),
      schema: {
        tags: ['staff'], summary: 'Every key bundle an agency published, for audit verify',
        params: z.object({ agencyId: uuid }),
        response: {
          200: z.object({
            agencyId: uuid, signingPublicKey: z.string(), keyTransitions: z.array(keyTransition),
            bundles: z.array(z.object({ serial: z.number().int(), publishedOn: z.string(), payload: z.string(), signature: z.string() })),
          }),
          ...errors('not_found'),
        },
      },
    },
    async (request) => {
      const agency = (await findAgency(app.db, request.params.agencyId)) ?? fail('not_found', 'no such agency');
      const bundles = await bundleHistory(app.db, agency.id);
      return {
        agencyId: agency.id, signingPublicKey: enc(agency.signingPublicKey), keyTransitions: await keyTransitions(app.db, agency.id),
        bundles: bundles.map((b) => ({ serial: b.serial, publishedOn: b.publishedOn, payload: enc(b.payload), signature: enc(b.signature) })),
      };
    },
  );
};
export default bundle;
