import { addMonths, type Day } from './dates.js';
import type { JurisdictionProfile } from './profile.js';

// Records are kept no longer than necessary (EU Art. 18) and as long as the archive
// schedule says (VN). The period runs from the day the case left the workflow.

export function retentionEndsOn(profile: JurisdictionProfile, closedOn: Day): Day {
  return addMonths(closedOn, profile.retention.years * 12);
}

/** A case may be purged once its retention ended and no legal hold is on it. */
export function purgeable(profile: JurisdictionProfile, closedOn: Day | null, held: boolean, today: Day): boolean {
  return closedOn !== null && !held && retentionEndsOn(profile, closedOn) <= today;
}
