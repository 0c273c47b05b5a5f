import type { StaffClient } from '../client/staff.js';
import { fromBase64Url, loadBackend, staffKeyFingerprint, type BundleContent, type StaffRole } from '../protocol/index.js';
import { describeError } from './errors.js';
import type { ConsoleSession } from './session.js';

// The Administration section's rules. Accounts, the key bundle and the custodians
// (turnover, recovery: custodians.ts) are the admin's; the holiday calendar and retention
// are the head of agency's (supervisor): an edit moves statutory deadlines, a purge
// destroys a case, and the server refuses both to an admin.
// The section is offered to either, and shows each the parts their role may use.

export type AdminPart = 'staff' | 'holidays' | 'retention' | 'bundle' | 'custodians';

const roles = (s: ConsoleSession) => s.client.session.roles;
export const isAdmin = (s: ConsoleSession) => roles(s).includes('admin');
/** The head of agency: edits the calendar, holds and purges. */
export const isHead = (s: ConsoleSession) => roles(s).includes('supervisor');
export const hasAdministration = (s: ConsoleSession) => isAdmin(s) || isHead(s);

/** The parts this member may use, in the order a year's work meets them. Anyone may read the calendar. */
export function adminParts(s: ConsoleSession): AdminPart[] {
  return [
    ...(isAdmin(s) ? ['staff' as const] : []),
    'holidays' as const,
    ...(isHead(s) ? ['retention' as const] : []),
    ...(isAdmin(s) ? ['bundle' as const, 'custodians' as const] : []),
  ];
}

/**
 * How a member the server lists stands against the agency's current verified bundle:
 * signed as listed; listed differently by the server (key, roles or name: to be
 * checked before the next bundle); not yet signed in; or not enrolled (no keys yet).
 */
export type BundleStanding = 'signed' | 'differs' | 'absent' | 'notEnrolled';

export interface StaffRow {
  staffId: string;
  /** The server's word. */
  displayName: string;
  roles: StaffRole[];
  /** invited, active or deactivated; another value is shown as the server wrote it. */
  status: string;
  /** The name the current verified bundle signs for them, if it lists them. */
  signedName: string | undefined;
  standing: BundleStanding;
  /** Of the keys the server lists (what the member reads out from `staff enrol`). */
  fingerprint: string | null;
}

export interface StaffTable {
  rows: StaffRow[];
  /** The verified bundle's serial; null when the agency has none yet or it does not verify. */
  serial: number | null;
  /** Why the bundle could not be checked: then no name is shown as signed. */
  bundleError: string | null;
}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r));

function standing(m: { signPublicKey: string | null; boxPublicKey: string | null; roles: StaffRole[]; displayName: string }, signed: BundleContent['staff'][number] | undefined): BundleStanding {
  if (!m.signPublicKey || !m.boxPublicKey) return 'notEnrolled';
  if (!signed) return 'absent';
  const same = signed.signPublicKey === m.signPublicKey && signed.boxPublicKey === m.boxPublicKey && sameRoles(signed.roles, m.roles) && signed.displayName === m.displayName;
  return same ? 'signed' : 'differs';
}

async function currentBundle(client: StaffClient): Promise<{ bundle: BundleContent | null; error: string | null }> {
  const served = await client.bundle();
  // An agency whose first bundle is still to be published: nobody is signed in yet.
  if (!served.payload) return { bundle: null, error: null };
  try {
    return { bundle: await client.verifiedBundle(), error: null };
  } catch (err) {
    return { bundle: null, error: describeError(err) };
  }
}

/** The server's staff list beside the verified bundle: newest invitations last, as the server lists them. */
export async function loadStaffTable(s: ConsoleSession): Promise<StaffTable> {
  const be = await loadBackend();
  const [{ staff }, { bundle, error }] = await Promise.all([s.client.listStaff(), currentBundle(s.client)]);
  const signed = new Map((bundle?.staff ?? []).map((m) => [m.staffId, m]));
  const rows = staff.map((m): StaffRow => {
    const entry = signed.get(m.staffId);
    return {
      staffId: m.staffId, displayName: m.displayName, roles: m.roles, status: m.status,
      signedName: entry?.displayName, standing: standing(m, entry),
      fingerprint: m.signPublicKey && m.boxPublicKey ? staffKeyFingerprint(be, fromBase64Url(m.signPublicKey), fromBase64Url(m.boxPublicKey)) : null,
    };
  });
  return { rows, serial: bundle?.serial ?? null, bundleError: error };
}

/** Whom the admin may deactivate: not themselves (that would lock the agency out of its accounts), not twice. */
export const mayDeactivate = (s: ConsoleSession, r: StaffRow) => r.status !== 'deactivated' && r.staffId !== s.staffId;
