import { sql, type AliasableExpression, type Expression, type Selectable, type SqlBool } from 'kysely';
import { CASE_READER_ROLES } from '../../domain/index.js';
import type { Database } from './connect.js';
import { hasUnread, unreadCaseIds, type ListedCases } from './message-reads.js';
import type { CasesTable, StaffRole } from './schema.js';

// Who may see a case. Every staff route that touches a case goes through here, and a
// case the caller may not see is reported exactly like a case that does not exist
// (404): no existence oracle for investigators probing ids.
//
// - intake officers and supervisors: every case of their own agency;
// - anyone holding a wrapped content key for the case (a grant): that case, whatever
//   their agency (transfer to another agency's intake is a grant too).
// Admins, auditors and custodians see no case through this path.

export type CaseRecord = Selectable<CasesTable>;

export interface CaseViewer { id: string; agencyId: string; roles: StaffRole[] }

export const AGENCY_WIDE_ROLES: readonly StaffRole[] = ['intake', 'supervisor'];

export function seesWholeAgency(staff: CaseViewer): boolean {
  return staff.roles.some((r) => AGENCY_WIDE_ROLES.includes(r));
}

/** Whether the viewer's role lets them read a thread at all (they still need the case's key). */
export function readsMessages(staff: CaseViewer): boolean {
  return staff.roles.some((r) => (CASE_READER_ROLES as readonly StaffRole[]).includes(r));
}

export async function hasGrant(db: Database, staffId: string, caseId: string): Promise<boolean> {
  return (await wrappedKeyFor(db, staffId, caseId)) !== null;
}

export async function findCaseForStaff(db: Database, staff: CaseViewer, caseId: string): Promise<CaseRecord | null> {
  const found = await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!found) return null;
  if (found.agency_id === staff.agencyId && seesWholeAgency(staff)) return found;
  return (await hasGrant(db, staff.id, caseId)) ? found : null;
}

export interface CaseListQuery {
  /** 'agency': every case of the viewer's agency (intake, supervisor); 'granted': cases with a key for them. */
  scope: 'agency' | 'granted';
  status?: string | undefined;
  kind?: string | undefined;
  receivedFrom?: string | undefined;
  receivedTo?: string | undefined;
  /** Only cases whose running deadline falls on or before this day (overdue included). */
  dueBy?: string | undefined;
  /** With dueBy: per agency, the last receipt day of untouched cases due by then (untouchedDueBounds). */
  untouchedReceivedBy?: readonly { agencyId: string; receivedBy: string }[] | undefined;
  urgent?: boolean | undefined;
  /** Only cases a colleague granted to the viewer (assigned to them), not keys wrapped at submission. */
  assignedToMe?: boolean | undefined;
  /** Only cases with a denouncer message beyond the viewer's read point (message-reads.ts). */
  unread?: boolean | undefined;
  /** Keyset cursor: the last row of the previous page. */
  after?: { receivedOn: string; id: string } | undefined;
  limit: number;
}

export interface CaseSummary {
  id: string; agencyId: string; publicNumber: string; kind: string; status: string;
  hasIdentity: boolean; urgent: boolean; receivedOn: string; dueOn: string | null;
  /** A denouncer message the viewer could read (holds the key) is beyond their read point. */
  unread: boolean;
}

/** Case `c` holds a content key for the staff member (granted by a colleague, when `assigned`). */
function holdsKey(eb: ListedCases, staffId: string, assigned = false): Expression<SqlBool> {
  let keys = eb.selectFrom('case_keys as k').select('k.id').whereRef('k.case_id', '=', 'c.id')
    .where('k.staff_id', '=', staffId).where('k.recipient', '=', 'staff');
  if (assigned) keys = keys.where('k.granted_by', 'is not', null);
  return eb.exists(keys);
}

/**
 * Unread for this viewer: a denouncer message beyond their read point in a case they
 * could open. Without a reading role, or the case's key, there is nothing they could
 * read, so nothing is unread. The granted view holds the key by definition.
 */
function unreadFor(eb: ListedCases, staff: CaseViewer, scope: CaseListQuery['scope']): AliasableExpression<SqlBool> {
  if (!readsMessages(staff)) return sql<SqlBool>`false`;
  return hasUnread(eb, staff.id, scope === 'agency');
}

/**
 * Newest first, keyset-paged on (received_on, id) so page 1,000 costs what page 1
 * costs. The cursor is one row-value comparison, which the planner can use as an index
 * bound (an OR of the two columns is only a filter, read over every row before the
 * page). Agency view: cases_arrivals_idx (migrations/0009_case_indexes.ts). Granted
 * view: an EXISTS per case, so the planner can walk cases_received_id_idx
 * (migrations/0008_list_indexes.ts) and stop after a page, or start from the grants
 * when the viewer holds few; a duplicate grant row never duplicates a case. The unread
 * flag costs two index probes per listed row (message-reads.ts).
 */
export async function listCasesForStaff(db: Database, staff: CaseViewer, q: CaseListQuery): Promise<CaseSummary[]> {
  if (q.scope === 'agency' && !seesWholeAgency(staff)) return [];
  if (q.unread !== true) return selectCases(db, staff, q, false);
  if (!readsMessages(staff)) return [];
  // Where unread cases are many, the first cases of the list hold a page of them; where
  // they are few, a walk would read the whole list to find them, and the viewer's unread
  // cases are fetched by id instead (unreadCaseIds). The walk is bounded to choose.
  const window = await selectCases(db, staff, { ...q, unread: undefined, limit: UNREAD_WALK }, false);
  const found = window.filter((c) => c.unread).slice(0, q.limit);
  if (found.length === q.limit || window.length < UNREAD_WALK) return found;
  const last = window[window.length - 1]!;
  const after = { receivedOn: last.receivedOn, id: last.id };
  return [...found, ...(await selectCases(db, staff, { ...q, after, limit: q.limit - found.length }, true))];
}

/** Cases the walk reads before it fetches unread ones by id: near where the two cost the same at 100,000 cases. */
const UNREAD_WALK = 2000;

/** One page in list order; `unreadIds`: only among the viewer's unread cases, fetched by id. */
async function selectCases(db: Database, staff: CaseViewer, q: CaseListQuery, unreadIds: boolean): Promise<CaseSummary[]> {
  let query = db
    .selectFrom('cases as c')
    .select(['c.id', 'c.agency_id', 'c.public_number', 'c.kind', 'c.status', 'c.has_identity', 'c.urgent', 'c.received_on'])
    // Once the clock stops at a conclusion, the next duty it brings is the case's deadline (VN-2026).
    .select((eb) => eb.fn.coalesce('c.due_on', 'c.duty_due_on').as('due_on'))
    .select((eb) => unreadFor(eb, staff, q.scope).as('unread'))
    .where((eb) => (q.scope === 'agency' ? eb('c.agency_id', '=', staff.agencyId) : holdsKey(eb, staff.id)));
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.kind) query = query.where('c.kind', '=', q.kind);
  if (q.receivedFrom) query = query.where('c.received_on', '>=', q.receivedFrom);
  if (q.receivedTo) query = query.where('c.received_on', '<=', q.receivedTo);
  if (q.dueBy) {
    const dueBy = q.dueBy;
    // A case nobody has acted on stores no deadline: its first one follows from its receipt day.
    query = query.where((eb) => eb.or([
      eb('c.due_on', '<=', dueBy),
      eb('c.duty_due_on', '<=', dueBy),
      ...(q.untouchedReceivedBy ?? []).map((u) => eb.and([
        eb('c.due_on', 'is', null), eb('c.status', '=', 'RECEIVED'), eb('c.agency_id', '=', u.agencyId), eb('c.received_on', '<=', u.receivedBy),
      ])),
    ]));
  }
  if (q.urgent !== undefined) query = query.where('c.urgent', '=', q.urgent);
  if (q.assignedToMe) query = query.where((eb) => holdsKey(eb, staff.id, true));
  if (unreadIds) query = query.where((eb) => unreadCaseIds(eb, staff.id));
  if (q.unread === false) query = query.where((eb) => eb.not(unreadFor(eb, staff, q.scope)));
  if (q.after) {
    const { receivedOn, id } = q.after;
    query = query.where((eb) => eb(eb.refTuple('c.received_on', 'c.id'), '<', eb.tuple(receivedOn, id)));
  }
  const rows = await query.orderBy('c.received_on', 'desc').orderBy('c.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    agencyId: r.agency_id,
    publicNumber: r.public_number,
    kind: r.kind,
    status: r.status,
    hasIdentity: r.has_identity,
    urgent: r.urgent,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    unread: r.unread === true,
  }));
}

/** The viewer's own wrapped content key for the case, if they hold one. */
export async function wrappedKeyFor(db: Database, staffId: string, caseId: string): Promise<Uint8Array | null> {
  const row = await db
    .selectFrom('case_keys')
    .select('wrapped')
    .where('case_id', '=', caseId)
    .where('staff_id', '=', staffId)
    .where('recipient', '=', 'staff')
    .executeTakeFirst();
  return row ? new Uint8Array(row.wrapped) : null;
}

/** Who granted the viewer's key and their signature over the grant; null for a key wrapped at submission. */
export interface KeyGrant { grantedBy: string; granterAgencyId: string | null; signature: Uint8Array | null }

/** The viewer's own wrapped key with its grant, for the client to check (PROTOCOL.md §8.3.2). */
export async function ownCaseKey(
  db: Database, staffId: string, caseId: string,
): Promise<{ wrapped: Uint8Array; grant: KeyGrant | null; rekey: { originDigest: Uint8Array; signature: Uint8Array } | null } | null> {
  const row = await db
    .selectFrom('case_keys as k')
    .leftJoin('staff as g', 'g.id', 'k.granted_by')
    .select(['k.wrapped', 'k.granted_by', 'k.signature', 'g.agency_id', 'k.origin_digest', 'k.rekey_signature'])
    .where('k.case_id', '=', caseId)
    .where('k.staff_id', '=', staffId)
    .where('k.recipient', '=', 'staff')
    .executeTakeFirst();
  if (!row) return null;
  const grant = row.granted_by === null ? null : {
    grantedBy: row.granted_by, granterAgencyId: row.agency_id, signature: row.signature ? new Uint8Array(row.signature) : null,
  };
  // A key its holder re-sealed at a key rotation (§8.3.12): the client checks both signatures.
  const rekey = row.origin_digest && row.rekey_signature
    ? { originDigest: new Uint8Array(row.origin_digest), signature: new Uint8Array(row.rekey_signature) } : null;
  return { wrapped: new Uint8Array(row.wrapped), grant, rekey };
}

/**
 * Who each case was assigned to: the staff a colleague granted its key to (keys wrapped
 * at submission are the intake officers', not an assignment). One query for a page.
 */
export async function assigneesOf(db: Database, caseIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return out;
  const rows = await db
    .selectFrom('case_keys')
    .select(['case_id', 'staff_id'])
    .where('case_id', 'in', caseIds)
    .where('recipient', '=', 'staff')
    .where('granted_by', 'is not', null)
    .orderBy('granted_on')
    .execute();
  for (const r of rows) if (r.staff_id && !out.get(r.case_id)!.includes(r.staff_id)) out.get(r.case_id)!.push(r.staff_id);
  return out;
}

export async function listGrants(db: Database, caseId: string) {
  const rows = await db
    .selectFrom('case_keys')
    .select(['staff_id', 'granted_by', 'granted_on'])
    .where('case_id', '=', caseId)
    .where('recipient', '=', 'staff')
    .orderBy('granted_on')
    .execute();
  return rows.map((r) => ({ staffId: r.staff_id!, grantedBy: r.granted_by, grantedOn: r.granted_on }));
}

/** The agencies of the cases granted to a staff member (the reach of a "granted" list). */
export async function grantedAgencies(db: Database, staffId: string): Promise<string[]> {
  const rows = await db.selectFrom('case_keys as k').innerJoin('cases as c', 'c.id', 'k.case_id')
    .select('c.agency_id').distinct().where('k.staff_id', '=', staffId).where('k.recipient', '=', 'staff').execute();
  return rows.map((r) => r.agency_id);
}
