import {
  agencyWorkingCalendar, defaultJurisdictionId, getJurisdiction, shippedHolidays,
  type CalendarEdit, type HolidayCalendar, type Jurisdiction,
} from '../../domain/index.js';
import { fail } from '../errors.js';
import type { Database } from './connect.js';

// An agency's jurisdiction (its rule sets, src/domain/profiles) and working-day calendar:
// the shipped one for its jurisdiction with the agency's own edits (agency_holidays) on top.

export async function agencyCalendarEdits(db: Database, agencyId: string): Promise<CalendarEdit[]> {
  const rows = await db.selectFrom('agency_holidays').select(['day', 'kind', 'name']).where('agency_id', '=', agencyId).orderBy('day').execute();
  return rows.map((r) => ({ day: r.day, kind: r.kind, name: r.name }));
}

export async function agencyCalendar(db: Database, agencyId: string, jurisdiction: Jurisdiction): Promise<HolidayCalendar> {
  return agencyWorkingCalendar(shippedHolidays(jurisdiction), await agencyCalendarEdits(db, agencyId));
}

export function jurisdictionOf(jurisdictionId: string | null | undefined): Jurisdiction {
  const jurisdiction = getJurisdiction(jurisdictionId ?? defaultJurisdictionId);
  // A jurisdiction id the code does not know is a configuration error, not a client error.
  return jurisdiction ?? fail('internal', 'unknown jurisdiction profile');
}

export type AgencyRules = { jurisdiction: Jurisdiction; calendar: HolidayCalendar; version: number };

// Every status look-up needs the agency's calendar; it changes a few times a year, so
// each process keeps it, keyed by the agency's calendar_version. Every edit bumps that
// number in its own transaction, so one primary-key read tells any instance whether
// its copy is current: an edit counts from the moment it commits, on every instance.
const rulesCache = new WeakMap<Database, Map<string, { version: number; profileId: string; rules: Promise<AgencyRules> }>>();

export async function agencyRules(db: Database, agencyId: string): Promise<AgencyRules> {
  const agency = await db.selectFrom('agencies').select(['profile', 'calendar_version']).where('id', '=', agencyId).executeTakeFirstOrThrow();
  return rulesAt(db, agencyId, agency);
}

/** The same, for a caller that read the agency's profile and calendar_version in its own query. */
export function rulesAt(db: Database, agencyId: string, agency: { profile: string; calendar_version: number }): Promise<AgencyRules> {
  let perDb = rulesCache.get(db);
  if (!perDb) rulesCache.set(db, (perDb = new Map()));
  const hit = perDb.get(agencyId);
  if (hit && hit.version === agency.calendar_version && hit.profileId === agency.profile) return hit.rules;
  const jurisdiction = jurisdictionOf(agency.profile);
  const rules = agencyCalendar(db, agencyId, jurisdiction).then((calendar) => ({ jurisdiction, calendar, version: agency.calendar_version }));
  perDb.set(agencyId, { version: agency.calendar_version, profileId: agency.profile, rules });
  rules.catch(() => perDb.delete(agencyId));
  return rules;
}
