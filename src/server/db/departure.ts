import type { Database } from './connect.js';
import { deactivateStaff } from './staff.js';

// A member leaves (docs/STAFF.md "Departure"). Deactivation ends their sessions; here,
// in the same transaction, every content key wrapped to them is deleted (not flagged:
// a deleted key cannot leak later), a staged rotation of theirs is dropped, and each
// case they held by a grant that no remaining active member holds by one is flagged
// for intake, who grants it again through the ordinary grant (§8.3.2), which clears
// the flag. Their identity shares stay: replacing a custodian is a reshare.

export interface Departure { reassign: string[]; flagged: string[] }

/** Null, with nothing changed, when the agency has no such member. */
export async function departStaff(db: Database, agencyId: string, staffId: string): Promise<Departure | null> {
  if (!(await deactivateStaff(db, agencyId, staffId))) return null;
  const held = await db.selectFrom('case_keys').select('case_id')
    .where('staff_id', '=', staffId).where('recipient', '=', 'staff').where('granted_by', 'is not', null)
    .orderBy('case_id').execute();
  const reassign = held.map((r) => r.case_id);
  const stillHeld = reassign.length === 0 ? [] : await db.selectFrom('case_keys as k').innerJoin('staff as s', 's.id', 'k.staff_id')
    .select('k.case_id').distinct()
    .where('k.case_id', 'in', reassign).where('k.staff_id', '!=', staffId).where('k.granted_by', 'is not', null).where('s.status', '=', 'active')
    .execute();
  const covered = new Set(stillHeld.map((r) => r.case_id));
  const flagged = reassign.filter((c) => !covered.has(c));
  await db.deleteFrom('case_keys').where('staff_id', '=', staffId).where('recipient', '=', 'staff').execute();
  await db.deleteFrom('staff_rotations').where('staff_id', '=', staffId).execute();
  if (flagged.length > 0) {
    await db.insertInto('case_reassignments').values(flagged.map((caseId) => ({ case_id: caseId, departed_id: staffId })))
      .onConflict((oc) => oc.doNothing()).execute();
  }
  return { reassign, flagged };
}

export interface FlaggedCase { caseId: string; publicNumber: string; departedId: string; flaggedOn: string }

/** The agency's cases waiting to be granted again after a departure, oldest flag first. */
export async function listReassignments(db: Database, agencyId: string): Promise<FlaggedCase[]> {
  const rows = await db.selectFrom('case_reassignments as r').innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['r.case_id', 'c.public_number', 'r.departed_id', 'r.flagged_on'])
    .where('c.agency_id', '=', agencyId).orderBy('r.flagged_on').orderBy('r.case_id').execute();
  return rows.map((r) => ({ caseId: r.case_id, publicNumber: r.public_number, departedId: r.departed_id, flaggedOn: r.flagged_on }));
}

/** A grant answers the flag: the case has a holder again. */
export async function clearReassignment(db: Database, caseId: string): Promise<void> {
  await db.deleteFrom('case_reassignments').where('case_id', '=', caseId).execute();
}

/**
 * Keys sealed to members who have left, from cases submitted while the bundle in force
 * still listed them (between the deactivation and the next bundle): deleted when that
 * bundle is published, in its transaction. Returns how many.
 */
export async function deleteDepartedKeys(db: Database, agencyId: string): Promise<number> {
  const res = await db.deleteFrom('case_keys')
    .where('recipient', '=', 'staff')
    .where('staff_id', 'in', (eb) => eb.selectFrom('staff').select('id').where('agency_id', '=', agencyId).where('status', '=', 'deactivated'))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
