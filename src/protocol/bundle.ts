import type { Backend } from './backend.js';
import { base32Encode, group } from './base32.js';
import { utf8 } from './bytes.js';
import { TiplineCryptoError, inputInvalid } from './errors.js';
import { LABEL, LABEL_V2 } from './labels.js';
import { KEY_BYTES, XWING, labelledHash } from './primitives.js';
import { parseBundleContent } from './bundle-schema.js';
import { signDetached, verifyDetached } from './signing.js';
import type { AgencyKeys, BundleContent, BundleStaff, BundleTrust, SignedBundle, StaffRecipient } from './types.js';
import { fromBase64Url } from './bytes.js';

/** The agency's offline signing pair (Ed25519). */
export function generateAgencyKeys(be: Backend): AgencyKeys {
  const seed = be.randomBytes(KEY_BYTES);
  const pair = be.signSeedKeyPair(seed);
  seed.fill(0);
  return pair;
}

/**
 * First 20 bytes of BLAKE2b-256(label || public key) as 32 Crockford symbols
 * in groups of four: short enough to read over the phone, 160 bits so no
 * second key can be made to match.
 */
export function agencyFingerprint(be: Backend, agencyPublicKey: Uint8Array): string {
  if (agencyPublicKey.length !== KEY_BYTES) throw inputInvalid();
  const digest = labelledHash(be, LABEL.fingerprint, agencyPublicKey).subarray(0, 20);
  return group(base32Encode(digest), 4, ' ');
}

/**
 * A staff member's public keys as their admin confirms them before signing them into a
 * bundle (§9): the first 20 bytes of BLAKE2b-256(label || signPublicKey || boxPublicKey),
 * shown like an agency fingerprint. Both keys are covered: either one swapped by a
 * server would let it read (box) or speak (sign) in that member's name.
 */
export function staffKeyFingerprint(
  be: Backend,
  signPublicKey: Uint8Array,
  boxPublicKey: Uint8Array,
  xwingPublicKey?: Uint8Array,
): string {
  if (signPublicKey.length !== KEY_BYTES || boxPublicKey.length !== KEY_BYTES) throw inputInvalid();
  if (xwingPublicKey !== undefined && xwingPublicKey.length !== XWING.publicKey) throw inputInvalid();
  // §16.5: a member with an X-Wing key is confirmed over all three keys, under the v2 label,
  // or a server could swap the one key that protects v2 wraps past the admin.
  const digest = xwingPublicKey === undefined
    ? labelledHash(be, LABEL.staffFingerprint, signPublicKey, boxPublicKey)
    : labelledHash(be, LABEL_V2.staffFingerprint, signPublicKey, boxPublicKey, xwingPublicKey);
  return group(base32Encode(digest.subarray(0, 20)), 4, ' ');
}

/**
 * Whom a client seals to for a member of a verified bundle (§16.5): their X-Wing key
 * too, and so a version-2 wrap, exactly when the bundle lists version 2 for them.
 */
export function recipientOf(member: BundleStaff): StaffRecipient {
  const v2 = member.versions?.includes(2) === true && member.xwingPublicKey !== undefined;
  return {
    staffId: member.staffId,
    boxPublicKey: fromBase64Url(member.boxPublicKey),
    ...(v2 ? { xwingPublicKey: fromBase64Url(member.xwingPublicKey!) } : {}),
  };
}

/**
 * Whether the agency has moved to version 2: some member accepts it (§16.3). The
 * denouncer's own wraps are then version 2 too, or they would expose what the staff's protect.
 */
export function bundleUsesV2(bundle: BundleContent): boolean {
  return bundle.staff.some((m) => m.versions?.includes(2) === true);
}

/** A fingerprint as compared: upper case, without the spaces or dashes that group it. */
export function canonicalFingerprint(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

/** Signs a bundle; every member must be named (§9: a bundle without names is one of the past). */
export function signBundle(be: Backend, content: BundleContent, agencySecretKey: Uint8Array): SignedBundle {
  const payload = utf8(JSON.stringify(content));
  try {
    // Refuse to sign what no client would accept, or a bundle that leaves out a name or the jurisdiction.
    const parsed = parseBundleContent(payload);
    if (parsed.jurisdiction === undefined || parsed.staff.some((s) => s.displayName === undefined)) throw inputInvalid();
  } catch {
    throw inputInvalid();
  }
  return { payload, signature: signDetached(be, 'bundle', payload, agencySecretKey) };
}

function bundleInvalid(): TiplineCryptoError {
  return new TiplineCryptoError('bundle_invalid');
}

/**
 * Checks, in order: pinned fingerprint, signature, content shape, serial
 * (never older than one already seen), validity on `today`. Clients MUST do
 * this before sealing anything to the keys a bundle lists.
 */
export function verifyBundle(be: Backend, bundle: SignedBundle, trust: BundleTrust): BundleContent {
  const { agencyPublicKey } = trust;
  if (agencyPublicKey.length !== KEY_BYTES || bundle.signature.length !== 64) throw bundleInvalid();
  if (
    trust.pinnedFingerprint !== undefined &&
    canonicalFingerprint(trust.pinnedFingerprint) !== canonicalFingerprint(agencyFingerprint(be, agencyPublicKey))
  ) {
    throw bundleInvalid();
  }
  if (!verifyDetached(be, 'bundle', bundle.signature, bundle.payload, agencyPublicKey)) throw bundleInvalid();
  const content = parseBundleContent(bundle.payload);
  if (trust.minSerial !== undefined && content.serial < trust.minSerial) {
    throw new TiplineCryptoError('bundle_rollback');
  }
  if (trust.today !== undefined && (trust.today < content.issuedOn || trust.today > content.expiresOn)) {
    throw bundleInvalid();
  }
  return content;
}
