import { verifyBundle, type Backend, type BundleContent } from '../protocol/index.js';
import { pinnedFingerprint } from './pins.js';
import type { AgencyEntry } from './sdk.js';

// The page checks an agency's key bundle as soon as the denouncer picks it, so a
// mismatch is explained before anything is typed; the SDK checks it again, against
// the same compiled-in pin, right before sealing.

export interface AgencyTrust {
  /** The fingerprint compiled into the page, if any. */
  pin: string | undefined;
  /** The verified bundle, or undefined when it failed verification. */
  content: BundleContent | undefined;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function checkAgency(be: Backend, agency: AgencyEntry): AgencyTrust {
  const pin = pinnedFingerprint(agency.slug);
  if (!agency.bundle) return { pin, content: undefined };
  try {
    const content = verifyBundle(
      be,
      agency.bundle,
      { agencyPublicKey: agency.signingPublicKey, pinnedFingerprint: pin, today: today() },
    );
    // The bundle must speak for the agency the denouncer chose, not another one.
    return { pin, content: content.agencySlug === agency.slug && content.agencyId === agency.id ? content : undefined };
  } catch {
    return { pin, content: undefined };
  }
}
