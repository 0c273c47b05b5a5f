import { type Kysely, sql } from 'kysely';

// Releasing a protection request's sealed details (Law ch. VI) reuses identity custody:
// an identity request whose subject is that protection request instead of the case's
// identity block. The case id stays filled in, so every query and the purge that go by
// case still find these rows; deleting the protection request deletes its asks.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('identity_requests')
    .addColumn('protection_request_id', 'uuid', (c) => c.references('protection_requests.id').onDelete('cascade'))
    .execute();
  await sql`create index identity_requests_protection_idx on identity_requests (protection_request_id) where protection_request_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('identity_requests_protection_idx').ifExists().execute();
  await db.schema.alterTable('identity_requests').dropColumn('protection_request_id').execute();
}
