import { sql, type Kysely } from 'kysely';

// Agency signing-key rotation (PROTOCOL.md §9.2): each statement by which the old key
// hands over to the new one, with both signatures, kept as signed so every client can
// follow the chain from the key it pinned. The agency's current key is in agencies.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agency_key_transitions')
    .addColumn('agency_id', 'uuid', (c) => c.notNull().references('agencies.id'))
    .addColumn('effective_serial', 'integer', (c) => c.notNull().check(sql`effective_serial >= 2`))
    .addColumn('old_public_key', 'bytea', (c) => c.notNull())
    .addColumn('new_public_key', 'bytea', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('old_signature', 'bytea', (c) => c.notNull())
    .addColumn('new_signature', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('agency_key_transitions_pk', ['agency_id', 'effective_serial'])
    // A key hands over once: two statements leaving one key are a fork clients refuse.
    .addUniqueConstraint('agency_key_transitions_old_key', ['agency_id', 'old_public_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agency_key_transitions').execute();
}
