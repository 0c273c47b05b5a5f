import type { Kysely } from 'kysely';

// A staff member's choice to be told, by e-mail, that something waits for them
// (src/server/db/notifications.ts). One row per member who opted in; opting out deletes
// it. The address is staff data, kept here and nowhere else (never in a log or the
// audit log). What was last mailed is kept as the counts themselves, not as a time: a
// time of sending would sit next to the interval in which a denouncer acted, and the
// counts are what the server can compute from its metadata anyway.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_notifications')
    .addColumn('staff_id', 'uuid', (c) => c.primaryKey().references('staff.id'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('inbox', 'boolean', (c) => c.notNull())
    .addColumn('replies', 'boolean', (c) => c.notNull())
    .addColumn('deadlines', 'boolean', (c) => c.notNull())
    .addColumn('identity', 'boolean', (c) => c.notNull())
    .addColumn('within_days', 'integer', (c) => c.notNull())
    .addColumn('last_counts', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_notifications').execute();
}
