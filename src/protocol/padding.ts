import { inputInvalid, openFailed } from './errors.js';

/**
 * Size buckets: the smallest base·2^k ≥ length + 1, up to `max`. Padding is
 * ISO/IEC 7816-4 (0x80 then zeros), so a server sees only the bucket.
 */
export interface Buckets {
  base: number;
  max: number;
}

export const CASE_BODY_BUCKETS: Buckets = { base: 1024, max: 4 * 1024 * 1024 };
export const MESSAGE_BUCKETS: Buckets = { base: 256, max: 1024 * 1024 };
export const IDENTITY_BUCKETS: Buckets = { base: 256, max: 64 * 1024 };

export function bucketFor(length: number, buckets: Buckets): number {
  let size = buckets.base;
  while (size < length + 1) size *= 2;
  if (size > buckets.max) throw inputInvalid();
  return size;
}

export function isBucket(size: number, buckets: Buckets): boolean {
  for (let b = buckets.base; b <= buckets.max; b *= 2) if (b === size) return true;
  return false;
}

export function pad(plaintext: Uint8Array, buckets: Buckets): Uint8Array {
  const out = new Uint8Array(bucketFor(plaintext.length, buckets));
  out.set(plaintext);
  out[plaintext.length] = 0x80;
  return out;
}

/** Reverses pad; a malformed padding (only possible after a forged decryption) is open_failed. */
export function unpad(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0x00) end--;
  if (end < 0 || padded[end] !== 0x80) throw openFailed();
  return padded.slice(0, end);
}

/**
 * Padmé (Nikitin et al., PURBs, PETS 2019): `length` rounded up so that only its
 * ⌊log2 E⌋ + 1 most significant bits may be non-zero, E = ⌊log2 length⌋. A padded
 * length leaks O(log log n) bits and costs at most 12 % (less as files grow).
 * Lengths below 8 are their own buckets. `length` is at most 2^53 − 1.
 */
export function padme(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) throw inputInvalid();
  if (length < 2) return length;
  const e = floorLog2(length);
  const s = floorLog2(e) + 1;
  const step = 2 ** (e - s);
  // Multiplication, not bit masks: JavaScript's bitwise operators stop at 32 bits.
  return Math.ceil(length / step) * step;
}

/** ⌊log2 n⌋ for n ≥ 1, exactly (Math.log2 rounds up just below a power of two). */
function floorLog2(n: number): number {
  let e = 0;
  while (2 ** (e + 1) <= n) e++;
  return e;
}
