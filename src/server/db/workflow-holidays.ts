import {
  calendarOfYear, checkCalendarEdit, checkCalendarRemoval, effectiveDue, replay, rulesFor, shippedHolidays, terminalStates,
  type CalendarDay, type CalendarEdit, type CalendarEditRefusal, type Day,
} from '../../domain/index.js';
import type { Database } from './connect.js';
import { loadEvents } from './workflow.js';
import { agencyCalendarEdits, agencyRules, jurisdictionOf } from './workflow-calendar.js';
import { inTransaction } from './audited.js';
import { recomputeOwedDuties } from './workflow-duties.js';

// Editing an agency's holiday calendar. Each edit, the calendar version it bumps, the
// running deadlines it moves are one transaction (with its audit entry: the caller runs
// it inside audited()): a deadline is never seen computed half with the old calendar
// and half with the new.
//
// Running clocks are recomputed because a working-day period counts the days that
// actually are working days: a holiday declared while a period runs moves its end.
// What was recorded stays as it was recorded — each event's deadline and late flag.

export async function listAgencyCalendar(db: Database, agencyId: string, year: number): Promise<{ profileId: string; version: number; days: CalendarDay[] }> {
  const { jurisdiction, version } = await agencyRules(db, agencyId);
  return { profileId: jurisdiction.id, version, days: calendarOfYear(shippedHolidays(jurisdiction), await agencyCalendarEdits(db, agencyId), year) };
}

export type CalendarChange =
  | { ok: true; version: number; recomputed: number }
  | ({ ok: false } & CalendarEditRefusal);

/** Adds an agency entry (holiday, working day, or a shipped holiday not observed). */
export function addCalendarEdit(db: Database, agencyId: string, edit: CalendarEdit): Promise<CalendarChange> {
  return changeCalendar(db, agencyId, async (trx, shipped, edits) => {
    const refusal = checkCalendarEdit(shipped, edits, edit);
    if (refusal) return refusal;
    await trx.insertInto('agency_holidays').values({ agency_id: agencyId, day: edit.day, kind: edit.kind, name: edit.name }).execute();
    return null;
  });
}

/** Removes the agency's entry on `day`; a shipped holiday marked not observed is observed again. */
export function removeCalendarEdit(db: Database, agencyId: string, day: Day): Promise<CalendarChange> {
  return changeCalendar(db, agencyId, async (trx, shipped, edits) => {
    const refusal = checkCalendarRemoval(shipped, edits, day);
    if (refusal) return refusal;
    await trx.deleteFrom('agency_holidays').where('agency_id', '=', agencyId).where('day', '=', day).execute();
    return null;
  });
}

type Apply = (trx: Database, shipped: ReturnType<typeof shippedHolidays>, edits: CalendarEdit[]) => Promise<CalendarEditRefusal | null>;

async function changeCalendar(db: Database, agencyId: string, apply: Apply): Promise<CalendarChange> {
  return inTransaction(db, async (trx) => {
    // The row lock serialises edits of one agency's calendar and waits for transitions
    // in flight (they hold it shared), so none of them writes a deadline from the old one.
    const agency = await trx.selectFrom('agencies').select(['profile', 'calendar_version']).where('id', '=', agencyId)
      .forUpdate().executeTakeFirstOrThrow();
    const refusal = await apply(trx, shippedHolidays(jurisdictionOf(agency.profile)), await agencyCalendarEdits(trx, agencyId));
    if (refusal) return { ok: false, ...refusal };
    const version = agency.calendar_version + 1;
    await trx.updateTable('agencies').set({ calendar_version: version }).where('id', '=', agencyId).execute();
    const recomputed = await recomputeRunningDeadlines(trx, agencyId);
    return { ok: true, version, recomputed };
  });
}

/** Rewrites cases.due_on of the agency's running clocks from their recorded history; returns how many moved. */
async function recomputeRunningDeadlines(trx: Database, agencyId: string): Promise<number> {
  const { jurisdiction, calendar } = await agencyRules(trx, agencyId);
  const open = await trx.selectFrom('cases').select(['id', 'received_on', 'due_on']).where('agency_id', '=', agencyId)
    .where('finished_on', 'is', null).where('due_on', 'is not', null).where('status', 'not in', [...terminalStates])
    .orderBy('id').forUpdate().execute();
  let moved = 0;
  for (const kase of open) {
    const snap = replay(jurisdiction, { receivedOn: kase.received_on, events: await loadEvents(trx, kase.id) }, calendar);
    const rules = rulesFor(jurisdiction, kase.received_on, snap.lastDay);
    const due = snap.clock.stoppedOn || snap.clock.paused ? null : effectiveDue(rules, snap.clock, calendar);
    if (due === kase.due_on) continue;
    await trx.updateTable('cases').set({ due_on: due }).where('id', '=', kase.id).execute();
    moved += 1;
  }
  // A duty owed after a conclusion is a running deadline too (its case's clock has stopped).
  return moved + await recomputeOwedDuties(trx, agencyId, jurisdiction, calendar);
}

