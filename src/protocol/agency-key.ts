import type { Backend } from './backend.js';
import { concat, fromBase64Url, toBase64Url, uint64BE, utf8, uuidBytes } from './bytes.js';
import { TiplineCryptoError, inputInvalid } from './errors.js';
import { PROTOCOL_VERSION } from './labels.js';
import { KEY_BYTES } from './primitives.js';
import { agencyFingerprint, canonicalFingerprint, verifyBundle } from './bundle.js';
import { parseBundleContent } from './bundle-schema.js';
import { signDetached, verifyDetached } from './signing.js';
import type { BundleContent, SignedBundle } from './types.js';

// Agency signing-key rotation (PROTOCOL.md §9.2). A new key is introduced by a statement
// both keys sign: the old one hands over, the new one proves it is held. The chain of
// statements from a client's pinned key gives, for every bundle serial, the one key that
// may sign it, so a client follows a rotation without a new pin and refuses a bundle the
// old key signs at or after the hand-over. A leaked key can sign a statement too: that is
// what revocation (a re-pin out of band, the old key listed as revoked) is for.

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** What a transition statement says, before or without its signatures. */
export interface AgencyKeyTransitionFields {
  agencyId: string;
  oldPublicKey: Uint8Array;
  newPublicKey: Uint8Array;
  /** The first bundle serial the new key signs. */
  effectiveSerial: number;
  issuedOn: string;
}

export interface AgencyKeyTransition extends AgencyKeyTransitionFields {
  oldSignature: Uint8Array;
  newSignature: Uint8Array;
}

/** One key's span of serials: from `fromSerial` up to the next key's. */
export interface AgencyKeyEpoch {
  publicKey: Uint8Array;
  fromSerial: number;
  /** The key the client pinned; the ones before it are trusted for older bundles only. */
  pinned?: true;
}

/** V || agencyId(16) || oldPublicKey(32) || newPublicKey(32) || u64be(effectiveSerial) || issuedOn(10) */
export function agencyKeyTransitionBytes(t: AgencyKeyTransitionFields): Uint8Array {
  if (t.oldPublicKey.length !== KEY_BYTES || t.newPublicKey.length !== KEY_BYTES) throw inputInvalid();
  if (!Number.isSafeInteger(t.effectiveSerial) || t.effectiveSerial < 2 || !DAY.test(t.issuedOn)) throw inputInvalid();
  if (sameKey(t.oldPublicKey, t.newPublicKey)) throw inputInvalid();
  return concat(Uint8Array.of(PROTOCOL_VERSION), uuidBytes(t.agencyId), t.oldPublicKey, t.newPublicKey, uint64BE(t.effectiveSerial), utf8(t.issuedOn));
}

/** Signs a statement with the old and the new agency secret keys (both 64-byte libsodium keys). */
export function signAgencyKeyTransition(
  be: Backend, fields: AgencyKeyTransitionFields, oldSecretKey: Uint8Array, newSecretKey: Uint8Array,
): AgencyKeyTransition {
  const message = agencyKeyTransitionBytes(fields);
  const t = {
    ...fields,
    oldSignature: signDetached(be, 'agency-key-transition', message, oldSecretKey),
    newSignature: signDetached(be, 'agency-key-transition', message, newSecretKey),
  };
  // A secret key that is not the public key named would give a statement no client accepts.
  if (!verifyAgencyKeyTransition(be, t)) throw inputInvalid();
  return t;
}

/** Both signatures over the bytes rebuilt from the fields; false for anything malformed. */
export function verifyAgencyKeyTransition(be: Backend, t: AgencyKeyTransition): boolean {
  let message: Uint8Array;
  try {
    message = agencyKeyTransitionBytes(t);
  } catch {
    return false;
  }
  if (t.oldSignature.length !== 64 || t.newSignature.length !== 64) return false;
  return verifyDetached(be, 'agency-key-transition', t.oldSignature, message, t.oldPublicKey) &&
    verifyDetached(be, 'agency-key-transition', t.newSignature, message, t.newPublicKey);
}

export interface AgencyKeyTrust {
  agencyId: string;
  pinnedFingerprint: string;
  /** Fingerprints of keys revoked by a re-pin: never followed, never used. */
  revokedFingerprints?: readonly string[];
  /** Keys the server names (its current signing key): where the pinned key may be found. */
  offeredKeys: readonly Uint8Array[];
  transitions: readonly AgencyKeyTransition[];
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function chainInvalid(): TiplineCryptoError {
  return new TiplineCryptoError('bundle_invalid');
}

/**
 * The keys a client trusts, oldest first, each with the first serial it signs: the pinned
 * key; forwards, each key a valid statement of the last one hands over to; backwards, each
 * key a valid statement hands over from (the later key vouches for the older bundles). A
 * statement that does not verify, or names another agency, is ignored; two statements
 * leaving one key (a fork), a revoked key ahead of the pin, a key met twice, or serials that
 * do not rise, refuse the whole chain (bundle_invalid). Going back stops at a revoked key.
 */
export function agencyKeyChain(be: Backend, trust: AgencyKeyTrust): AgencyKeyEpoch[] {
  const revoked = new Set((trust.revokedFingerprints ?? []).map(canonicalFingerprint));
  const pin = canonicalFingerprint(trust.pinnedFingerprint);
  const isRevoked = (key: Uint8Array) => revoked.has(canonicalFingerprint(agencyFingerprint(be, key)));
  const valid = trust.transitions.filter((t) => t.agencyId === trust.agencyId && verifyAgencyKeyTransition(be, t));
  const candidates = [...trust.offeredKeys, ...valid.flatMap((t) => [t.oldPublicKey, t.newPublicKey])];
  const start = candidates.find((k) => k.length === KEY_BYTES && canonicalFingerprint(agencyFingerprint(be, k)) === pin);
  if (!start || revoked.has(pin)) throw chainInvalid();
  const epochs: AgencyKeyEpoch[] = [{ publicKey: start, fromSerial: 1, pinned: true }];
  const seen = (key: Uint8Array) => epochs.some((e) => sameKey(e.publicKey, key));
  for (;;) {
    const last = epochs[epochs.length - 1]!;
    const next = valid.filter((t) => sameKey(t.oldPublicKey, last.publicKey));
    if (next.length === 0) break;
    const t = next[0]!;
    if (next.length > 1 || isRevoked(t.newPublicKey) || seen(t.newPublicKey)) throw chainInvalid();
    epochs.push({ publicKey: t.newPublicKey, fromSerial: t.effectiveSerial });
  }
  for (;;) {
    const first = epochs[0]!;
    const prev = valid.filter((t) => sameKey(t.newPublicKey, first.publicKey));
    if (prev.length === 0) break;
    const t = prev[0]!;
    if (prev.length > 1) throw chainInvalid();
    // Below the hand-over from a revoked key, no key is trusted: those bundles are refused.
    first.fromSerial = t.effectiveSerial;
    if (isRevoked(t.oldPublicKey)) break;
    if (seen(t.oldPublicKey)) throw chainInvalid();
    epochs.unshift({ publicKey: t.oldPublicKey, fromSerial: 1 });
  }
  for (let i = 1; i < epochs.length; i++) if (epochs[i]!.fromSerial <= epochs[i - 1]!.fromSerial) throw chainInvalid();
  return epochs;
}

/** The one key of the chain that may sign `serial`; undefined below the first (a revoked key's span). */
export function agencyKeyFor(epochs: readonly AgencyKeyEpoch[], serial: number): Uint8Array | undefined {
  let found: AgencyKeyEpoch | undefined;
  for (const e of epochs) if (e.fromSerial <= serial) found = e;
  return found?.publicKey;
}

/**
 * §9's checks for a bundle under a key chain: the serial it claims picks the key (so a
 * bundle the old key signs at or after the hand-over fails its signature), then signature,
 * content, minimum serial and validity as verifyBundle does. `current`: the bundle to seal
 * to, which a key older than the pinned one may not sign (it only vouches for history).
 */
export function verifyBundleUnderChain(
  be: Backend, bundle: SignedBundle, epochs: readonly AgencyKeyEpoch[], opts: { minSerial?: number; today?: string; current?: boolean } = {},
): BundleContent {
  const claimed = parseBundleContent(bundle.payload);
  const key = agencyKeyFor(epochs, claimed.serial);
  const pinnedFrom = epochs.find((e) => e.pinned)?.fromSerial ?? 1;
  if (!key || (opts.current === true && claimed.serial < pinnedFrom)) throw chainInvalid();
  const { current: _, ...checks } = opts;
  return verifyBundle(be, bundle, { agencyPublicKey: key, ...checks });
}

/** A statement as the server serves it and the CLI writes it: base64url keys and signatures. */
export interface AgencyKeyTransitionJson {
  effectiveSerial: number; issuedOn: string;
  oldPublicKey: string; newPublicKey: string; oldSignature: string; newSignature: string;
}

export function transitionToJson(t: AgencyKeyTransition): AgencyKeyTransitionJson {
  return {
    effectiveSerial: t.effectiveSerial, issuedOn: t.issuedOn,
    oldPublicKey: toBase64Url(t.oldPublicKey), newPublicKey: toBase64Url(t.newPublicKey),
    oldSignature: toBase64Url(t.oldSignature), newSignature: toBase64Url(t.newSignature),
  };
}

/**
 * Served statements for `agencyId` (the agency asked for, never one the answer names).
 * A malformed one is dropped, like one whose signatures fail: neither can extend a chain.
 */
export function transitionsFromJson(agencyId: string, served: unknown): AgencyKeyTransition[] {
  if (!Array.isArray(served)) return [];
  return served.flatMap((j: Partial<AgencyKeyTransitionJson>) => {
    try {
      return [{
        agencyId, effectiveSerial: Number(j.effectiveSerial), issuedOn: String(j.issuedOn),
        oldPublicKey: fromBase64Url(String(j.oldPublicKey)), newPublicKey: fromBase64Url(String(j.newPublicKey)),
        oldSignature: fromBase64Url(String(j.oldSignature)), newSignature: fromBase64Url(String(j.newSignature)),
      }];
    } catch {
      return [];
    }
  });
}

export interface PinnedBundleTrust {
  agencyId: string;
  pinnedFingerprint: string;
  revokedFingerprints?: readonly string[];
  /** The key the server names as the agency's current one. */
  offeredKey: Uint8Array;
  transitions: readonly AgencyKeyTransition[];
  minSerial?: number;
  today?: string;
}

/**
 * The one check of a bundle to seal to, for every client (§9, §9.2): the chain from the
 * pin, then the bundle under the key its serial falls to, never older than the pinned
 * key. Returns the content and the fingerprint of the key that signed it, which a client
 * that keeps pins remembers in place of the old one.
 */
export function verifyPinnedBundle(be: Backend, bundle: SignedBundle, trust: PinnedBundleTrust): { content: BundleContent; signer: string } {
  const epochs = agencyKeyChain(be, {
    agencyId: trust.agencyId, pinnedFingerprint: trust.pinnedFingerprint, revokedFingerprints: trust.revokedFingerprints ?? [],
    offeredKeys: [trust.offeredKey], transitions: trust.transitions,
  });
  const content = verifyBundleUnderChain(be, bundle, epochs, {
    current: true, ...(trust.minSerial !== undefined ? { minSerial: trust.minSerial } : {}), ...(trust.today !== undefined ? { today: trust.today } : {}),
  });
  return { content, signer: agencyFingerprint(be, agencyKeyFor(epochs, content.serial)!) };
}
