import type { Selectable } from 'kysely';
import type { Database } from './connect.js';
import type { CasesTable, StaffRole } from './schema.js';

// Who may see a case. Every staff route that touches a case goes through here, and a
// case the caller may not see is reported exactly like a case that does not exist
// (404): no existence oracle for investigators probing ids.
//
// - intake officers and supervisors: every case of their own agency;
// - anyone holding a wrapped content key for the case (a grant): that case, whatever
//   their agency (transfer to another agency's intake is a grant too).
// Admins, auditors and custodians see no case through this path.

export type CaseRecord = Selectable<CasesTable>;

export interface CaseViewer { id: string; agencyId: string; roles: StaffRole[] }

export const AGENCY_WIDE_ROLES: readonly StaffRole[] = ['intake', 'supervisor'];

export function seesWholeAgency(staff: CaseViewer): boolean {
  return staff.roles.some((r) => AGENCY_WIDE_ROLES.includes(r));
}

export async function hasGrant(db: Database, staffId: string, caseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_keys')
    .select('id')
    .where('case_id', '=', caseId)
    .where('staff_id', '=', staffId)
    .where('recipient', '=', 'staff')
    .executeTakeFirst();
  return row !== undefined;
}

export async function findCaseForStaff(db: Database, staff: CaseViewer, caseId: string): Promise<CaseRecord | null> {
  const found = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!found) return null;
  if (found.agency_id === staff.agencyId && seesWholeAgency(staff)) return found;
  return (await hasGrant(db, staff.id, caseId)) ? found : null;
}
