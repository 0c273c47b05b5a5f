import type { Jurisdiction } from '../profile.js';
import { eu2019 } from './eu-2019-1937.js';
import { vn2018 } from './vn-2018.js';
import { vn2026 } from './vn-2026.js';

export { eu2019, vn2018, vn2026 };

// The jurisdictions an agency may follow (agencies.profile names one), each with its
// rule sets oldest first: a change of law is a new rule set here.

export const vietnam: Jurisdiction = { id: 'VN', title: 'Việt Nam — Luật Tố cáo', holidayCalendar: 'VN', ruleSets: [vn2018, vn2026] };
export const europeanUnion: Jurisdiction = { id: 'EU', title: 'European Union — Directive (EU) 2019/1937', holidayCalendar: 'none', ruleSets: [eu2019] };

export const jurisdictions: Readonly<Record<string, Jurisdiction>> = { [vietnam.id]: vietnam, [europeanUnion.id]: europeanUnion };

export const defaultJurisdictionId = vietnam.id;

/** The agency's jurisdiction; an unknown id (a typo in agencies.profile) falls back to nothing. */
export function getJurisdiction(id: string): Jurisdiction | undefined {
  return Object.hasOwn(jurisdictions, id) ? jurisdictions[id] : undefined;
}
