import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { toBase64Url } from '../../../protocol/index.js';
import { isUuid } from '../../../protocol/bytes.js';
import type { Database } from '../../db/connect.js';
import { findAgency, listAgencies, type DirectoryAgency } from '../../db/directory.js';
import { agencyName } from '../directory/index.js';
import { keyTransitions } from '../../db/key-transitions.js';
import { keyTransition } from '../staff-schemas.js';
import { fail } from '../../errors.js';
import { errors } from '../../error-responses.js';

// Public list of agencies and their signed key bundles: everything a client needs to
// seal a case. Nothing here is secret; clients trust the bundle only after verifying it.
// A page offering the choice lists the names (routes/directory) and then this whole list;
// one agency alone is asked for by a submission (by slug) or a follow-up (by id), each of
// which names its agency anyway.

const agency = agencyName.extend({
  signingPublicKey: z.string().describe('Ed25519 public key, base64url'),
  bundle: z
    .object({
      serial: z.number().int(),
      payload: z.string().describe('signed UTF-8 JSON, base64url'),
      signature: z.string().describe('base64url'),
      publishedOn: z.string(),
    })
    .nullable(),
  keyTransitions: z.array(keyTransition).describe('every signing-key hand-over, oldest first (§9.2): clients follow them from their pin'),
});

async function toJson(db: Database, a: DirectoryAgency): Promise<z.infer<typeof agency>> {
  return {
    agencyId: a.id,
    slug: a.slug,
    name: a.name,
    profile: a.profile,
    signingPublicKey: toBase64Url(a.signingPublicKey),
    bundle: a.bundle && {
      serial: a.bundle.serial,
      payload: toBase64Url(a.bundle.payload),
      signature: toBase64Url(a.bundle.signature),
      publishedOn: a.bundle.publishedOn,
    },
    keyTransitions: await keyTransitions(db, a.id),
  };
}

const directory: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/agencies',
    { schema: { tags: ['directory'], summary: 'List agencies and their key bundles', response: { 200: z.object({ agencies: z.array(agency) }) } } },
    async () => ({ agencies: await Promise.all((await listAgencies(app.db)).map((a) => toJson(app.db, a))) }),
  );

  app.get(
    '/v1/agencies/:agency',
    {
      schema: {
        tags: ['directory'],
        summary: 'One agency, by its slug or its id, with its key bundle',
        params: z.object({ agency: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/).describe('the slug, or the agencyId') }),
        response: { 200: agency, ...errors('not_found') },
      },
    },
    async (request) => {
      const { agency: key } = request.params;
      const found = (isUuid(key) ? await findAgency(app.db, { id: key.toLowerCase() }) : undefined) ?? (await findAgency(app.db, { slug: key }));
      return toJson(app.db, found ?? fail('not_found', 'not found'));
    },
  );
};
export default directory;
