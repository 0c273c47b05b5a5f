import type { WorkflowRole } from './profile.js';

// Who may hand a case's content key to whom (PROTOCOL.md §8.3.2). One rule for the
// server, which refuses a grant outside it, and for staff clients, which refuse to use
// a key whose granter it does not allow.

/** Roles that may grant (assign or transfer) a case they hold the key of, and revoke a grant. */
export const GRANTER_ROLES = ['intake'] as const;

/** Roles that list cases and work on their workflow: the inbox's and the transitions' audience. */
export const CASEWORK_ROLES = ['intake', 'investigator', 'supervisor'] as const;

/**
 * Roles that read and write a case's thread and files, when they hold its key. The head
 * of agency decides acceptance, extension, suspension, termination and the conclusion
 * (LEGAL.md "Who decides") and may need to read the case to do so.
 */
export const CASE_READER_ROLES = ['intake', 'investigator', 'supervisor'] as const;

/** Roles a key wrapped at submission goes to: the agency's intake officers, listed in its bundle. */
export const SUBMISSION_RECIPIENT_ROLES = ['intake'] as const;

/**
 * Who may receive a grant: an active staff member; in the case's own agency an
 * investigator, intake officer or the head of agency who decides it (assignment), in
 * another agency only an intake officer (transfer).
 */
export function mayReceiveGrant(recipient: { status: string; roles: readonly string[] }, sameAgency: boolean): boolean {
  if (recipient.status !== 'active') return false;
  const roles = recipient.roles;
  return sameAgency ? roles.some((r) => (CASE_READER_ROLES as readonly string[]).includes(r)) : roles.includes('intake');
}

/**
 * The workflow roles a staff member holds on one case (LEGAL.md): intake and supervisor
 * reach every case of their own agency; the investigator role counts only on a case
 * granted to them, since investigators verify the cases assigned to them. The server
 * authorises with it and the staff clients show what is possible with it.
 */
export function workflowRolesOnCase(staffRoles: readonly string[], onCase: { home: boolean; granted: boolean }): WorkflowRole[] {
  const roles: WorkflowRole[] = [];
  if (onCase.home && staffRoles.includes('supervisor')) roles.push('supervisor');
  if (onCase.home && staffRoles.includes('intake')) roles.push('intake');
  if (staffRoles.includes('investigator') && onCase.granted) roles.push('investigator');
  return roles;
}
