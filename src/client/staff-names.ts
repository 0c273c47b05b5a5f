import type { BundleContent } from '../protocol/index.js';

// Colleagues' names as the agency signed them (PROTOCOL.md §9, "Names"). The server's
// staff lists (GET /v1/staff/colleagues, /v1/admin/staff) are its word: a database
// writer could relabel whoever signed a reply or took a step. A name shown beside a
// signature comes only from a bundle verified against the pin; a member no verified
// bundle names is shown by staff id, marked unverified.

/** A member's name, from the newest verified bundle that names them. */
export interface SignedName { displayName: string }

/**
 * Staff id → signed name, from `bundles` (verified, in any order). The newest bundle
 * naming a member wins; a listing without a name (a bundle published before names were
 * signed) names no one.
 */
export function signedNames(bundles: readonly BundleContent[]): Map<string, SignedName> {
  const names = new Map<string, SignedName>();
  for (const bundle of [...bundles].sort((a, b) => a.serial - b.serial)) {
    for (const member of bundle.staff) {
      if (member.displayName === undefined) continue;
      names.set(member.staffId, { displayName: member.displayName });
    }
  }
  return names;
}

/** The first 8 characters of a staff id: what is shown, marked unverified, when no signed name is. */
export const shortStaffId = (staffId: string): string => staffId.slice(0, 8);
