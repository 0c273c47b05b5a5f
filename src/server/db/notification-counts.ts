import { sql } from 'kysely';
import { addWorkingDays, custodyState, utcToDay, type NotificationCounts } from '../../domain/index.js';
import type { Database } from './connect.js';
import { readsMessages, type CaseViewer } from './case-access.js';
import { custodiansOfSubject, findIdentityRequest } from './identity.js';
import { agencyRules } from './workflow-calendar.js';
import { listDeadlines } from './workflow-queries.js';

// What waits for one staff member, as four numbers and nothing else: the console's
// badge and the notification digest show the same counts. Computed from metadata the
// server holds anyway (grants, states, deadlines, custody decisions); no count names a
// case, and none depends on when a denouncer acted beyond what the day already tells.

export type { NotificationCounts };

const has = (v: CaseViewer, role: string) => v.roles.includes(role as never);

/**
 * New cases: an intake officer's agency cases still awaiting triage; an investigator's
 * open cases assigned to them. Each side starts from its own index (the agency's cases,
 * the member's keys) rather than walking every case; a case on both sides counts once.
 */
async function inboxCount(db: Database, v: CaseViewer): Promise<number> {
  const triage = db.selectFrom('cases').select('id').where('agency_id', '=', v.agencyId).where('status', '=', 'RECEIVED');
  const assigned = db.selectFrom('case_keys as k').innerJoin('cases as c', 'c.id', 'k.case_id').select('c.id')
    .where('k.staff_id', '=', v.id).where('k.recipient', '=', 'staff').where('k.granted_by', 'is not', null).where('c.finished_on', 'is', null);
  const sides = [...(has(v, 'intake') ? [triage] : []), ...(has(v, 'investigator') ? [assigned] : [])];
  if (sides.length === 0) return 0;
  const ids = sides.length === 2 ? triage.union(assigned) : sides[0]!;
  const row = await db.selectFrom(ids.as('w')).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Cases they hold a key for with a denouncer message beyond their read point (message-reads.ts). */
async function repliesCount(db: Database, v: CaseViewer): Promise<number> {
  if (!readsMessages(v)) return 0;
  const row = await db.selectFrom('messages as m')
    .innerJoin('case_keys as k', (j) => j.onRef('k.case_id', '=', 'm.case_id').on('k.staff_id', '=', v.id).on('k.recipient', '=', 'staff'))
    .leftJoin('message_reads as r', (j) => j.onRef('r.case_id', '=', 'm.case_id').on('r.staff_id', '=', v.id))
    .select(sql<string>`count(distinct m.case_id)`.as('n'))
    .where('m.direction', '=', 'from_denouncer')
    .where((e) => e('m.seq', '>', e.fn.coalesce('r.read_seq', sql<string>`0`)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deadlines due within `withinDays` working days on the agency's calendar, overdue ones
 * included: every one of the agency's for its head; for others, those of the cases
 * assigned to them, and for intake officers those of cases still awaiting triage.
 */
async function deadlinesCount(db: Database, v: CaseViewer, withinDays: number, today: string): Promise<number> {
  const supervisor = has(v, 'supervisor');
  if (!supervisor && !has(v, 'intake') && !has(v, 'investigator')) return 0;
  const { jurisdiction, calendar } = await agencyRules(db, v.agencyId);
  const items = await listDeadlines(db, v.agencyId, today, addWorkingDays(today, withinDays, calendar), jurisdiction, calendar);
  if (supervisor) return items.length;
  const assigned = new Set((await db.selectFrom('case_keys').select('case_id')
    .where('staff_id', '=', v.id).where('recipient', '=', 'staff').where('granted_by', 'is not', null).execute()).map((r) => r.case_id));
  return items.filter((i) => assigned.has(i.caseId) || (has(v, 'intake') && i.kind === 'case' && i.state === 'RECEIVED')).length;
}

/** Identity (and protection-details) requests still pending where they hold a share and have not decided. */
async function identityCount(db: Database, v: CaseViewer): Promise<number> {
  const undecided = await db.selectFrom('identity_request_keys as k').innerJoin('identity_requests as r', 'r.id', 'k.request_id')
    .select('r.id').where('k.staff_id', '=', v.id).where('r.requester_id', '!=', v.id)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('identity_decisions as d').select('d.request_id')
      .whereRef('d.request_id', '=', 'r.id').where('d.custodian_id', '=', v.id))))
    .execute();
  let n = 0;
  for (const { id } of undecided) {
    const r = await findIdentityRequest(db, id);
    if (!r) continue;
    const custodians = await custodiansOfSubject(db, r);
    if (custodians.includes(v.id) && custodyState(r.threshold, r.decisions, custodians.length) === 'pending') n += 1;
  }
  return n;
}

export async function notificationCounts(db: Database, v: CaseViewer, withinDays: number, today = utcToDay(Date.now())): Promise<NotificationCounts> {
  // One after another: `db` may be a single connection (PGlite, a transaction).
  return {
    inbox: await inboxCount(db, v), replies: await repliesCount(db, v),
    deadlines: await deadlinesCount(db, v, withinDays, today), identity: await identityCount(db, v),
  };
}
