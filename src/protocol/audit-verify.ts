import type { Backend } from './backend.js';
import { agencyKeyChain, verifyBundleUnderChain, type AgencyKeyTransition } from './agency-key.js';
import { constantTimeEqual, fromBase64Url, toBase64Url } from './bytes.js';
import { TiplineCryptoError } from './errors.js';
import { AuditChain, type ChainHead, type ChainedAuditRow } from './audit-chain.js';
import { verifyAuditAnchor, type AuditAnchor } from './audit-anchor.js';
import { checkSignedRow, SIGNED_SINCE_ACTIONS, signedEntryOf, type SignatureFault } from './audit-signed.js';
import type { SignedBundle } from './types.js';

// What a verifier MUST check on every row, in seq order (docs/PROTOCOL.md, "Audit
// chain"): the link and the hash; for a pinned agency, each signature against the keys
// of its verified bundles, no signature used twice, and each decision on the case of
// the request it decides; then that every anchor's row is still there with its hash.

export type BreakReason =
  | 'prev_hash_mismatch' | 'hash_mismatch' | SignatureFault | 'signature_reused' | 'anchor_mismatch' | 'anchor_missing'
  | 'wrong_chain';

export interface ChainBreak { seq: string; reason: BreakReason }

/** Sign keys listed in an agency's verified bundles: staff id → every key a bundle gave them. */
export type BundleSignKeys = Map<string, Uint8Array[]>;

export interface AuditVerifierOptions {
  /** Agencies whose signatures are checked (those pinned), with their bundles' keys. */
  signKeys?: Map<string, BundleSignKeys>;
  /** Anchors whose signatures were already checked. */
  anchors?: AuditAnchor[];
}

/** How many breaks a verifier keeps by name; past it they are only counted. */
export const NAMED_BREAKS = 200;

export class AuditVerifier {
  private readonly chain = new AuditChain();
  private readonly seen = new Set<string>();
  /** Agency and action of each SIGNED_SINCE action seen signed in this chain. */
  private readonly signedSince = new Set<string>();
  /** request id → case, from the chain's verified signed requests. */
  private readonly requestCase = new Map<string, string | null>();
  private readonly anchorsMet = new Set<AuditAnchor>();
  private finished = false;
  /** Rows that verified before the first break. */
  verified = 0;
  /** Rows pushed, refused or not. */
  checked = 0;
  signaturesChecked = 0;
  /** The breaks in the order met, the first NAMED_BREAKS of them; `breakCount` counts all. */
  readonly breaks: ChainBreak[] = [];
  breakCount = 0;

  constructor(private readonly be: Backend, private readonly options: AuditVerifierOptions = {}) {}

  get firstBreak(): ChainBreak | null {
    return this.breaks[0] ?? null;
  }

  /**
   * Checks the next row; false when it is refused. A caller may go on after a break: the
   * rows after it are then checked against the refused row's stored hash, so that each
   * edit is named, but the chain as a whole stays refused (firstBreak is never cleared).
   */
  push(row: ChainedAuditRow): boolean {
    this.checked++;
    const reason = this.chain.link(row) ?? this.checkSignature(row) ?? this.checkAnchors(row);
    if (reason) {
      this.refuse({ seq: row.seq, reason });
      this.chain.skip(row);
      // The anchored row is there, refused already: not also "missing" at the end.
      for (const a of this.options.anchors ?? []) if (a.agencyId === row.agencyId && a.seq === row.seq) this.anchorsMet.add(a);
      return false;
    }
    if (!this.firstBreak) this.verified++;
    return true;
  }

  /** After the last row: an anchor whose row never came means the chain was cut or rebuilt. */
  finish(): ChainBreak | null {
    if (this.finished) return this.firstBreak;
    this.finished = true;
    for (const a of this.options.anchors ?? []) {
      if (!this.anchorsMet.has(a)) this.refuse({ seq: a.seq, reason: 'anchor_missing' });
    }
    return this.firstBreak;
  }

  /** Records a break found outside the chain's own checks (e.g. a row of another chain). */
  refuse(b: ChainBreak): void {
    if (this.breaks.length < NAMED_BREAKS) this.breaks.push(b);
    this.breakCount++;
  }

  head(agencyId: string | null): ChainHead | null {
    return this.chain.head(agencyId);
  }

  private checkSignature(row: ChainedAuditRow): BreakReason | null {
    const keys = row.agencyId ? this.options.signKeys?.get(row.agencyId) : undefined;
    if (!keys) return null;
    const fault = checkSignedRow(this.be, row, (staffId) => keys.get(staffId) ?? []);
    if (fault) return fault;
    const entry = signedEntryOf(row);
    // An action signed only from the day its kind existed: once the agency's chain holds a
    // signed row of it, a later one without a signature is a row nobody signed, not an old one.
    const since = Object.hasOwn(SIGNED_SINCE_ACTIONS, row.action) ? `${row.agencyId}:${row.action}` : undefined;
    if (!entry) return since !== undefined && this.signedSince.has(since) ? 'signature_missing' : null;
    if (since !== undefined) this.signedSince.add(since);
    const id = `${entry.kind}:${toBase64Url(entry.bytes)}`;
    if (this.seen.has(id)) return 'signature_reused';
    this.seen.add(id);
    const requestId = (row.detail as Record<string, unknown>)['requestId'] as string;
    if (entry.kind === 'identity-request') this.requestCase.set(requestId, row.caseId);
    // A decision's bytes name only its request; a request asked from another agency is
    // not in this chain, so the link can only be checked when the request is.
    if (entry.kind === 'identity-decision' && this.requestCase.has(requestId) && this.requestCase.get(requestId) !== row.caseId) {
      return 'signature_mismatch';
    }
    this.signaturesChecked++;
    return null;
  }

  private checkAnchors(row: ChainedAuditRow): BreakReason | null {
    for (const a of this.options.anchors ?? []) {
      if (a.agencyId !== row.agencyId || a.seq !== row.seq) continue;
      if (!constantTimeEqual(a.hash, row.hash)) return 'anchor_mismatch';
      this.anchorsMet.add(a);
    }
    return null;
  }
}

/**
 * The sign keys a verifier may accept for one agency: from every bundle of its history
 * that verifies against the pinned fingerprint and names the agency. Throws
 * bundle_invalid if the agency key does not match the pin or any bundle fails: a
 * history the agency did not sign means the server is lying about it.
 */
export function bundleSignKeys(
  be: Backend,
  trust: { agencyId: string; agencyPublicKey: Uint8Array; pinnedFingerprint: string; transitions?: readonly AgencyKeyTransition[]; revokedFingerprints?: readonly string[] },
  bundles: SignedBundle[],
): BundleSignKeys {
  // Each bundle under the key its serial falls to in the chain from the pin (§9.2).
  const epochs = agencyKeyChain(be, {
    agencyId: trust.agencyId, pinnedFingerprint: trust.pinnedFingerprint, offeredKeys: [trust.agencyPublicKey],
    transitions: trust.transitions ?? [], ...(trust.revokedFingerprints ? { revokedFingerprints: trust.revokedFingerprints } : {}),
  });
  const keys: BundleSignKeys = new Map();
  for (const bundle of bundles) {
    const content = verifyBundleUnderChain(be, bundle, epochs);
    if (content.agencyId !== trust.agencyId) throw new TiplineCryptoError('bundle_invalid');
    for (const s of content.staff) {
      const list = keys.get(s.staffId) ?? [];
      const key = fromBase64Url(s.signPublicKey);
      if (!list.some((k) => constantTimeEqual(k, key))) list.push(key);
      keys.set(s.staffId, list);
    }
  }
  return keys;
}

/** The anchors whose signature verifies under their signer's key in the agency's verified bundles; throws otherwise. */
export function checkAnchors(be: Backend, anchors: AuditAnchor[], signKeys: Map<string, BundleSignKeys>): AuditAnchor[] {
  for (const a of anchors) {
    const keys = signKeys.get(a.agencyId)?.get(a.signer) ?? [];
    if (!verifyAuditAnchor(be, a, keys)) throw new TiplineCryptoError('bundle_invalid');
  }
  return anchors;
}
