import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database } from './connect.js';

// Agencies and the trust root for creating them. A fresh server has no staff, so the
// first agency is authorised by a one-time bootstrap code: it is generated on the
// server's first start, written to a 0600 file in the data directory (readable only
// by whoever runs the server), stored here only as a hash, and consumed by its use.
// An operator with database access can issue another one for a further agency.

const BOOTSTRAP_SECRET = 'bootstrap_code';

function codeHash(code: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`tipline/v1/bootstrap\0${code.trim()}`).digest());
}

/**
 * Issues a bootstrap code and returns it (the only time it exists in clear). Without
 * `force`, only on a server with no agency and no outstanding code.
 */
export async function issueBootstrapCode(db: Database, force = false): Promise<string | null> {
  if (!force) {
    const anyAgency = await db.selectFrom('agencies').select('id').limit(1).executeTakeFirst();
    if (anyAgency) return null;
  }
  const code = randomBytes(24).toString('base64url');
  const inserted = await db
    .insertInto('server_secrets')
    .values({ name: BOOTSTRAP_SECRET, value: codeHash(code) })
    .onConflict((oc) => (force ? oc.column('name').doUpdateSet({ value: codeHash(code) }) : oc.column('name').doNothing()))
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? code : null;
}

/** Spends the bootstrap code: true exactly once for the right code. Lookup by hash. */
export async function consumeBootstrapCode(db: Database, code: string): Promise<boolean> {
  const res = await db
    .deleteFrom('server_secrets')
    .where('name', '=', BOOTSTRAP_SECRET)
    .where('value', '=', codeHash(code))
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export interface NewAgency { slug: string; name: string; signingPublicKey: Uint8Array; profile?: string | undefined }

export async function slugTaken(db: Database, slug: string): Promise<boolean> {
  return (await db.selectFrom('agencies').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export async function insertAgency(db: Database, agency: NewAgency): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('agencies')
    .values({ id, slug: agency.slug, name: agency.name, signing_public_key: agency.signingPublicKey, ...(agency.profile ? { profile: agency.profile } : {}) })
    .execute();
  return id;
}

export async function findAgency(db: Database, id: string) {
  const row = await db.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return { id: row.id, slug: row.slug, name: row.name, profile: row.profile, signingPublicKey: new Uint8Array(row.signing_public_key) };
}
