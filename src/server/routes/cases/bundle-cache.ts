import type { Backend, BundleContent } from '../../../protocol/index.js';
import type { Database } from '../../db/connect.js';
import type { CheckedBundle } from '../../db/submissions.js';
import { currentBundle } from './submission-checks.js';

// Verifying an agency's signed bundle (Ed25519 and a JSON parse) on every submission
// costs more than the checks it feeds. A process keeps the verified content per agency,
// with the stored serial, signature and signing key it was verified under; a submission
// checked against it is inserted only while those are still the agency's current ones
// (the bundle guard in submit_cases()), so a newer, replaced or rolled-back bundle is
// never missed: the guard refuses, the bundle is read again and verified again if it
// differs. The
// signature stands for the payload: under one key, no other payload verifies with it.
// A bundle that no longer verifies, or an agency gone, drops the entry: fail closed.

export interface VerifiedBundle { content: BundleContent; serial: number; stored: CheckedBundle }

export interface BundleCache {
  /** The agency's verified bundle, from this process's memory when it has one. */
  get(db: Database, agencyId: string): Promise<VerifiedBundle>;
  /**
   * The agency's bundle as stored now, for a submission the kept copy refused or the store
   * found stale; verified again only when the stored one differs from `seen`.
   */
  refresh(db: Database, agencyId: string, seen: VerifiedBundle): Promise<VerifiedBundle>;
}

export function bundleCache(be: Backend): BundleCache {
  // Only agencies that exist and verify are kept, so the map is bounded by the directory.
  const verified = new Map<string, VerifiedBundle>();
  const load = async (db: Database, agencyId: string, seen?: VerifiedBundle) => {
    const fresh = await currentBundle(db, be, agencyId, seen).catch((err: unknown) => {
      verified.delete(agencyId);
      throw err;
    });
    verified.set(agencyId, fresh);
    return fresh;
  };
  return {
    get: async (db, agencyId) => verified.get(agencyId) ?? load(db, agencyId),
    refresh: (db, agencyId, seen) => load(db, agencyId, seen),
  };
}
