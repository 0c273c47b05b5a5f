import { type Kysely, sql } from 'kysely';

// Proposals to the head of agency: a step the rule set says is prepared by another role
// (accept by the intake officer, extend or conclude by the verification team;
// src/domain/proposals.ts, which checks the action). The reasoning is sealed under the case key; the proposer
// signs the proposal (PROTOCOL.md §8.3, proposal) and the head's decline is signed the
// same way. Days only: these are staff acts, dated like transitions. A proposal is
// answered by the transition that takes it (answered_seq) or by a decline, and a newer
// proposal of the same action supersedes an open one.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_proposals')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'uuid', (c) => c.notNull().references('staff.id'))
    .addColumn('proposed_on', 'date', (c) => c.notNull())
    .addColumn('body', 'bytea', (c) => c.notNull())
    .addColumn('finding', 'text')
    .addColumn('extension_complexity', 'text')
    .addColumn('extension_days', 'integer')
    .addColumn('signature', 'bytea', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'taken', 'declined', 'superseded')`))
    .addColumn('answered_by', 'uuid', (c) => c.references('staff.id'))
    .addColumn('answered_on', 'date')
    .addColumn('answered_seq', 'integer')
    .addColumn('answer_body', 'bytea')
    .addColumn('answer_signature', 'bytea')
    .execute();
  // At most one open proposal per action and case: the list and the transition find it by this.
  await sql`create unique index case_proposals_open_idx on case_proposals (case_id, action) where status = 'open'`.execute(db);
  await db.schema.createIndex('case_proposals_case_idx').on('case_proposals').columns(['case_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_proposals').execute();
}
