import { type Kysely, sql } from 'kysely';

// Uploads that race or are abandoned (PROTOCOL.md §5, "Uploads"). `upload_epoch` counts
// the writers an attachment has had: each PUT of chunks takes the next epoch and stores
// a chunk only while the epoch is still its own, so of two concurrent writers the later
// one wins and the earlier stops cleanly, and the stored chunks always stay one
// contiguous run. The partial index finds unfinished uploads by day for the sweep that
// deletes abandoned ones; it holds no row for a finished attachment.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('attachments').addColumn('upload_epoch', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`create index attachments_unfinished_idx on attachments (created_on) where not complete`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attachments_unfinished_idx').execute();
  await db.schema.alterTable('attachments').dropColumn('upload_epoch').execute();
}
