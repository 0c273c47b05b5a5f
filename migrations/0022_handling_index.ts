import { type Kysely, sql } from 'kysely';

// The report counts the cases a conclusion's handling sent to an investigating body or
// whose false denouncer it handled (handle_conclusion and its ground, Law Art. 36(1)).
// case_events_day_idx (0009) carries action, finding and late but not the case or the
// ground, so without this the count would visit the table for every event of the period,
// not just the few handling steps: a small partial index, index-only, on those steps alone.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index case_events_handling_idx on case_events (agency_id, on_day) include (case_id, ground)
            where action = 'handle_conclusion'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('case_events_handling_idx').execute();
}
