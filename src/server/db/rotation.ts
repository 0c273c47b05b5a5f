import { sql } from 'kysely';
import type { Database } from './connect.js';
import type { RotationHolding } from './staff-tables.js';
import { revokeAllSessions } from './sessions.js';

// A staff member's key rotation (PROTOCOL.md §7.1). The member's client stages the
// statement and every key it re-sealed to the new box key; nothing changes for anyone
// until the admin publishes a bundle listing the new keys, and then the swap is one
// transaction (completeRotation, from routes/admin/bundles.ts): the new keys become the
// registered ones, every re-sealed key replaces the old one (the old wrapped bytes are
// overwritten, not kept), and the staging rows go. A bundle may list the new keys only
// once every key the member holds has its re-sealed copy, so nothing is lost.

export interface StagedRotation {
  staffId: string;
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
  oldSignature: Uint8Array;
  newSignature: Uint8Array;
  stagedOn: string;
}

/** Replaces the member's staged rotation, if any, and every key staged for it. */
export async function stageRotation(db: Database, r: Omit<StagedRotation, 'stagedOn'>): Promise<void> {
  await db.deleteFrom('staff_rotations').where('staff_id', '=', r.staffId).execute();
  await db.insertInto('staff_rotations').values({
    staff_id: r.staffId, new_sign_public_key: r.signPublicKey, new_box_public_key: r.boxPublicKey,
    old_signature: r.oldSignature, new_signature: r.newSignature,
  }).execute();
}

export async function cancelRotation(db: Database, staffId: string): Promise<boolean> {
  const res = await db.deleteFrom('staff_rotations').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function stagedRotations(db: Database, staffIds: readonly string[]): Promise<Map<string, StagedRotation>> {
  if (staffIds.length === 0) return new Map();
  const rows = await db.selectFrom('staff_rotations').selectAll().where('staff_id', 'in', staffIds).execute();
  return new Map(rows.map((r) => [r.staff_id, {
    staffId: r.staff_id, signPublicKey: new Uint8Array(r.new_sign_public_key), boxPublicKey: new Uint8Array(r.new_box_public_key),
    oldSignature: new Uint8Array(r.old_signature), newSignature: new Uint8Array(r.new_signature), stagedOn: r.staged_on,
  }]));
}

/** One key the member holds, as the client re-seals it: its subject, the agency it is bound to, the wrapped bytes. */
export interface Holding {
  holding: RotationHolding;
  /** The case, the protection request (details shares) or the identity request (request keys). */
  subjectId: string;
  /** The id the wrap binds (§3): the subject, except for a request key, bound to the request's own subject. */
  boundId: string;
  agencyId: string;
  wrapped: Uint8Array;
  /** For a case key: who granted it (null: wrapped at submission), and an earlier rotation's origin and signature. */
  grant?: { grantedBy: string; granterAgencyId: string | null; signature: Uint8Array | null } | null;
  rekey?: { originDigest: Uint8Array; signature: Uint8Array } | null;
}

/** A page of the member's keys of one holding, in subject order after `after`. */
export async function listHoldings(db: Database, staffId: string, holding: RotationHolding, after: string | undefined, limit: number): Promise<Holding[]> {
  if (holding === 'case_key') {
    let q = db.selectFrom('case_keys as k').innerJoin('cases as c', 'c.id', 'k.case_id').leftJoin('staff as g', 'g.id', 'k.granted_by')
      .select(['k.case_id', 'c.agency_id', 'k.wrapped', 'k.granted_by', 'k.signature', 'g.agency_id as granter_agency', 'k.origin_digest', 'k.rekey_signature'])
      .where('k.staff_id', '=', staffId).where('k.recipient', '=', 'staff');
    if (after) q = q.where('k.case_id', '>', after);
    const rows = await q.orderBy('k.case_id').limit(limit).execute();
    return rows.map((r) => ({
      holding, subjectId: r.case_id, boundId: r.case_id, agencyId: r.agency_id, wrapped: new Uint8Array(r.wrapped),
      grant: r.granted_by === null ? null : { grantedBy: r.granted_by, granterAgencyId: r.granter_agency, signature: r.signature && new Uint8Array(r.signature) },
      rekey: r.origin_digest && r.rekey_signature ? { originDigest: new Uint8Array(r.origin_digest), signature: new Uint8Array(r.rekey_signature) } : null,
    }));
  }
  if (holding === 'identity_share') {
    let q = db.selectFrom('identity_shares as s').innerJoin('cases as c', 'c.id', 's.case_id')
      .select(['s.case_id as subject', 'c.agency_id', 's.wrapped']).where('s.custodian_id', '=', staffId);
    if (after) q = q.where('s.case_id', '>', after);
    const rows = await q.orderBy('s.case_id').limit(limit).execute();
    return rows.map((r) => ({ holding, subjectId: r.subject, boundId: r.subject, agencyId: r.agency_id, wrapped: new Uint8Array(r.wrapped) }));
  }
  if (holding === 'request_key') return listRequestKeys(db, staffId, after, limit);
  let q = db.selectFrom('protection_shares as s').innerJoin('protection_requests as p', 'p.id', 's.request_id')
    .select(['s.request_id as subject', 'p.agency_id', 's.wrapped']).where('s.custodian_id', '=', staffId);
  if (after) q = q.where('s.request_id', '>', after);
  const rows = await q.orderBy('s.request_id').limit(limit).execute();
  return rows.map((r) => ({ holding, subjectId: r.subject, boundId: r.subject, agencyId: r.agency_id, wrapped: new Uint8Array(r.wrapped) }));
}

/** Keys of identity requests wrapped to the member (§8.3.5): bound to the case, or to the protection request asked about. */
async function listRequestKeys(db: Database, staffId: string, after: string | undefined, limit: number): Promise<Holding[]> {
  let q = db.selectFrom('identity_request_keys as k').innerJoin('identity_requests as r', 'r.id', 'k.request_id').innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['k.request_id', 'r.case_id', 'r.protection_request_id', 'c.agency_id', 'k.wrapped']).where('k.staff_id', '=', staffId);
  if (after) q = q.where('k.request_id', '>', after);
  const rows = await q.orderBy('k.request_id').limit(limit).execute();
  return rows.map((r) => ({
    holding: 'request_key' as const, subjectId: r.request_id, boundId: r.protection_request_id ?? r.case_id, agencyId: r.agency_id, wrapped: new Uint8Array(r.wrapped),
  }));
}

/**
 * The wrapped key the member holds now for one subject, and what its re-sealed copy must
 * name as origin: an earlier rotation's origin, else the digest of the key itself.
 */
export async function heldKey(db: Database, staffId: string, holding: RotationHolding, subjectId: string): Promise<{ wrapped: Uint8Array; origin: Uint8Array | null } | null> {
  const row = holding === 'case_key'
    ? await db.selectFrom('case_keys').select(['wrapped', 'origin_digest']).where('staff_id', '=', staffId).where('case_id', '=', subjectId).where('recipient', '=', 'staff').executeTakeFirst()
    : holding === 'identity_share'
      ? await db.selectFrom('identity_shares').select(['wrapped', sql<null>`null`.as('origin_digest')]).where('custodian_id', '=', staffId).where('case_id', '=', subjectId).executeTakeFirst()
      : holding === 'protection_share'
        ? await db.selectFrom('protection_shares').select(['wrapped', sql<null>`null`.as('origin_digest')]).where('custodian_id', '=', staffId).where('request_id', '=', subjectId).executeTakeFirst()
        : await db.selectFrom('identity_request_keys').select(['wrapped', sql<null>`null`.as('origin_digest')]).where('staff_id', '=', staffId).where('request_id', '=', subjectId).executeTakeFirst();
  return row ? { wrapped: new Uint8Array(row.wrapped), origin: row.origin_digest ? new Uint8Array(row.origin_digest) : null } : null;
}

export interface StagedKey { holding: RotationHolding; subjectId: string; wrapped: Uint8Array; originDigest: Uint8Array; signature: Uint8Array }

export async function stageKeys(db: Database, staffId: string, keys: readonly StagedKey[]): Promise<void> {
  if (keys.length === 0) return;
  await db.insertInto('staff_rotation_keys')
    .values(keys.map((k) => ({ staff_id: staffId, holding: k.holding, subject_id: k.subjectId, wrapped: k.wrapped, origin_digest: k.originDigest, signature: k.signature })))
    .onConflict((oc) => oc.columns(['staff_id', 'holding', 'subject_id']).doUpdateSet((eb) => ({
      wrapped: eb.ref('excluded.wrapped'), origin_digest: eb.ref('excluded.origin_digest'), signature: eb.ref('excluded.signature'),
    })))
    .execute();
}

/** How many keys the member holds that have no re-sealed copy staged: a bundle may list the new keys only at zero. */
export async function unstagedCount(db: Database, staffId: string): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    select (select count(*) from case_keys k where k.staff_id = ${staffId} and k.recipient = 'staff' and not exists (
              select 1 from staff_rotation_keys r where r.staff_id = k.staff_id and r.holding = 'case_key' and r.subject_id = k.case_id))
         + (select count(*) from identity_shares s where s.custodian_id = ${staffId} and not exists (
              select 1 from staff_rotation_keys r where r.staff_id = s.custodian_id and r.holding = 'identity_share' and r.subject_id = s.case_id))
         + (select count(*) from protection_shares s where s.custodian_id = ${staffId} and not exists (
              select 1 from staff_rotation_keys r where r.staff_id = s.custodian_id and r.holding = 'protection_share' and r.subject_id = s.request_id))
         + (select count(*) from identity_request_keys q where q.staff_id = ${staffId} and not exists (
              select 1 from staff_rotation_keys r where r.staff_id = q.staff_id and r.holding = 'request_key' and r.subject_id = q.request_id))
      as n`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The swap, in the caller's transaction (the bundle publish that lists the new keys):
 * registered keys, every held key replaced by its re-sealed copy, staging gone, and
 * every session (logged in with the old key) ended. Returns how many keys were replaced.
 */
export async function completeRotation(db: Database, r: StagedRotation): Promise<number> {
  await db.updateTable('staff').set({ sign_public_key: r.signPublicKey, box_public_key: r.boxPublicKey }).where('id', '=', r.staffId).execute();
  const caseKeys = await sql`
    update case_keys k set wrapped = r.wrapped, origin_digest = r.origin_digest, rekey_signature = r.signature
      from staff_rotation_keys r
     where r.staff_id = ${r.staffId} and r.holding = 'case_key' and k.staff_id = r.staff_id and k.case_id = r.subject_id and k.recipient = 'staff'`.execute(db);
  const shares = await sql`
    update identity_shares s set wrapped = r.wrapped from staff_rotation_keys r
     where r.staff_id = ${r.staffId} and r.holding = 'identity_share' and s.custodian_id = r.staff_id and s.case_id = r.subject_id`.execute(db);
  const details = await sql`
    update protection_shares s set wrapped = r.wrapped from staff_rotation_keys r
     where r.staff_id = ${r.staffId} and r.holding = 'protection_share' and s.custodian_id = r.staff_id and s.request_id = r.subject_id`.execute(db);
  const requestKeys = await sql`
    update identity_request_keys q set wrapped = r.wrapped from staff_rotation_keys r
     where r.staff_id = ${r.staffId} and r.holding = 'request_key' and q.staff_id = r.staff_id and q.request_id = r.subject_id`.execute(db);
  await db.deleteFrom('staff_rotations').where('staff_id', '=', r.staffId).execute();
  await revokeAllSessions(db, r.staffId);
  return [caseKeys, shares, details, requestKeys].reduce((n, res) => n + Number(res.numAffectedRows ?? 0), 0);
}
