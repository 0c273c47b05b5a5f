import type { Database } from './connect.js';

// The public agency directory: what a client needs to seal a case to an agency, all of
// it public (names, signing keys, signed key bundles). Clients verify each bundle
// against a pinned fingerprint; the server is only a courier for them.

export interface DirectoryBundle { serial: number; payload: Uint8Array; signature: Uint8Array; publishedOn: string }

export interface DirectoryAgency {
  id: string;
  slug: string;
  name: string;
  profile: string;
  signingPublicKey: Uint8Array;
  bundle: DirectoryBundle | null;
}

function agencies(db: Database) {
  return db
    .selectFrom('agencies')
    .leftJoin('key_bundles', (j) =>
      j
        .onRef('key_bundles.agency_id', '=', 'agencies.id')
        // Only the newest bundle of each agency.
        .on((eb) =>
          eb('key_bundles.serial', '=', eb.selectFrom('key_bundles as kb').select((k) => k.fn.max('kb.serial').as('m')).whereRef('kb.agency_id', '=', 'agencies.id')),
        ),
    )
    .select([
      'agencies.id', 'agencies.slug', 'agencies.name', 'agencies.profile', 'agencies.signing_public_key',
      'key_bundles.serial', 'key_bundles.payload', 'key_bundles.signature', 'key_bundles.published_on',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof agencies>['execute']>>[number];

function toAgency(row: Row): DirectoryAgency {
  const bundle =
    row.serial !== null && row.payload !== null && row.signature !== null && row.published_on !== null
      ? { serial: row.serial, payload: row.payload, signature: row.signature, publishedOn: row.published_on }
      : null;
  return { id: row.id, slug: row.slug, name: row.name, profile: row.profile, signingPublicKey: row.signing_public_key, bundle };
}

/** Every agency by name, no key: what a page needs to offer the choice (GET /v1/directory). */
export async function listAgencyNames(db: Database): Promise<Pick<DirectoryAgency, 'id' | 'slug' | 'name' | 'profile'>[]> {
  return db.selectFrom('agencies').select(['id', 'slug', 'name', 'profile']).orderBy('slug').execute();
}

export async function listAgencies(db: Database): Promise<DirectoryAgency[]> {
  return (await agencies(db).orderBy('agencies.slug').execute()).map(toAgency);
}

export async function findAgency(db: Database, by: { id: string } | { slug: string }): Promise<DirectoryAgency | undefined> {
  const query = 'id' in by ? agencies(db).where('agencies.id', '=', by.id) : agencies(db).where('agencies.slug', '=', by.slug);
  const row = await query.executeTakeFirst();
  return row ? toAgency(row) : undefined;
}
