import { type Kysely, sql } from 'kysely';

// How far each staff member has read each case's messages, for the inbox's unread
// marker. The point is a message's `seq` (the thread's ordering key), never the time of
// the read: a read stamp beside a denouncer's message would date that message more
// finely than the day the server may know (PROTOCOL.md §13, "Times the database keeps").
// The point only moves forward (src/server/db/message-reads.ts).
//
// A case is unread for a viewer when a denouncer message has a seq beyond their point.
// The list asks that once per row of a page; the partial index answers it with one
// probe on (case_id, seq) among the denouncer's messages only, so a thread of staff
// replies is never walked to find none.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_reads')
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('read_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_reads_pk', ['staff_id', 'case_id'])
    .execute();
  await sql`create index messages_from_denouncer_idx on messages (case_id, seq) where direction = 'from_denouncer'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('messages_from_denouncer_idx').execute();
  await db.schema.dropTable('message_reads').execute();
}
