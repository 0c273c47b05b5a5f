import { type Kysely, sql } from 'kysely';

// agencies.profile names a jurisdiction (src/domain/profiles), whose rule sets each take
// effect on a day: 'VN' holds the 2018 rules and those in force from 01/07/2026, 'EU' the
// Directive's. The ids stored before named one rule set each.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update agencies set profile = 'VN' where profile = 'VN-2018'`.execute(db);
  await sql`update agencies set profile = 'EU' where profile = 'EU-2019-1937'`.execute(db);
  await sql`alter table agencies alter column profile set default 'VN'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table agencies alter column profile set default 'VN-2018'`.execute(db);
  await sql`update agencies set profile = 'EU-2019-1937' where profile = 'EU'`.execute(db);
  await sql`update agencies set profile = 'VN-2018' where profile = 'VN'`.execute(db);
}
