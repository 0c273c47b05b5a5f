import type { Kysely } from 'kysely';

// The grant signature travels with the wrapped key it signs (PROTOCOL.md §8.3.2), so the
// recipient's client can check who granted the key before it uses it. Nullable: keys
// wrapped at submission come from the sealed case, not from a staff member, and carry
// none; grants stored before this migration have none either, and a client refuses them
// (the intake officer grants the case again).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_keys').addColumn('signature', 'bytea').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_keys').dropColumn('signature').execute();
}
