import { combine, split } from 'shamir-secret-sharing';
import type { Backend } from './backend.js';
import { concat, constantTimeEqual, utf8, uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { ALGORITHM_V1, LABEL, MAGIC, PROTOCOL_VERSION, WRAP_KIND } from './labels.js';
import { IDENTITY_BUCKETS, isBucket, pad, unpad } from './padding.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, caseAd, kdf } from './primitives.js';
import type { CaseContext, ReaderKeys, SealedIdentity, StaffRecipient, WrapRecipient } from './types.js';
import { unwrapEither, wrapFor } from './wrap-v2.js';

/** magic(4) || version(1) || algorithm(1) || agencyId(16) || caseId(16) || threshold(1) || commitment(32) */
const HEADER_BYTES = 71;
const THRESHOLD_OFFSET = 38;
/**
 * At most 255 custodians, so at most 255 shares and a threshold m ≤ 255 (§6: 1 ≤ m ≤ n ≤ 255):
 * a share's x coordinate is one non-zero byte. Every schema that takes a threshold, shares
 * or a custodian list is bounded by this one number.
 */
export const MAX_CUSTODIANS = 255;
/** A share is the 32 y-bytes of the identity key's polynomials, then its x coordinate (1..255). */
export const SHARE_BYTES = KEY_BYTES + 1;

/** Splits a secret into n shares, any m of which recover it (the shamir-secret-sharing layout). */
export type SplitSecret = (secret: Uint8Array, n: number, m: number) => Promise<Uint8Array[]>;

function identityHeader(ctx: CaseContext, threshold: number, commitment: Uint8Array): Uint8Array {
  return concat(
    utf8(MAGIC.identity),
    Uint8Array.of(PROTOCOL_VERSION, ALGORITHM_V1),
    uuidBytes(ctx.agencyId),
    uuidBytes(ctx.caseId),
    Uint8Array.of(threshold),
    commitment,
  );
}

function identityAd(ctx: CaseContext, threshold: number): Uint8Array {
  return caseAd(LABEL.identityBody, ctx, Uint8Array.of(threshold));
}

/**
 * m = 1 is a polynomial of degree 0: every share's y-bytes are the key itself.
 * The package refuses m < 2 and n < 2, so that case is written out here.
 */
async function splitIdentityKey(key: Uint8Array, n: number, m: number, splitSecret: SplitSecret): Promise<Uint8Array[]> {
  if (m === 1) return Array.from({ length: n }, (_, i) => concat(key, Uint8Array.of(i + 1)));
  return splitSecret(key, n, m);
}

export async function sealIdentity(
  be: Backend,
  ctx: CaseContext,
  identity: { data: Uint8Array; custodians: StaffRecipient[]; threshold: number },
  denouncer: Uint8Array | WrapRecipient,
  splitSecret: SplitSecret = split,
): Promise<SealedIdentity> {
  const { denouncerKey, ...sealed } = await sealShared(be, ctx, identity, denouncer, splitSecret);
  return { ...sealed, denouncerKey: denouncerKey! };
}

/**
 * Protection details an intake officer records for a request made by phone or in person
 * (§6.1): the same block and shares, with no denouncer wrap — the officer's machine does
 * not hold the denouncer's reply key, and must not keep a copy of its own.
 */
export async function sealForCustodians(
  be: Backend,
  ctx: CaseContext,
  identity: { data: Uint8Array; custodians: StaffRecipient[]; threshold: number },
  splitSecret: SplitSecret = split,
): Promise<Omit<SealedIdentity, 'denouncerKey'>> {
  const { block, threshold, shares } = await sealShared(be, ctx, identity, null, splitSecret);
  return { block, threshold, shares };
}

async function sealShared(
  be: Backend,
  ctx: CaseContext,
  identity: { data: Uint8Array; custodians: StaffRecipient[]; threshold: number },
  denouncer: Uint8Array | WrapRecipient | null,
  splitSecret: SplitSecret,
): Promise<Omit<SealedIdentity, 'denouncerKey'> & { denouncerKey: Uint8Array | null }> {
  const { custodians, threshold } = identity;
  const n = custodians.length;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > n || n > MAX_CUSTODIANS) throw inputInvalid();
  const identityKey = be.randomBytes(KEY_BYTES);
  const header = identityHeader(ctx, threshold, kdf(be, identityKey, LABEL.identityCommit));
  const nonce = be.randomBytes(NONCE_BYTES);
  const bodyKey = kdf(be, identityKey, LABEL.identityBody);
  const ciphertext = be.aeadEncrypt(pad(identity.data, IDENTITY_BUCKETS), identityAd(ctx, threshold), nonce, bodyKey);
  const denouncerKey = denouncer && wrapFor(be, WRAP_KIND.identityKey, ctx, identityKey, denouncer);
  const shares = await splitIdentityKey(identityKey, n, threshold, splitSecret);
  const sealed = {
    block: concat(header, nonce, ciphertext),
    denouncerKey,
    threshold,
    shares: custodians.map((c, i) => ({
      staffId: c.staffId,
      wrapped: wrapFor(be, WRAP_KIND.identityShare, ctx, shares[i]!, c),
    })),
  };
  identityKey.fill(0);
  bodyKey.fill(0);
  for (const share of shares) share.fill(0);
  return sealed;
}

/** The denouncer's own copy of the identity key. */
export function unwrapIdentityKey(be: Backend, ctx: CaseContext, wrapped: Uint8Array, keys: ReaderKeys): Uint8Array {
  return unwrapEither(be, WRAP_KIND.identityKey, ctx, wrapped, keys, KEY_BYTES);
}

export function unwrapShare(be: Backend, ctx: CaseContext, wrapped: Uint8Array, keys: ReaderKeys): Uint8Array {
  const share = unwrapEither(be, WRAP_KIND.identityShare, ctx, wrapped, keys, SHARE_BYTES);
  if (share[KEY_BYTES] === 0) throw openFailed();
  return share;
}

/** A custodian's approval: their share re-sealed to the investigator who asked. */
export function resealShare(be: Backend, ctx: CaseContext, share: Uint8Array, recipient: Uint8Array | WrapRecipient): Uint8Array {
  if (share.length !== SHARE_BYTES || share[KEY_BYTES] === 0) throw inputInvalid();
  return wrapFor(be, WRAP_KIND.identityShare, ctx, share, recipient);
}

function blockHeader(ctx: CaseContext, identityBlock: Uint8Array, identityKey: Uint8Array, be: Backend): boolean {
  const threshold = identityBlock[THRESHOLD_OFFSET]!;
  const expected = identityHeader(ctx, threshold, kdf(be, identityKey, LABEL.identityCommit));
  return constantTimeEqual(identityBlock.subarray(0, HEADER_BYTES), expected);
}

function checkBlockLength(identityBlock: Uint8Array): void {
  const bodyLength = identityBlock.length - HEADER_BYTES - NONCE_BYTES - TAG_BYTES;
  if (bodyLength < 0 || !isBucket(bodyLength, IDENTITY_BUCKETS)) throw openFailed();
}

/**
 * Recovers the identity key from shares. Fewer than m shares, foreign or
 * duplicate shares all yield a key that fails the block's commitment, so a
 * wrong combination fails closed with open_failed. `currentThreshold`: the m' of
 * the last reshare of the block (§6.2), which its header's m no longer states; it
 * only spares a combination that cannot succeed, the polynomial's degree is what
 * protects the key.
 */
export async function combineShares(
  be: Backend,
  ctx: CaseContext,
  shares: Uint8Array[],
  identityBlock: Uint8Array,
  currentThreshold?: number,
): Promise<Uint8Array> {
  checkBlockLength(identityBlock);
  const threshold = currentThreshold ?? identityBlock[THRESHOLD_OFFSET]!;
  if (shares.length < Math.max(threshold, 1) || shares.length > MAX_CUSTODIANS) throw openFailed();
  if (shares.some((s) => s.length !== SHARE_BYTES || s[KEY_BYTES] === 0)) throw openFailed();
  let key: Uint8Array;
  try {
    key = shares.length === 1 ? shares[0]!.slice(0, KEY_BYTES) : await combine(shares);
  } catch {
    throw openFailed();
  }
  if (!blockHeader(ctx, identityBlock, key, be)) throw openFailed();
  return key;
}

export function openIdentity(be: Backend, ctx: CaseContext, identityBlock: Uint8Array, identityKey: Uint8Array): Uint8Array {
  checkBlockLength(identityBlock);
  if (identityKey.length !== KEY_BYTES || !blockHeader(ctx, identityBlock, identityKey, be)) throw openFailed();
  const threshold = identityBlock[THRESHOLD_OFFSET]!;
  const nonce = identityBlock.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const bodyKey = kdf(be, identityKey, LABEL.identityBody);
  const padded = be.aeadDecrypt(identityBlock.subarray(HEADER_BYTES + NONCE_BYTES), identityAd(ctx, threshold), nonce, bodyKey);
  bodyKey.fill(0);
  if (padded === null) throw openFailed();
  return unpad(padded);
}
