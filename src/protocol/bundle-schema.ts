import { fromBase64Url, fromUtf8 } from './bytes.js';
import { XWING } from './primitives.js';
import { TiplineCryptoError } from './errors.js';
import { STAFF_ROLES, type BundleContent, type BundleRecovery, type BundleStaff, type StaffRole } from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const JURISDICTION = /^[A-Z][A-Z0-9-]{0,15}$/;

/** A staff member's display name (§9): at most this many code points. */
const STAFF_NAME_MAX = 100;
// C0 and C1 controls and DEL; bidirectional marks, embeddings, overrides and isolates;
// zero-width and invisible characters; line and paragraph separators (§9). A name
// with one of them could reorder or hide what a client prints beside it.
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Cs}/u;
// The white space left once those are gone, refused at either end: it would make two
// names that print the same.
const NAME_EDGE_SPACE = /^[\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]|[\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]$/u;

/**
 * Whether `name` may stand in a bundle as a member's display name: 1 to 100 code
 * points, none of the forbidden ones, no unpaired surrogate, no white space at either
 * end. The server's invitation and the publisher apply the same rule.
 */
export function isStaffName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= STAFF_NAME_MAX && !NAME_FORBIDDEN.test(name) && !NAME_EDGE_SPACE.test(name);
}

class ShapeError extends Error {}

function need(condition: boolean): void {
  if (!condition) throw new ShapeError();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function publicKey(value: unknown, length = 32): string {
  need(typeof value === 'string');
  const text = value as string;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch {
    throw new ShapeError();
  }
  need(bytes.length === length);
  return text;
}

/**
 * §16.5: `versions`, where present, lists 1, 2 or both, ascending; 2 exactly when the
 * member has an X-Wing key. Both are optional so that every v1 bundle still parses.
 */
function parseVersions(entry: Record<string, unknown>): Pick<BundleStaff, 'xwingPublicKey' | 'versions'> {
  const keyed = entry.xwingPublicKey !== undefined;
  const xwingPublicKey = keyed ? publicKey(entry.xwingPublicKey, XWING.publicKey) : undefined;
  if (entry.versions === undefined) {
    need(!keyed);
    return {};
  }
  const versions = entry.versions;
  need(Array.isArray(versions) && versions.length > 0);
  const listed = versions as unknown[];
  need(listed.every((v, i) => (v === 1 || v === 2) && (i === 0 || (listed[i - 1] as number) < v)));
  need(listed.includes(2) === keyed);
  return { ...(keyed ? { xwingPublicKey } : {}), versions: listed as number[] };
}

function parseStaff(value: unknown): BundleStaff {
  need(isRecord(value));
  const entry = value as Record<string, unknown>;
  need(typeof entry.staffId === 'string' && UUID.test(entry.staffId));
  need(Array.isArray(entry.roles) && entry.roles.length > 0);
  const roles = entry.roles as unknown[];
  need(roles.every((r) => (STAFF_ROLES as readonly unknown[]).includes(r)) && new Set(roles).size === roles.length);
  // Optional only so that bundles published before names were signed still verify.
  const named = entry.displayName !== undefined;
  need(!named || (typeof entry.displayName === 'string' && isStaffName(entry.displayName)));
  return {
    staffId: entry.staffId as string,
    ...(named ? { displayName: entry.displayName as string } : {}),
    roles: roles as StaffRole[],
    signPublicKey: publicKey(entry.signPublicKey),
    boxPublicKey: publicKey(entry.boxPublicKey),
    ...parseVersions(entry),
  };
}

function parseContent(value: unknown): BundleContent {
  need(isRecord(value));
  const c = value as Record<string, unknown>;
  need(c.version === 1);
  need(typeof c.agencyId === 'string' && UUID.test(c.agencyId));
  need(typeof c.agencySlug === 'string' && SLUG.test(c.agencySlug));
  // Optional only so that bundles signed before it existed still verify.
  const placed = c.jurisdiction !== undefined;
  need(!placed || (typeof c.jurisdiction === 'string' && JURISDICTION.test(c.jurisdiction)));
  need(Number.isSafeInteger(c.serial) && (c.serial as number) >= 1);
  need(typeof c.issuedOn === 'string' && DAY.test(c.issuedOn));
  need(typeof c.expiresOn === 'string' && DAY.test(c.expiresOn) && (c.issuedOn as string) <= c.expiresOn);
  need(Array.isArray(c.staff));
  const staff = (c.staff as unknown[]).map(parseStaff);
  need(new Set(staff.map((s) => s.staffId)).size === staff.length);
  const custodians = staff.filter((s) => s.roles.includes('custodian')).length;
  need(Number.isInteger(c.threshold) && (c.threshold as number) >= 1 && (c.threshold as number) <= Math.max(custodians, 1));
  // Optional: an agency that has not set up recovery lists none, and no case is wrapped to one.
  const recovery = c.recovery === undefined ? undefined : parseRecovery(c.recovery, staff);
  return {
    version: 1,
    agencyId: c.agencyId as string,
    agencySlug: c.agencySlug as string,
    ...(placed ? { jurisdiction: c.jurisdiction as string } : {}),
    serial: c.serial as number,
    threshold: c.threshold as number,
    issuedOn: c.issuedOn as string,
    expiresOn: c.expiresOn as string,
    staff,
    ...(recovery ? { recovery } : {}),
  };
}

function parseRecovery(value: unknown, staff: BundleStaff[]): BundleRecovery {
  need(isRecord(value));
  const r = value as Record<string, unknown>;
  const boxPublicKey = publicKey(r.boxPublicKey);
  // A staff member's box key as the recovery key would let that one person read every case.
  need(staff.every((s) => s.boxPublicKey !== boxPublicKey));
  need(Number.isInteger(r.threshold) && Number.isInteger(r.shares));
  const threshold = r.threshold as number;
  const shares = r.shares as number;
  need(threshold >= 2 && threshold <= shares && shares <= 255);
  return { boxPublicKey, threshold, shares };
}

/** Parses the signed payload; anything malformed is bundle_invalid. */
export function parseBundleContent(payload: Uint8Array): BundleContent {
  try {
    return parseContent(JSON.parse(fromUtf8(payload)));
  } catch {
    throw new TiplineCryptoError('bundle_invalid');
  }
}
