import { normalizeReceipt } from '../../src/protocol/index.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The receipt with the symbol at `at` changed so that the check symbol catches
 * it. One single-symbol typo in 32 keeps the same check symbol (PROTOCOL.md
 * §Receipt says so), so a fixed replacement would let a test fail one run in 32.
 */
export function caughtTypo(receipt: string, at = 0): string {
  for (const replacement of ALPHABET) {
    if (replacement === receipt[at]) continue;
    const candidate = receipt.slice(0, at) + replacement + receipt.slice(at + 1);
    try {
      normalizeReceipt(candidate);
    } catch {
      return candidate;
    }
  }
  throw new Error('no caught typo found');
}
