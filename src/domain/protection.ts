import type { HolidayCalendar } from './calendar.js';
import { addPeriod } from './clock.js';
import type { Day } from './dates.js';
import type { JurisdictionProfile } from './profile.js';

// Protection of the denouncer (VN: Law on Denunciation 2018 Art. 50–52; EU: Directive
// 2019/1937 Art. 19–22). A request is due for decision the profile's period after the
// day it was made, an urgent one the profile's shorter period after. It is decided by the
// head of agency (Art. 51–52): one rule for the server, which refuses a decision from anyone
// else, and for staff clients, which refuse to show as decided a request whose decision
// another role signed.

export const PROTECTION_DECIDER_ROLES = ['supervisor'] as const;

export function protectionDueOn(profile: JurisdictionProfile, requestedOn: Day, urgent: boolean, cal: HolidayCalendar): Day {
  return addPeriod(requestedOn, urgent ? profile.protection.urgentWithin : profile.protection.decideWithin, cal);
}
