import { sql } from 'kysely';
import { CONFIRMATION_DUTY, initialDue, lastReceiptDueBy, rulesFor, type DeadlineItem, type HolidayCalendar, type Jurisdiction } from '../../domain/index.js';
import type { Database } from './connect.js';
import { agencyRules, rulesAt, type AgencyRules } from './workflow-calendar.js';
import { owedDuties } from './workflow-duties.js';

// Read side of the workflow: a case's events, the denouncer's timeline, the deadline list.

/** One event with what its actor signed, for the staff client that checks it (PROTOCOL.md §8.3.4). */
export interface EventRow {
  seq: number; action: string; from: string; to: string; onDay: string; actorId: string | null;
  legalBasis: string; reason: Uint8Array | null; due: string | null; late: boolean; noticeMessageId: string | null;
  finding: string | null; extension: { complexity: string; days: number } | null; ground: string | null;
  /** A conclusion's figures as stored (the client checks them against the signature). */
  figures: Record<string, number> | null;
  citedBasis: string | null; noticeDigest: Uint8Array | null; signature: Uint8Array | null;
}

export async function listEvents(db: Database, caseId: string): Promise<EventRow[]> {
  const rows = await db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('seq').execute();
  return rows.map((r) => ({
    seq: r.seq, action: r.action, from: r.from_state, to: r.to_state, onDay: r.on_day, actorId: r.actor_id,
    legalBasis: r.legal_basis, reason: r.reason, due: r.due_on, late: r.late, noticeMessageId: r.notice_message_id,
    finding: r.finding, extension: r.extension_complexity ? { complexity: r.extension_complexity, days: r.extension_amount ?? 0 } : null, ground: r.ground, figures: r.figures,
    citedBasis: r.cited_basis, noticeDigest: r.notice_digest, signature: r.signature,
  }));
}

/**
 * The running deadline of listed cases: the stored one, or for a case still untouched
 * since receipt (no stored due day yet, as in listDeadlines) the profile's initial clock
 * on its agency's calendar, so a list shows what the case view shows.
 */
export async function withRunningDue<T extends { agencyId: string; status: string; receivedOn: string; dueOn: string | null }>(db: Database, rows: T[]): Promise<T[]> {
  const rules = new Map<string, Promise<AgencyRules>>();
  return Promise.all(rows.map(async (r) => {
    if (r.dueOn !== null || r.status !== 'RECEIVED') return r;
    if (!rules.has(r.agencyId)) rules.set(r.agencyId, agencyRules(db, r.agencyId));
    return { ...r, dueOn: cachedInitialDue(await rules.get(r.agencyId)!, r.receivedOn) };
  }));
}

/**
 * For "due by": per agency, the last day of receipt whose first deadline falls by then.
 * A case nobody has acted on has no stored deadline, and is due by `dueBy` when it was
 * received on or before that day (the list's query reads it beside cases.due_on).
 */
export async function untouchedDueBounds(db: Database, agencyIds: readonly string[], dueBy: string): Promise<{ agencyId: string; receivedBy: string }[]> {
  const bounds = await Promise.all(agencyIds.map(async (agencyId) => {
    const { jurisdiction, calendar } = await agencyRules(db, agencyId);
    // The first deadline is set by the rules in force on the day of receipt; those of `dueBy` count for the newest receipts.
    return { agencyId, receivedBy: lastReceiptDueBy(rulesFor(jurisdiction, dueBy, dueBy), dueBy, calendar) };
  }));
  return bounds.filter((b): b is { agencyId: string; receivedBy: string } => b.receivedBy !== null);
}

/**
 * Open cases, duties still owed after a conclusion and pending protection requests of one
 * agency due on or before `until` (overdue ones included): urgent protection requests
 * first, then by due day. Cases
 * still untouched since receipt have no stored due day yet; theirs is the profile's
 * initial clock, computed here for that small set.
 */
export async function listDeadlines(
  db: Database, agencyId: string, asOf: string, until: string, jurisdiction: Jurisdiction, cal: HolidayCalendar,
): Promise<DeadlineItem[]> {
  const cases = await db
    .selectFrom('cases')
    .select(['id', 'public_number', 'status', 'clock_phase', 'urgent', 'due_on'])
    .where('agency_id', '=', agencyId)
    .where('finished_on', 'is', null)
    .where('due_on', 'is not', null)
    .where('due_on', '<=', until)
    .where('clock_paused', '=', false)
    .execute();
  const fresh = await db
    .selectFrom('cases')
    .select(['id', 'public_number', 'status', 'urgent', 'received_on'])
    .where('agency_id', '=', agencyId)
    .where('status', '=', 'RECEIVED')
    .where('due_on', 'is', null)
    .where(sql<boolean>`not exists (select 1 from case_events e where e.case_id = cases.id)`)
    .execute();
  const items: DeadlineItem[] = cases.map((c) => ({
    kind: 'case', caseId: c.id, protectionRequestId: null, publicNumber: c.public_number, state: c.status, phase: c.clock_phase,
    urgent: c.urgent, due: c.due_on!, overdue: c.due_on! < asOf,
  }));
  for (const c of fresh) {
    const profile = rulesFor(jurisdiction, c.received_on, c.received_on);
    const due = initialDue(profile, c.received_on, cal)!;
    if (due > until) continue;
    items.push({ kind: 'case', caseId: c.id, protectionRequestId: null, publicNumber: c.public_number, state: c.status, phase: profile.initialClock.phase, urgent: c.urgent, due, overdue: due < asOf });
  }
  for (const d of await owedDuties(db, agencyId, until)) {
    items.push({ kind: 'duty', caseId: d.case_id, protectionRequestId: null, publicNumber: d.public_number, state: d.status, phase: d.duty, urgent: d.urgent, due: d.due_on, overdue: d.due_on < asOf });
  }
  const requests = await db
    .selectFrom('protection_requests')
    .innerJoin('cases', 'cases.id', 'protection_requests.case_id')
    .select(['protection_requests.id', 'protection_requests.case_id', 'cases.public_number', 'protection_requests.urgent', 'protection_requests.due_on', 'protection_requests.status'])
    .where('protection_requests.agency_id', '=', agencyId)
    .where('protection_requests.status', '=', 'pending')
    .execute();
  for (const r of requests) {
    if (!r.urgent && r.due_on > until) continue;
    items.push({ kind: 'protection_request', caseId: r.case_id, protectionRequestId: r.id, publicNumber: r.public_number, state: r.status, phase: 'protection', urgent: r.urgent, due: r.due_on, overdue: r.due_on < asOf });
  }
  for (const r of await owedConfirmations(db, agencyId, until)) {
    items.push({ kind: 'duty', caseId: r.case_id, protectionRequestId: r.id, publicNumber: r.public_number, state: r.status, phase: CONFIRMATION_DUTY, urgent: true, due: r.confirm_due_on, overdue: r.confirm_due_on < asOf });
  }
  const rank = (i: DeadlineItem) => (i.kind === 'protection_request' && i.urgent ? 0 : i.urgent ? 1 : 2);
  return items.sort((a, b) => rank(a) - rank(b) || a.due.localeCompare(b.due) || a.publicNumber.localeCompare(b.publicNumber));
}

/**
 * Written confirmations still owed, due by `until`: the board stops counting one once it is
 * recorded, the request refused or the protection ended (migration 0029).
 */
function owedConfirmations(db: Database, agencyId: string, until: string) {
  return db.selectFrom('protection_channels as pc')
    .innerJoin('protection_requests as p', 'p.id', 'pc.request_id')
    .innerJoin('cases', 'cases.id', 'p.case_id')
    .select(['p.id', 'p.case_id', 'cases.public_number', 'p.status', 'pc.confirm_due_on'])
    .where('p.agency_id', '=', agencyId)
    .where('pc.confirm_due_on', 'is not', null).where('pc.confirm_due_on', '<=', until)
    .where('p.confirmed_on', 'is', null).where('p.ended_on', 'is', null).where('p.status', '<>', 'refused')
    .$narrowType<{ confirm_due_on: string }>()
    .execute();
}

/** One public step for the denouncer's status view: day, event, state, deadline — no reason, no actor. */
export interface PublicTimelineEntry { on: string; event: string; status: string | null; deadline: string | null; noticeMessageId: string | null }

export async function publicTimeline(db: Database, caseId: string): Promise<PublicTimelineEntry[]> {
  const rows = await db
    .selectFrom('case_events')
    .select(['action', 'to_state', 'on_day', 'due_on', 'notice_message_id'])
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ on: r.on_day, event: r.action, status: r.to_state, deadline: r.due_on, noticeMessageId: r.notice_message_id }));
}

/**
 * What the receipt holder sees of the clock: the public steps and the deadline now
 * running. Before the first transition the deadline is the profile's initial one,
 * counted from the day of receipt.
 */
export async function publicCaseClock(
  db: Database,
  kase: { id: string; agencyId: string; receivedOn: string; dueOn: string | null },
): Promise<{ due: string | null; timeline: PublicTimelineEntry[] }> {
  const timeline = await publicTimeline(db, kase.id);
  if (timeline.length > 0) return { due: kase.dueOn, timeline };
  return { due: cachedInitialDue(await agencyRules(db, kase.agencyId), kase.receivedOn), timeline };
}

/**
 * The same clock for a timeline already read with the case, and the agency's profile and
 * calendar_version read in that same query (the status route: one round trip).
 */
export async function clockOfTimeline(
  db: Database,
  kase: { agencyId: string; receivedOn: string; dueOn: string | null; agency: { profile: string; calendar_version: number } },
  timeline: PublicTimelineEntry[],
): Promise<{ due: string | null; timeline: PublicTimelineEntry[] }> {
  if (timeline.length > 0) return { due: kase.dueOn, timeline };
  return { due: cachedInitialDue(await rulesAt(db, kase.agencyId, kase.agency), kase.receivedOn), timeline };
}

// The first deadline depends only on the agency's rules and the day of receipt, and every
// status look-up of a case not yet triaged asks for it. It is kept beside the cached rules
// (a new calendar version is a new rules object, so an edit is never answered from here).
const initialDues = new WeakMap<AgencyRules, Map<string, string | null>>();

function cachedInitialDue(rules: AgencyRules, receivedOn: string): string | null {
  let byDay = initialDues.get(rules);
  if (!byDay) initialDues.set(rules, (byDay = new Map()));
  if (byDay.has(receivedOn)) return byDay.get(receivedOn)!;
  const due = initialDue(rulesFor(rules.jurisdiction, receivedOn, receivedOn), receivedOn, rules.calendar);
  if (byDay.size >= 4096) byDay.clear();
  byDay.set(receivedOn, due);
  return due;
}
