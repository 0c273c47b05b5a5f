// Who may hand a case's content key to whom (PROTOCOL.md §8.3.2). One rule for the
// server, which refuses a grant outside it, and for staff clients, which refuse to use
// a key whose granter it does not allow.

/** Roles that may grant (assign or transfer) a case they hold the key of, and revoke a grant. */
export const GRANTER_ROLES = ['intake'] as const;

/** Roles that read and write a case's thread and files, when they hold its key. */
export const CASE_READER_ROLES = ['intake', 'investigator'] as const;

/** Roles a key wrapped at submission goes to: the agency's intake officers, listed in its bundle. */
export const SUBMISSION_RECIPIENT_ROLES = ['intake'] as const;

/**
 * Who may receive a grant: an active staff member; in the case's own agency an
 * investigator or intake officer (assignment), in another agency only an intake
 * officer (transfer).
 */
export function mayReceiveGrant(recipient: { status: string; roles: readonly string[] }, sameAgency: boolean): boolean {
  if (recipient.status !== 'active') return false;
  const roles = recipient.roles;
  return sameAgency ? roles.some((r) => r === 'investigator' || r === 'intake') : roles.includes('intake');
}
