import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from './connect.js';
import type { StaffRole } from './schema.js';
import { clearPreferences } from './notifications.js';
import { revokeAllSessions } from './sessions.js';

// Staff records. There is no password anywhere: an invitation carries a one-time
// enrolment code (only its hash is kept) and enrolment registers the public keys of a
// key file generated on the staff member's own machine.

const ENROLMENT_DAYS = 7;

/** The 32-byte enrolment verifier; the enrolment proof signs it (see routes/staff/enrol.ts). */
export function enrolmentVerifier(code: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`tipline/v1/enrolment\0${code.trim()}`).digest());
}

export async function inviteStaff(
  db: Database,
  agencyId: string,
  person: { displayName: string; roles: StaffRole[] },
): Promise<{ staffId: string; enrolmentCode: string; expiresAt: Date }> {
  const staffId = randomUUID();
  const enrolmentCode = randomBytes(18).toString('base64url');
  const expiresAt = new Date(Date.now() + ENROLMENT_DAYS * 86400_000);
  await db
    .insertInto('staff')
    .values({
      id: staffId,
      agency_id: agencyId,
      display_name: person.displayName,
      roles: sql`${sql.val([...new Set(person.roles)])}::text[]` as never,
      status: 'invited',
      enrolment_verifier: enrolmentVerifier(enrolmentCode),
      enrolment_expires_at: expiresAt,
    })
    .execute();
  return { staffId, enrolmentCode, expiresAt };
}

/** Registers the keys and activates, if the code matches an unexpired invitation. Single use. */
export async function completeEnrolment(
  db: Database,
  e: { staffId: string; verifier: Uint8Array; signPublicKey: Uint8Array; boxPublicKey: Uint8Array },
): Promise<{ agencyId: string } | null> {
  const row = await db
    .selectFrom('staff')
    .select(['agency_id', 'enrolment_verifier'])
    .where('id', '=', e.staffId)
    .where('status', '=', 'invited')
    .where('enrolment_expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row?.enrolment_verifier) return null;
  const stored = Buffer.from(row.enrolment_verifier);
  if (stored.length !== e.verifier.length || !timingSafeEqual(stored, Buffer.from(e.verifier))) return null;
  const res = await db
    .updateTable('staff')
    .set({ status: 'active', sign_public_key: e.signPublicKey, box_public_key: e.boxPublicKey, enrolment_verifier: null, enrolment_expires_at: null })
    .where('id', '=', e.staffId)
    .where('status', '=', 'invited')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0 ? { agencyId: row.agency_id } : null;
}

/**
 * Deactivates a member of `agencyId`, then ends their sessions (the auth check also
 * refuses non-active staff) and deletes their notification address; false, with nothing
 * changed, when no such member is in that agency. The agency check comes first: an
 * admin of another agency must not even log the member out. (No transaction of its
 * own, so a caller's transaction can be passed in `db`.)
 */
export async function deactivateStaff(db: Database, agencyId: string, staffId: string): Promise<boolean> {
  const res = await db
    .updateTable('staff')
    .set({ status: 'deactivated', enrolment_verifier: null, enrolment_expires_at: null })
    .where('id', '=', staffId)
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) return false;
  await revokeAllSessions(db, staffId);
  // A departed member's mail address is kept no longer than their notifications run.
  await clearPreferences(db, staffId);
  return true;
}

export interface StaffMember {
  id: string;
  agencyId: string;
  displayName: string;
  roles: StaffRole[];
  status: 'invited' | 'active' | 'deactivated';
  signPublicKey: Uint8Array | null;
  boxPublicKey: Uint8Array | null;
}

function toMember(r: {
  id: string; agency_id: string; display_name: string; roles: StaffRole[]; status: StaffMember['status'];
  sign_public_key: Uint8Array | null; box_public_key: Uint8Array | null;
}): StaffMember {
  return {
    id: r.id,
    agencyId: r.agency_id,
    displayName: r.display_name,
    roles: r.roles,
    status: r.status,
    signPublicKey: r.sign_public_key ? new Uint8Array(r.sign_public_key) : null,
    boxPublicKey: r.box_public_key ? new Uint8Array(r.box_public_key) : null,
  };
}

const memberColumns = ['id', 'agency_id', 'display_name', 'roles', 'status', 'sign_public_key', 'box_public_key'] as const;

export async function findStaff(db: Database, staffId: string): Promise<StaffMember | null> {
  const row = await db.selectFrom('staff').select(memberColumns).where('id', '=', staffId).executeTakeFirst();
  return row ? toMember(row) : null;
}

export async function listStaff(db: Database, agencyId: string): Promise<StaffMember[]> {
  const rows = await db
    .selectFrom('staff')
    .select(memberColumns)
    .where('agency_id', '=', agencyId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toMember);
}
