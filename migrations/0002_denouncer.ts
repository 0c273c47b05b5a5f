import { type Kysely, sql } from 'kysely';

// What the denouncer side needs beyond the core tables.
// - case_numbers: one counter per year for public case numbers (TL-2026-000042). One
//   sequence for all agencies, so a number tells nothing about one agency's load; the
//   upsert takes a row lock, so concurrent submissions never share or skip a number
//   (a rolled-back submission rolls its increment back too).
// - cases.identity_denouncer_key: the identity key sealed to the receipt's reply key,
//   so the denouncer can read back the identity block they sent.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_numbers')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('cases').addColumn('identity_denouncer_key', 'bytea').execute();
  await sql`create index pow_spent_expiry_idx on pow_spent (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists pow_spent_expiry_idx`.execute(db);
  await db.schema.alterTable('cases').dropColumn('identity_denouncer_key').execute();
  await db.schema.dropTable('case_numbers').ifExists().execute();
}
