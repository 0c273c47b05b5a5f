import {
  makeCalendar, vietnamCalendar, withOverrides, defaultProfileId, getProfile,
  type HolidayCalendar, type JurisdictionProfile,
} from '../../domain/index.js';
import { fail } from '../errors.js';
import type { Database } from './connect.js';

// An agency's profile and working-day calendar: the shipped one for its jurisdiction
// with the agency's own edits (agency_holidays) on top.

export async function agencyCalendar(db: Database, agencyId: string, profileId: string): Promise<HolidayCalendar> {
  const rows = await db.selectFrom('agency_holidays').select(['day', 'kind']).where('agency_id', '=', agencyId).execute();
  const pick = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.day);
  const base = profileId.startsWith('VN-') ? vietnamCalendar() : makeCalendar([]);
  return withOverrides(base, {
    addHolidays: pick('holiday'),
    addWorkingDays: pick('working_day'),
    removeHolidays: pick('not_a_holiday'),
  });
}

export function profileOf(profileId: string | null | undefined): JurisdictionProfile {
  const profile = getProfile(profileId ?? defaultProfileId);
  // A profile id the code does not know is a configuration error, not a client error.
  return profile ?? fail('internal', 'unknown jurisdiction profile');
}

type AgencyRules = { profile: JurisdictionProfile; calendar: HolidayCalendar };

// Every status look-up needs the agency's calendar; it changes a few times a year, so
// each process keeps it for a short while. Edits through setAgencyHoliday drop it here
// at once; other instances see them within RULES_TTL_MS.
const RULES_TTL_MS = 60_000;
const rulesCache = new WeakMap<Database, Map<string, { at: number; rules: Promise<AgencyRules> }>>();

export function agencyRules(db: Database, agencyId: string): Promise<AgencyRules> {
  let perDb = rulesCache.get(db);
  if (!perDb) rulesCache.set(db, (perDb = new Map()));
  const hit = perDb.get(agencyId);
  if (hit && Date.now() - hit.at < RULES_TTL_MS) return hit.rules;
  const rules = loadAgencyRules(db, agencyId);
  perDb.set(agencyId, { at: Date.now(), rules });
  rules.catch(() => perDb.delete(agencyId));
  return rules;
}

async function loadAgencyRules(db: Database, agencyId: string): Promise<AgencyRules> {
  const agency = await db.selectFrom('agencies').select('profile').where('id', '=', agencyId).executeTakeFirstOrThrow();
  const profile = profileOf(agency.profile);
  return { profile, calendar: await agencyCalendar(db, agencyId, profile.id) };
}

export interface HolidayEdit { day: string; kind: 'holiday' | 'working_day' | 'not_a_holiday'; name?: string }

export async function setAgencyHoliday(db: Database, agencyId: string, edit: HolidayEdit): Promise<void> {
  rulesCache.get(db)?.delete(agencyId);
  await db
    .insertInto('agency_holidays')
    .values({ agency_id: agencyId, day: edit.day, kind: edit.kind, name: edit.name ?? '' })
    .onConflict((oc) => oc.columns(['agency_id', 'day']).doUpdateSet({ kind: edit.kind, name: edit.name ?? '' }))
    .execute();
}
