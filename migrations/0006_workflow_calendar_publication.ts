import { type Kysely, sql } from 'kysely';

// The agency's editable holiday calendar, versioned so every instance sees an edit at
// once, and the publication of conclusions (Decree 31/2019 Art. 6). A published summary
// is public by nature and is stored as the plaintext the supervisor wrote; it is never
// derived from case content on the server.

export async function up(db: Kysely<any>): Promise<void> {
  // Bumped in the same transaction as every calendar edit: a process that cached the
  // agency's calendar compares this number (one primary-key read) before using it.
  await db.schema
    .alterTable('agencies')
    .addColumn('calendar_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('conclusion_publications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('published_on', 'date', (c) => c.notNull())
    .addColumn('earliest_take_down', 'date', (c) => c.notNull())
    .addColumn('published_by', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('withdrawn_on', 'date')
    .addColumn('withdrawn_by', 'uuid', (c) => c.references('staff.id'))
    .addCheckConstraint('conclusion_publications_period', sql`earliest_take_down >= published_on`)
    .addCheckConstraint('conclusion_publications_withdrawal', sql`withdrawn_on is null or withdrawn_on >= earliest_take_down`)
    .execute();
  // At most one summary of a case is on display at a time.
  await sql`create unique index conclusion_publications_current_idx on conclusion_publications (case_id) where withdrawn_on is null`.execute(db);
  await db.schema.createIndex('conclusion_publications_agency_idx').on('conclusion_publications').columns(['agency_id', 'published_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conclusion_publications').ifExists().execute();
  await db.schema.alterTable('agencies').dropColumn('calendar_version').execute();
}
