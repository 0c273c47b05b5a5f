import { type Kysely, sql } from 'kysely';

// submit_cases() now lives in src/server/db/sql/submit_cases.sql, re-created by every
// migrate after the last migration. It answers for every case of a batch (created,
// taken, or refused by the bundle guard) instead of raising on a taken case id, and its
// keys and shares name their case by its place in the batch: its arguments and result
// changed, so the function 0011 made is dropped here rather than left beside it.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists submit_cases(int[], uuid[], uuid[], text[], boolean[], uuid[], int[], bytea[], bytea[], bytea[],
    bytea[], int[], bytea[], int[], bytea[], bytea[], uuid[], uuid[], text[], uuid[], bytea[], uuid[], uuid[], bytea[])`.execute(db);
}

// Nothing to restore: migrate creates the current submit_cases() after the last migration.
export async function down(): Promise<void> {}
