import type { Backend, BundleContent } from '../../../protocol/index.js';
import type { Database } from '../../db/connect.js';
import type { CheckedBundle } from '../../db/submissions.js';
import { currentBundle } from './submission-checks.js';

// Verifying an agency's signed bundle (Ed25519 and a JSON parse) on every submission
// costs more than the checks it feeds. A process keeps the verified content per agency,
// with the stored serial, signature and signing key it was verified under; a submission
// checked against it is inserted only while those are still the agency's current ones
// (the guard in submitCase), so a newer, replaced or rolled-back bundle is never missed:
// the guard refuses, the entry is forgotten and the bundle is read and verified again.

export interface VerifiedBundle { content: BundleContent; serial: number; stored: CheckedBundle }

export interface BundleCache {
  /** The agency's verified bundle, from this process's memory when it has one. */
  get(db: Database, agencyId: string): Promise<VerifiedBundle>;
  /** Drops the entry the store refused as stale, unless another request already replaced it. */
  forget(agencyId: string, stale: VerifiedBundle): void;
}

export function bundleCache(be: Backend): BundleCache {
  // Only agencies that exist and verify are kept, so the map is bounded by the directory.
  const verified = new Map<string, VerifiedBundle>();
  return {
    async get(db, agencyId) {
      const known = verified.get(agencyId);
      if (known) return known;
      const fresh = await currentBundle(db, be, agencyId);
      verified.set(agencyId, fresh);
      return fresh;
    },
    forget(agencyId, stale) {
      if (verified.get(agencyId) === stale) verified.delete(agencyId);
    },
  };
}
