import { workflowRolesOnCase, type WorkflowRole } from '../../domain/index.js';
import { fail } from '../errors.js';
import type { StaffPrincipal } from '../plugins/staff-auth.js';
import { findCaseForStaff, hasGrant, type CaseRecord } from './case-access.js';
import type { Database } from './connect.js';

// The workflow roles a staff member holds *on one case* (the rule: domain/grants.ts).

export async function workflowRolesOn(db: Database, staff: StaffPrincipal, kase: CaseRecord): Promise<WorkflowRole[]> {
  const home = kase.agency_id === staff.agencyId;
  const granted = staff.roles.includes('investigator') && (await hasGrant(db, staff.id, kase.id));
  return workflowRolesOnCase(staff.roles, { home, granted });
}

/** The case, or 404 whether it is missing or out of the caller's reach (no existence oracle). */
export async function caseInReach(db: Database, staff: StaffPrincipal, caseId: string): Promise<CaseRecord> {
  const kase = await findCaseForStaff(db, staff, caseId);
  if (!kase || kase.purged_on) return fail('not_found', 'not found');
  return kase;
}
