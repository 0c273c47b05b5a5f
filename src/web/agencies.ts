import { TiplineCryptoError, agencyFingerprint, verifyBundle, verifyPinnedBundle, type Backend, type BundleContent } from '../protocol/index.js';
import { PRODUCTION, agencyPin, sawSerial, type AgencyPin } from './pins.js';
import type { AgencyEntry } from './sdk.js';

// The page checks an agency's key bundle as soon as the denouncer picks it, so a
// refusal is explained before anything is typed; the SDK checks it again, against the
// same compiled-in pin and serial, right before sealing.

export type AgencyTrust =
  /** Verified under the compiled pin: the only state in which the page makes its promise. */
  | { state: 'pinned'; pin: AgencyPin; content: BundleContent }
  /**
   * No pin compiled in, development page only: sealed under a warning, with no promise.
   * The fingerprint of the key the server offered is shown, for the person to compare
   * with one the agency gives through another channel.
   */
  | { state: 'unpinned'; content: BundleContent; fingerprint: string }
  | { state: 'refused'; reason: 'invalid' | 'rollback' | 'unpinned' };

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function checkAgency(be: Backend, agency: AgencyEntry): AgencyTrust {
  const pin = agencyPin(agency.slug);
  // A production page's promise rests on its pins: without one it seals nothing.
  if (!pin && PRODUCTION) return { state: 'refused', reason: 'unpinned' };
  if (!agency.bundle) return { state: 'refused', reason: 'invalid' };
  let content: BundleContent;
  try {
    // With a pin, through the chain of key hand-overs from it (PROTOCOL.md §9.2): the page
    // keeps nothing, so it walks the chain from its compiled-in pin on every load.
    content = pin
      ? verifyPinnedBundle(be, agency.bundle, {
        agencyId: agency.agencyId, pinnedFingerprint: pin.fingerprint, revokedFingerprints: pin.revoked,
        offeredKey: agency.signingPublicKey, transitions: agency.keyTransitions, minSerial: pin.minSerial, today: today(),
      }).content
      : verifyBundle(be, agency.bundle, { agencyPublicKey: agency.signingPublicKey, today: today() });
  } catch (err) {
    const rollback = err instanceof TiplineCryptoError && err.code === 'bundle_rollback';
    return { state: 'refused', reason: rollback ? 'rollback' : 'invalid' };
  }
  // The bundle must speak for the agency the denouncer chose, not another one.
  if (content.agencySlug !== agency.slug || content.agencyId !== agency.agencyId) return { state: 'refused', reason: 'invalid' };
  if (!pin) return { state: 'unpinned', content, fingerprint: agencyFingerprint(be, agency.signingPublicKey) };
  sawSerial(agency.slug, content.serial);
  return { state: 'pinned', pin, content };
}
