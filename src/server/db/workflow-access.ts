import type { WorkflowRole } from '../../domain/index.js';
import { fail } from '../errors.js';
import type { StaffPrincipal } from '../plugins/staff-auth.js';
import { findCaseForStaff, hasGrant, type CaseRecord } from './case-access.js';
import type { Database } from './connect.js';

// The workflow roles a staff member holds *on one case*: intake and supervisor reach
// every case of their agency; the investigator role counts only on a case granted to
// them (LEGAL.md: investigators verify the cases assigned to them).

export async function workflowRolesOn(db: Database, staff: StaffPrincipal, kase: CaseRecord): Promise<WorkflowRole[]> {
  const roles: WorkflowRole[] = [];
  const home = kase.agency_id === staff.agencyId;
  if (home && staff.roles.includes('supervisor')) roles.push('supervisor');
  if (home && staff.roles.includes('intake')) roles.push('intake');
  if (staff.roles.includes('investigator') && (await hasGrant(db, staff.id, kase.id))) roles.push('investigator');
  return roles;
}

/** The case, or 404 whether it is missing or out of the caller's reach (no existence oracle). */
export async function caseInReach(db: Database, staff: StaffPrincipal, caseId: string): Promise<CaseRecord> {
  const kase = await findCaseForStaff(db, staff, caseId);
  if (!kase || kase.purged_on) return fail('not_found', 'not found');
  return kase;
}
