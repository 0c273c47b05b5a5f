import { type Kysely, sql } from 'kysely';

// What follows a conclusion (VN-2026: Law Art. 35(3), 36(1), 40(1)). Each duty a step
// opens is a row with its due day, written from the domain's replay in the transaction of
// the step that opens or meets it (publication meets its own), so the deadline list and
// the case list read what falls due without replaying. The names are src/domain's
// (duties); no check constraint, as the rule sets say which exist. The earliest due day a
// case still owes is kept on the case (duty_due_on), in the same transactions, so the case
// list shows and filters it as it does the running clock's, without a look-up per row.
//
// A conclusion may be published in several forms (Decree 31 Art. 6(2)), each with its own
// length: one current publication per case and form, and the runs a print, radio or TV
// publication was ordered for. Rows written before keep the form they had: the portal.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_duties')
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('duty', 'text', (c) => c.notNull())
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('opened_on', 'date', (c) => c.notNull())
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('met_on', 'date')
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_duties_pk', ['case_id', 'duty'])
    .addCheckConstraint('case_duties_met', sql`met_on is null or met_on >= opened_on`)
    .execute();
  // The deadline list: an agency's duties still owed, by due day.
  await sql`create index case_duties_owed_idx on case_duties (agency_id, due_on) where met_on is null`.execute(db);
  await db.schema.alterTable('cases').addColumn('duty_due_on', 'date').execute();
  await sql`create index cases_duty_due_idx on cases (agency_id, duty_due_on) where duty_due_on is not null`.execute(db);

  await db.schema.alterTable('conclusion_publications').addColumn('form', 'text', (c) => c.notNull().defaultTo('portal')).execute();
  await db.schema.alterTable('conclusion_publications').addColumn('runs', 'integer').execute();
  await sql`alter table conclusion_publications add constraint conclusion_publications_runs check (runs is null or runs >= 1)`.execute(db);
  await sql`drop index conclusion_publications_current_idx`.execute(db);
  await sql`create unique index conclusion_publications_current_idx on conclusion_publications (case_id, form) where withdrawn_on is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index conclusion_publications_current_idx`.execute(db);
  await db.schema.alterTable('conclusion_publications').dropConstraint('conclusion_publications_runs').execute();
  await db.schema.alterTable('conclusion_publications').dropColumn('runs').execute();
  await db.schema.alterTable('conclusion_publications').dropColumn('form').execute();
  await sql`create unique index conclusion_publications_current_idx on conclusion_publications (case_id) where withdrawn_on is null`.execute(db);
  await sql`drop index cases_duty_due_idx`.execute(db);
  await db.schema.alterTable('cases').dropColumn('duty_due_on').execute();
  await db.schema.dropTable('case_duties').execute();
}
