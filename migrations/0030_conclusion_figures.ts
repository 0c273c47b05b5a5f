import type { Kysely } from 'kysely';

// What a conclusion recommends in numbers (src/domain/conclusion-figures.ts): money and land
// to recover or return, persons to handle. Part of the signed step (PROTOCOL.md §8.3.4),
// kept with the event as one JSON object so a staff client can rebuild the signed bytes and
// the report can sum them per period (src/server/db/workflow-reports.ts). Null for every
// other step and for a conclusion that states none; the server checks them (the domain's
// figuresProblem) before it writes them.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').addColumn('figures', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').dropColumn('figures').execute();
}
