import { sql, type AliasableExpression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from './connect.js';
import type { CasesTable, DB } from './schema.js';

// How far each staff member has read each case's thread (migrations/0016_message_reads.ts),
// and the inbox's question built on it: is there a denouncer message beyond that point?
// The point is a message's seq, never a time: see the migration for why.

export type MarkOutcome = 'advanced' | 'unchanged' | 'no_such_message';

/**
 * Moves the staff member's read point on the case up to the given message, never back:
 * a console that marks an older message (a stale tab, a retried call) leaves a newer
 * point in place. A message of another case is no message here.
 */
export async function markRead(db: Database, staffId: string, caseId: string, messageId: string): Promise<MarkOutcome> {
  const message = await db.selectFrom('messages').select('seq').where('id', '=', messageId).where('case_id', '=', caseId).executeTakeFirst();
  if (!message) return 'no_such_message';
  const moved = await db
    .insertInto('message_reads')
    .values({ staff_id: staffId, case_id: caseId, read_seq: message.seq })
    .onConflict((oc) => oc.columns(['staff_id', 'case_id']).doUpdateSet({ read_seq: (eb) => eb.ref('excluded.read_seq') })
      .where('message_reads.read_seq', '<', (eb) => eb.ref('excluded.read_seq')))
    .returning('read_seq')
    .executeTakeFirst();
  return moved ? 'advanced' : 'unchanged';
}

/** Expressions over the staff list's `cases as c` (case-access.ts). */
export type ListedCases = ExpressionBuilder<DB & { c: CasesTable }, 'c'>;

/**
 * Whether case `c` holds a denouncer message beyond the viewer's read point (and, with
 * `checkKey`, the viewer holds the case's key): per listed case, one probe of
 * messages_from_denouncer_idx and one of the read point's key, and of the viewer's key
 * only where a message is unread. The key is joined inside the probe, not asked as an
 * EXISTS of its own, which the planner answers by hashing every key of the viewer
 * (90 ms at 100,000 cases) to use fifty of them.
 */
export function hasUnread(eb: ListedCases, staffId: string, checkKey: boolean): AliasableExpression<SqlBool> {
  const point = eb
    .selectFrom('message_reads as r')
    .select('r.read_seq')
    .whereRef('r.case_id', '=', 'c.id')
    .where('r.staff_id', '=', staffId);
  let beyond = eb.selectFrom('messages as m')
    .select('m.seq')
    .whereRef('m.case_id', '=', 'c.id')
    .where('m.direction', '=', 'from_denouncer')
    .where('m.seq', '>', eb.fn.coalesce(point, sql<string>`0`));
  if (checkKey) {
    beyond = beyond.innerJoin('case_keys as k', (j) => j.onRef('k.case_id', '=', 'm.case_id').on('k.staff_id', '=', staffId).on('k.recipient', '=', 'staff'));
  }
  return eb.exists(beyond);
}

/**
 * Cases holding a denouncer message beyond the staff member's read point, among those
 * they hold a key for, as one array: the `unread=true` filter. Walking the list and asking
 * hasUnread of each case costs every case in view when few are unread (2.3 s at 100,000
 * cases for a viewer who has read everything); this reads the denouncer's messages
 * (messages_from_denouncer_idx) against the viewer's read points once, and the list then
 * fetches only these cases by id. Its cost grows with the viewer's unread cases.
 */
export function unreadCaseIds(eb: ListedCases, staffId: string) {
  const ids = eb
    .selectFrom('messages as m')
    .innerJoin('case_keys as k', (j) => j.onRef('k.case_id', '=', 'm.case_id').on('k.staff_id', '=', staffId).on('k.recipient', '=', 'staff'))
    .leftJoin('message_reads as r', (j) => j.onRef('r.case_id', '=', 'm.case_id').on('r.staff_id', '=', staffId))
    .select('m.case_id')
    .where('m.direction', '=', 'from_denouncer')
    .where((e) => e('m.seq', '>', e.fn.coalesce('r.read_seq', sql<string>`0`)));
  return eb('c.id', '=', eb.fn<string>('any', [sql`array(${ids})`]));
}
