import { sql, type Kysely } from 'kysely';

// The agency's offline recovery recipient (PROTOCOL.md §9.1): a case sealed while the
// agency's bundle listed one carries its content key wrapped to it, in case_keys beside
// the others, with no staff member. At most one per case; the index also serves the
// drill's listing of the cases it can recover, in case id order.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table case_keys drop constraint case_keys_recipient_check`.execute(db);
  await sql`alter table case_keys add constraint case_keys_recipient_check
    check (recipient in ('denouncer', 'staff', 'recovery') and (recipient <> 'recovery' or staff_id is null))`.execute(db);
  await sql`create unique index case_keys_recovery_idx on case_keys (case_id) where recipient = 'recovery'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index case_keys_recovery_idx`.execute(db);
  await sql`delete from case_keys where recipient = 'recovery'`.execute(db);
  await sql`alter table case_keys drop constraint case_keys_recipient_check`.execute(db);
  await sql`alter table case_keys add constraint case_keys_recipient_check check (recipient in ('denouncer', 'staff'))`.execute(db);
}
