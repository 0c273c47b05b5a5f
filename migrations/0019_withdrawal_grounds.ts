import type { Kysely } from 'kysely';

// From 01/07/2026 a full withdrawal brings the head's decision, and a decision to go on
// names its ground (Decree 31 new Art. 4(4), as replaced by Decree 156): the ground is
// part of the signed step (PROTOCOL.md §8.3.4), kept with the event so a staff client can
// rebuild the signed bytes and the replay can check it. The names are src/domain's
// (continuationGrounds); no check constraint, as the rule sets say which a step may name.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').addColumn('ground', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('case_events').dropColumn('ground').execute();
}
