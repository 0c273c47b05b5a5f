import { blake2b } from '@noble/hashes/blake2.js';
import type { Backend } from '../../src/protocol/index.js';
import { hex } from '../../src/protocol/bytes.js';

/**
 * A reproducible random stream: BLAKE2b-512(seed || counter) blocks. Only for
 * generating vectors; real sealing always uses the backend's CSPRNG.
 */
export function seededRandom(seed: string): (length: number) => Uint8Array {
  const seedBytes = new TextEncoder().encode(seed);
  let counter = 0;
  let pool = new Uint8Array(0);
  return (length: number) => {
    while (pool.length < length) {
      const block = new Uint8Array(seedBytes.length + 4);
      block.set(seedBytes);
      new DataView(block.buffer).setUint32(seedBytes.length, counter++);
      const next = new Uint8Array(pool.length + 64);
      next.set(pool);
      next.set(blake2b(block, { dkLen: 64 }), pool.length);
      pool = next;
    }
    const out = pool.slice(0, length);
    pool = pool.slice(length);
    return out;
  };
}

/** The same backend with its randomness replaced by a seeded stream. */
export function seededBackend(be: Backend, seed: string): Backend {
  return { ...be, randomBytes: seededRandom(seed) };
}

/** The same backend drawing exactly `bytes` once: to seal again from a vector's recorded randomness. */
export function fixedRandomBackend(be: Backend, bytes: Uint8Array): Backend {
  let used = false;
  return {
    ...be,
    randomBytes: (length: number) => {
      if (used || length !== bytes.length) throw new Error(`the vector recorded ${bytes.length} random bytes, not ${length}`);
      used = true;
      return bytes.slice();
    },
  };
}

/** The same backend, keeping a copy of every random draw (a sealed box's ephemeral key, a nonce). */
export function recordingBackend(be: Backend): { be: Backend; drawn: Uint8Array[] } {
  const drawn: Uint8Array[] = [];
  return {
    be: { ...be, randomBytes: (length: number) => { const b = be.randomBytes(length); drawn.push(b.slice()); return b; } },
    drawn,
  };
}

export const AGENCY_ID = '0b6c7a52-3e0f-4c1a-9d57-5a0e2f7c1d01';
export const OTHER_AGENCY_ID = '0b6c7a52-3e0f-4c1a-9d57-5a0e2f7c1d02';
export const CASE_ID = '6f1d2c3b-4a59-4e68-8b7a-9c0d1e2f3a01';
export const OTHER_CASE_ID = '6f1d2c3b-4a59-4e68-8b7a-9c0d1e2f3a02';
export const CTX = { agencyId: AGENCY_ID, caseId: CASE_ID };

export function staffId(n: number): string {
  return `5a7e0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function itemId(n: number): string {
  return `9c1e0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice();
  out[index] = out[index]! ^ 0x01;
  return out;
}

export { hex };

// GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1, as PROTOCOL.md §Identity specifies.
function gfMul(a: number, b: number): number {
  let product = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) product ^= a;
    const carry = a & 0x80;
    a = (a << 1) & 0xff;
    if (carry) a ^= 0x1b;
    b >>= 1;
  }
  return product;
}

/**
 * Shamir split written from the specification alone (share = y bytes || x),
 * with coefficients from a seeded stream so vectors are reproducible. The
 * vectors test proves the audited package's combine() recovers these shares.
 */
export function referenceSplit(random: (n: number) => Uint8Array) {
  return async (secret: Uint8Array, n: number, m: number): Promise<Uint8Array[]> => {
    const shares = Array.from({ length: n }, (_, i) => {
      const share = new Uint8Array(secret.length + 1);
      share[secret.length] = i + 1;
      return share;
    });
    for (let byte = 0; byte < secret.length; byte++) {
      const coefficients = [secret[byte]!, ...random(m - 1)];
      for (const share of shares) {
        const x = share[secret.length]!;
        let y = 0;
        for (let c = coefficients.length - 1; c >= 0; c--) y = gfMul(y, x) ^ coefficients[c]!;
        share[byte] = y;
      }
    }
    return shares;
  };
}
