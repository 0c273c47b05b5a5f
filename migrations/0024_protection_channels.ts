import { sql, type Kysely } from 'kysely';

// An urgent protection request received by phone or in person (Law Art. 50(3)) is
// recorded by an intake officer, its details sealed on the officer's machine to the
// custodians (PROTOCOL.md §5.4); the channel it came by is kept here, beside the
// request, for the reports by channel. Requests with no row came online, through the
// denouncer's receipt. The officer who recorded it is in the audit log
// (protection.intake), not here.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('protection_channels')
    .addColumn('request_id', 'uuid', (c) => c.primaryKey().references('protection_requests.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('phone', 'in_person')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('protection_channels').execute();
}
