import { z } from 'zod';
import { fromBase64Url, STAFF_ROLES, toBase64Url } from '../../protocol/index.js';
import { fail } from '../errors.js';
import { bytes, uuid } from '../schemas.js';

// Schemas shared by the staff and admin routes.

/** Bytes a staff or admin request carries (keys, signatures, sealed blobs): base64url, at most 12 MB. */
export const staffBytes = bytes(12_000_000, { min: 0 });
export { uuid };
export const role = z.enum(STAFF_ROLES);

export const ok = z.object({ ok: z.literal(true) });

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
