import type { Backend } from './backend.js';
import { concat } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { gfEval, gfMul, lagrangeAtZero } from './gf256.js';
import { MAX_CUSTODIANS, SHARE_BYTES } from './identity.js';
import { WRAP_KIND } from './labels.js';
import { KEY_BYTES } from './primitives.js';
import type { CaseContext, ReaderKeys, WrapRecipient } from './types.js';
import { unwrapEither, wrapFor } from './wrap-v2.js';

// Custodian turnover without the identity key (PROTOCOL.md §6.2). Each old custodian
// taking part re-splits *their share*: per byte, a fresh polynomial of degree m' − 1 whose
// constant term is their y-byte, evaluated at every new custodian's x. A new custodian
// weights the sub-shares they receive by the Lagrange coefficients of the old x's and adds
// them: Σ λ_i·g_i is a polynomial of degree m' − 1 with constant term Σ λ_i·y_i = the
// identity key, so the sums are shares of it for the new set. Nothing here ever holds
// more than one share's worth of the key.

/** g_i(x') (32) || x' (1) || x_i (1): one old custodian's sub-share for one new custodian. */
export const SUB_SHARE_BYTES = KEY_BYTES + 2;

/** The x a plan gives the new custodian at `position` (0-based) in its list: 1, 2, …, n'. */
export const newShareX = (position: number): number => position + 1;

function checkXs(xs: readonly number[]): void {
  if (xs.length === 0 || xs.length > MAX_CUSTODIANS || new Set(xs).size !== xs.length) throw inputInvalid();
  if (xs.some((x) => !Number.isInteger(x) || x < 1 || x > 255)) throw inputInvalid();
}

/**
 * Splits one share (33 bytes) for the new custodians at `newXs`, any `threshold` of whose
 * sums recover the key. Returns one 34-byte sub-share per new x, in order.
 */
export function splitShare(be: Backend, share: Uint8Array, newXs: readonly number[], threshold: number): Uint8Array[] {
  if (share.length !== SHARE_BYTES || share[KEY_BYTES] === 0) throw inputInvalid();
  checkXs(newXs);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > newXs.length) throw inputInvalid();
  const subShares = newXs.map((x) => concat(new Uint8Array(KEY_BYTES), Uint8Array.of(x, share[KEY_BYTES]!)));
  const coefficients = new Uint8Array(threshold);
  for (let byte = 0; byte < KEY_BYTES; byte++) {
    coefficients[0] = share[byte]!;
    coefficients.set(be.randomBytes(threshold - 1), 1);
    newXs.forEach((x, j) => { subShares[j]![byte] = gfEval(coefficients, x); });
  }
  coefficients.fill(0);
  return subShares;
}

/**
 * A new custodian's share from the sub-shares of every old custodian who took part, all
 * for `myX`: y'[b] = Σ λ_i · g_i(myX)[b], λ from the old x's. Foreign, duplicated or
 * missing sub-shares give a share that opens nothing (the commitment catches it).
 */
export function combineSubShares(subShares: readonly Uint8Array[], myX: number): Uint8Array {
  if (subShares.some((s) => s.length !== SUB_SHARE_BYTES || s[KEY_BYTES] !== myX)) throw openFailed();
  const oldXs = subShares.map((s) => s[KEY_BYTES + 1]!);
  try { checkXs(oldXs); checkXs([myX]); } catch { throw openFailed(); }
  const lambdas = lagrangeAtZero(oldXs);
  const share = new Uint8Array(SHARE_BYTES);
  share[KEY_BYTES] = myX;
  for (let byte = 0; byte < KEY_BYTES; byte++) {
    let sum = 0;
    subShares.forEach((s, i) => { sum ^= gfMul(lambdas[i]!, s[byte]!); });
    share[byte] = sum;
  }
  return share;
}

/** A sub-share sealed to its new custodian (kind 0x05), bound to the subject as a share is (§3, §6.1); v2 when given their X-Wing key. */
export function wrapSubShare(be: Backend, ctx: CaseContext, subShare: Uint8Array, recipient: Uint8Array | WrapRecipient): Uint8Array {
  if (subShare.length !== SUB_SHARE_BYTES) throw inputInvalid();
  return wrapFor(be, WRAP_KIND.reshareSubShare, ctx, subShare, recipient);
}

export function unwrapSubShare(be: Backend, ctx: CaseContext, wrapped: Uint8Array, keys: ReaderKeys): Uint8Array {
  const subShare = unwrapEither(be, WRAP_KIND.reshareSubShare, ctx, wrapped, keys, SUB_SHARE_BYTES);
  if (subShare[KEY_BYTES] === 0 || subShare[KEY_BYTES + 1] === 0) throw openFailed();
  return subShare;
}
