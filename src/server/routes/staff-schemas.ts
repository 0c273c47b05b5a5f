import { z } from 'zod';
import { fromBase64Url, isStaffName, STAFF_ROLES, toBase64Url } from '../../protocol/index.js';
import { fail } from '../errors.js';
import { bytes, uuid } from '../schemas.js';

// Schemas shared by the staff and admin routes.

/** Bytes a staff or admin request carries (keys, signatures, sealed blobs): base64url, at most 12 MB. */
export const staffBytes = bytes(12_000_000, { min: 0 });
export { uuid };
export const role = z.enum(STAFF_ROLES);

export const ok = z.object({ ok: z.literal(true) });

/**
 * A staff member's display name, refused here unless the agency's bundle could carry it
 * (PROTOCOL.md §9): the admin signs it in, and clients show it beside signatures.
 */
export const staffName = z.string().min(1).max(200)
  .refine(isStaffName, 'a name of 1 to 100 characters, with no control, bidirectional or invisible character and no space at either end');

/** Decodes base64url with an exact length check; a wrong length is a 400, never a crash. */
export function bytesOf(text: string, length?: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch {
    return fail('validation_failed', 'not valid base64url');
  }
  if (length !== undefined && bytes.length !== length) fail('validation_failed', `expected ${length} bytes`);
  return bytes;
}

export const enc = (bytes: Uint8Array): string => toBase64Url(new Uint8Array(bytes));

/** An agency signing-key transition statement as served and posted (PROTOCOL.md §9.2). */
export const keyTransition = z.object({
  effectiveSerial: z.number().int().min(2).describe('the first bundle serial the new key signs'),
  issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).meta({ examples: ['2026-12-04'] }),
  oldPublicKey: z.string(), newPublicKey: z.string(),
  oldSignature: z.string().describe('by the old key'), newSignature: z.string().describe('by the new key'),
});
