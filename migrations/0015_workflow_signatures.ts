import type { Kysely } from 'kysely';

// A transition's and a protection decision's signature travel with the workflow row
// they sign (PROTOCOL.md §8.3.4, §8.3.7), so a staff client showing a case's history, or
// signing its next transition over it, checks who did what instead of taking the row's
// word. Beside each signature, what the client needs to rebuild the signed bytes and is
// not already in the row: the officer's own citation (the row's legal_basis appends it
// to the profile's) and H(32, notice ciphertext). Nullable: the denouncer's withdrawal
// is unsigned by design, and rows written before this migration carry none.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events')
    .addColumn('signature', 'bytea')
    .addColumn('cited_basis', 'text')
    .addColumn('notice_digest', 'bytea')
    .execute();
  await db.schema.alterTable('protection_requests')
    .addColumn('decision_signature', 'bytea')
    .addColumn('notice_digest', 'bytea')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('protection_requests').dropColumn('notice_digest').dropColumn('decision_signature').execute();
  await db.schema.alterTable('case_events').dropColumn('notice_digest').dropColumn('cited_basis').dropColumn('signature').execute();
}
