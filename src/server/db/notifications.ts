import { NOTIFICATION_KINDS, type NotificationKind } from '../../domain/index.js';
import { sql } from 'kysely';
import type { Database } from './connect.js';
import type { StaffRole } from './schema.js';

// A staff member's notification preferences (migrations/0023_staff_notifications.ts):
// where to mail the digest and which counts it carries. The address is never logged and
// never written to the audit log; only the member and the digest run read it.

export { NOTIFICATION_KINDS, type NotificationKind };

export interface NotificationPreferences {
  address: string;
  kinds: NotificationKind[];
  /** Deadlines due within this many working days (overdue ones included) are counted. */
  withinDays: number;
}

type Row = { address: string; within_days: number } & Record<NotificationKind, boolean>;

function toPreferences(r: Row): NotificationPreferences {
  return { address: r.address, kinds: NOTIFICATION_KINDS.filter((k) => r[k]), withinDays: r.within_days };
}

const columns = ['address', 'within_days', ...NOTIFICATION_KINDS] as const;

export async function findPreferences(db: Database, staffId: string): Promise<NotificationPreferences | null> {
  const row = await db.selectFrom('staff_notifications').select(columns).where('staff_id', '=', staffId).executeTakeFirst();
  return row ? toPreferences(row) : null;
}

/**
 * Sets the member's preferences. The counts last mailed are forgotten, so the next run
 * mails the counts to the (perhaps new) address once, even if they did not change.
 */
export async function setPreferences(db: Database, staffId: string, p: NotificationPreferences): Promise<void> {
  const flags = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, p.kinds.includes(k)])) as Record<NotificationKind, boolean>;
  const values = { address: p.address, within_days: p.withinDays, ...flags, last_counts: null };
  await db.insertInto('staff_notifications').values({ staff_id: staffId, ...values })
    .onConflict((oc) => oc.column('staff_id').doUpdateSet(values)).execute();
}

/** Opting out deletes the row, address and all; false when there was none. */
export async function clearPreferences(db: Database, staffId: string): Promise<boolean> {
  const res = await db.deleteFrom('staff_notifications').where('staff_id', '=', staffId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export interface Subscriber extends NotificationPreferences {
  staffId: string; agencyId: string; roles: StaffRole[]; lastCounts: string | null;
}

/** Every active member who opted in: a deactivated member is mailed nothing, whatever their row says. */
export async function activeSubscribers(db: Database): Promise<Subscriber[]> {
  const rows = await db.selectFrom('staff_notifications as n').innerJoin('staff as s', 's.id', 'n.staff_id')
    .select(['n.staff_id', 's.agency_id', 's.roles', 'n.last_counts', ...columns.map((c) => `n.${c}` as const)])
    .where('s.status', '=', 'active').orderBy('n.staff_id').execute();
  return rows.map((r) => ({
    ...toPreferences(r), staffId: r.staff_id, agencyId: r.agency_id, roles: r.roles,
    lastCounts: r.last_counts,
  }));
}

/**
 * Moves the member's recorded counts from `from` to `to`, if they are still `from`:
 * false when another instance (or a change of preferences) moved them first. Instances
 * claim a mail this way before sending it, so several behind one database send it once.
 */
export async function swapCounts(db: Database, staffId: string, from: string | null, to: string | null): Promise<boolean> {
  const res = await db.updateTable('staff_notifications').set({ last_counts: to })
    .where('staff_id', '=', staffId).where(sql<boolean>`last_counts is not distinct from ${from}`).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
