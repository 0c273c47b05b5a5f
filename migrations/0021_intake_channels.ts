import { sql, type Kysely } from 'kysely';

// A denunciation received in person or by letter is sealed on the intake officer's
// machine like any submission (PROTOCOL.md §5.3); the channel it came by is kept here,
// beside the case, for the reports by channel — never anything of its content. Cases
// with no row came online. The officer who recorded it is in the audit log
// (case.intake), not here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_channels')
    .addColumn('case_id', 'uuid', (c) => c.primaryKey().references('cases.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('in_person', 'letter')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_channels').execute();
}
