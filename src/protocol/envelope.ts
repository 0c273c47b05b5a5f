import type { Backend } from './backend.js';
import { concat, constantTimeEqual, utf8, uuidBytes } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { sealIdentity } from './identity.js';
import { ALGORITHM_V1, LABEL, MAGIC, PROTOCOL_VERSION, WRAP_KIND } from './labels.js';
import { CASE_BODY_BUCKETS, isBucket, pad, unpad } from './padding.js';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, caseAd, kdf } from './primitives.js';
import type { CaseContext, ReaderKeys, SealedCase, StaffRecipient, WrapRecipient } from './types.js';
import { wrapKey } from './wrap.js';
import { unwrapEither, wrapFor } from './wrap-v2.js';

/** magic(4) || version(1) || algorithm(1) || agencyId(16) || caseId(16) || commitment(32) */
const HEADER_BYTES = 70;

function envelopeHeader(ctx: CaseContext, commitment: Uint8Array): Uint8Array {
  return concat(
    utf8(MAGIC.envelope),
    Uint8Array.of(PROTOCOL_VERSION, ALGORITHM_V1),
    uuidBytes(ctx.agencyId),
    uuidBytes(ctx.caseId),
    commitment,
  );
}

/** header || nonce(24) || XChaCha20-Poly1305(body key, padded body, AD) */
export function sealEnvelope(be: Backend, ctx: CaseContext, contentKey: Uint8Array, body: Uint8Array): Uint8Array {
  const header = envelopeHeader(ctx, kdf(be, contentKey, LABEL.caseCommit));
  const nonce = be.randomBytes(NONCE_BYTES);
  const bodyKey = kdf(be, contentKey, LABEL.caseBody);
  const ciphertext = be.aeadEncrypt(pad(body, CASE_BODY_BUCKETS), caseAd(LABEL.caseBody, ctx), nonce, bodyKey);
  bodyKey.fill(0);
  return concat(header, nonce, ciphertext);
}

export interface SealCaseInput {
  ctx: CaseContext;
  body: Uint8Array;
  recipients: StaffRecipient[];
  denouncerPublicKey: Uint8Array;
  /** The denouncer's version-2 reply key (§16.3): given, the denouncer's wraps are version 2. */
  denouncerXWingPublicKey?: Uint8Array;
  /** The verified bundle's recovery recipient (§9.1), when it lists one; never otherwise. */
  recoveryPublicKey?: Uint8Array;
  identity?: { data: Uint8Array; custodians: StaffRecipient[]; threshold: number };
}

/**
 * Seals a new case: a fresh content key encrypts the body and is wrapped to
 * the denouncer's reply key, to every intake recipient and, when the agency's bundle
 * lists one, to its recovery recipient. The identity key is never wrapped to it.
 */
export async function sealCase(be: Backend, input: SealCaseInput): Promise<SealedCase> {
  const { ctx, recipients } = input;
  if (recipients.length === 0) throw inputInvalid();
  const contentKey = be.randomBytes(KEY_BYTES);
  const denouncer: WrapRecipient = {
    boxPublicKey: input.denouncerPublicKey,
    ...(input.denouncerXWingPublicKey ? { xwingPublicKey: input.denouncerXWingPublicKey } : {}),
  };
  const sealed: SealedCase = {
    envelope: sealEnvelope(be, ctx, contentKey, input.body),
    denouncerKey: wrapFor(be, WRAP_KIND.contentKey, ctx, contentKey, denouncer),
    recipientKeys: recipients.map((r) => ({
      staffId: r.staffId,
      wrapped: wrapFor(be, WRAP_KIND.contentKey, ctx, contentKey, r),
    })),
  };
  if (input.recoveryPublicKey !== undefined) {
    // The recovery recipient has no X-Wing key in this version (§16.2): always a v1 wrap.
    sealed.recoveryKey = wrapKey(be, WRAP_KIND.contentKey, ctx, contentKey, input.recoveryPublicKey);
  }
  contentKey.fill(0);
  if (input.identity !== undefined) {
    sealed.identity = await sealIdentity(be, ctx, input.identity, denouncer);
  }
  return sealed;
}

/** Opens a content key wrapped under version 1 or 2 (§16.2). */
export function unwrapContentKey(be: Backend, ctx: CaseContext, wrapped: Uint8Array, keys: ReaderKeys): Uint8Array {
  return unwrapEither(be, WRAP_KIND.contentKey, ctx, wrapped, keys, KEY_BYTES);
}

/** A grant: the content key re-sealed to another staff member (assignment, transfer). */
export function grantContentKey(
  be: Backend,
  ctx: CaseContext,
  contentKey: Uint8Array,
  recipient: Uint8Array | WrapRecipient,
): Uint8Array {
  if (contentKey.length !== KEY_BYTES) throw inputInvalid();
  return wrapFor(be, WRAP_KIND.contentKey, ctx, contentKey, recipient);
}

/**
 * Opens an envelope. The header must name this case, and the commitment must
 * match the content key before anything is decrypted: a sender cannot give
 * two recipients keys that open the same envelope to different bodies.
 */
export function openCase(be: Backend, ctx: CaseContext, envelope: Uint8Array, contentKey: Uint8Array): Uint8Array {
  const bodyLength = envelope.length - HEADER_BYTES - NONCE_BYTES - TAG_BYTES;
  if (bodyLength < 0 || !isBucket(bodyLength, CASE_BODY_BUCKETS)) throw openFailed();
  if (contentKey.length !== KEY_BYTES) throw openFailed();
  const header = envelope.subarray(0, HEADER_BYTES);
  const expected = envelopeHeader(ctx, kdf(be, contentKey, LABEL.caseCommit));
  // Compare magic/version/algorithm/ids and the commitment together, in constant time.
  if (!constantTimeEqual(header, expected)) throw openFailed();
  const nonce = envelope.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const bodyKey = kdf(be, contentKey, LABEL.caseBody);
  const padded = be.aeadDecrypt(envelope.subarray(HEADER_BYTES + NONCE_BYTES), caseAd(LABEL.caseBody, ctx), nonce, bodyKey);
  bodyKey.fill(0);
  if (padded === null) throw openFailed();
  return unpad(padded);
}
