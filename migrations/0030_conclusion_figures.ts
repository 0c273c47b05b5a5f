import { sql, type Kysely } from 'kysely';

// What a conclusion recommends in numbers (src/domain/conclusion-figures.ts): money and land
// to recover or return, persons to handle. Part of the signed step (PROTOCOL.md §8.3.4),
// kept with the event as one JSON object so a staff client can rebuild the signed bytes and
// the report can sum them per period (src/server/db/workflow-reports.ts). Null for every
// other step and for a conclusion that states none; the server checks them (the domain's
// figuresProblem) before it writes them. The report sums them over the period: a small
// partial index on the conclusions that carry figures, covering them, so the sums are an
// index-only range scan and never visit the table for every event of the period (as 0022).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').addColumn('figures', 'jsonb').execute();
  await sql`create index case_events_figures_idx on case_events (agency_id, on_day) include (figures)
            where action = 'conclude' and figures is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_events_figures_idx').execute();
  await db.schema.alterTable('case_events').dropColumn('figures').execute();
}
