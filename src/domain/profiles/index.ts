import type { JurisdictionProfile } from '../profile.js';
import { eu2019 } from './eu-2019-1937.js';
import { vn2018 } from './vn-2018.js';

export { eu2019, vn2018 };

export const profiles: Readonly<Record<string, JurisdictionProfile>> = {
  [vn2018.id]: vn2018,
  [eu2019.id]: eu2019,
};

export const defaultProfileId = vn2018.id;

/** The agency's profile; an unknown id (a typo in agencies.profile) falls back to nothing. */
export function getProfile(id: string): JurisdictionProfile | undefined {
  return profiles[id];
}
