import { replay, type DutyState, type HolidayCalendar, type Jurisdiction } from '../../domain/index.js';
import type { Database } from './connect.js';
import { loadEvents } from './workflow.js';

// Duties a step opens (src/domain DutyRule: under VN-2026 what follows a conclusion), as
// rows: opened and met in the transaction of the step that opens or meets them, their due
// days recomputed with the running clocks when the agency's calendar changes. The first
// publication of a conclusion meets the duty to publish it, in the publication's own
// transaction: it is not a step of the case. Each change rewrites cases.duty_due_on, the
// earliest due day still owed, which the case list reads beside the clock's due day.

/** Writes the duties a transition opened and marks those it met. */
export async function writeDuties(
  trx: Database, caseId: string, agencyId: string, change: { opened: readonly DutyState[]; met: readonly DutyState[] },
): Promise<void> {
  if (change.opened.length > 0) {
    await trx.insertInto('case_duties').values(change.opened.map((d) => ({
      case_id: caseId, duty: d.duty, agency_id: agencyId, opened_on: d.openedOn, due_on: d.due, legal_basis: d.legalBasis,
    }))).execute();
  }
  for (const d of change.met) {
    await trx.updateTable('case_duties').set({ met_on: d.metOn, late: d.late })
      .where('case_id', '=', caseId).where('duty', '=', d.duty).where('met_on', 'is', null).execute();
  }
  if (change.opened.length > 0 || change.met.length > 0) await keepOwedDue(trx, caseId);
}

/** cases.duty_due_on = the earliest due day of a duty the case still owes, or null. */
async function keepOwedDue(trx: Database, caseId: string): Promise<void> {
  await trx.updateTable('cases')
    .set((eb) => ({
      duty_due_on: eb.selectFrom('case_duties').select((d) => d.fn.min<string>('due_on').as('due')).where('case_id', '=', caseId).where('met_on', 'is', null),
    }))
    .where('id', '=', caseId).execute();
}

/** The publication on `onDay` meets the duty to publish, if one is owed; late after its due day. */
export async function meetPublicationDuty(trx: Database, caseId: string, onDay: string): Promise<void> {
  const owed = await trx.selectFrom('case_duties').select('due_on')
    .where('case_id', '=', caseId).where('duty', '=', 'publish_conclusion').where('met_on', 'is', null).executeTakeFirst();
  if (!owed) return;
  await trx.updateTable('case_duties').set({ met_on: onDay, late: onDay > owed.due_on })
    .where('case_id', '=', caseId).where('duty', '=', 'publish_conclusion').execute();
  await keepOwedDue(trx, caseId);
}

/** The duties of a case, in the order they were opened. */
export async function caseDuties(db: Database, caseId: string) {
  const rows = await db.selectFrom('case_duties').selectAll().where('case_id', '=', caseId).orderBy('opened_on').orderBy('due_on').orderBy('duty').execute();
  return rows.map((r) => ({ duty: r.duty, openedOn: r.opened_on, due: r.due_on, metOn: r.met_on, late: r.late, legalBasis: r.legal_basis }));
}

/** The agency's duties still owed and due by `until` (overdue ones included), for the deadline list. */
export async function owedDuties(db: Database, agencyId: string, until: string) {
  return db.selectFrom('case_duties as d').innerJoin('cases as c', 'c.id', 'd.case_id')
    .select(['d.case_id', 'd.duty', 'd.due_on', 'c.public_number', 'c.status', 'c.urgent'])
    .where('d.agency_id', '=', agencyId).where('d.met_on', 'is', null).where('d.due_on', '<=', until)
    .execute();
}

/** Rewrites the due days of the agency's owed duties from their recorded history; returns how many moved. */
export async function recomputeOwedDuties(trx: Database, agencyId: string, jurisdiction: Jurisdiction, calendar: HolidayCalendar): Promise<number> {
  const owed = await trx.selectFrom('case_duties as d').innerJoin('cases as c', 'c.id', 'd.case_id')
    .select(['d.case_id', 'd.duty', 'd.due_on', 'c.received_on'])
    .where('d.agency_id', '=', agencyId).where('d.met_on', 'is', null).orderBy('d.case_id').execute();
  const byCase = new Map<string, typeof owed>();
  for (const d of owed) byCase.set(d.case_id, [...(byCase.get(d.case_id) ?? []), d]);
  let moved = 0;
  for (const [caseId, rows] of byCase) {
    const snap = replay(jurisdiction, { receivedOn: rows[0]!.received_on, events: await loadEvents(trx, caseId) }, calendar);
    let changed = false;
    for (const row of rows) {
      const due = snap.duties.find((d) => d.duty === row.duty)?.due;
      if (!due || due === row.due_on) continue;
      await trx.updateTable('case_duties').set({ due_on: due }).where('case_id', '=', caseId).where('duty', '=', row.duty).execute();
      moved += 1;
      changed = true;
    }
    if (changed) await keepOwedDue(trx, caseId);
  }
  return moved;
}
