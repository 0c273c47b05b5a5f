import { sql } from 'kysely';
import t from 'tap';
import * as conclusionFigures from '../../migrations/0030_conclusion_figures.js';
import { conclusionFigureNames, figuresProblem } from '../../src/domain/index.js';
import { SIGNED_FIGURES } from '../../src/protocol/index.js';
import { createTestDatabase } from '../helpers/db.js';

// The conclusion's figures: the domain's names are the signed layout's, in its order
// (PROTOCOL.md §8.3.4), the domain's bounds, and migration 0030 on this engine.

t.test('the domain names the figures the layout signs, in its order, and bounds them', async (t) => {
  t.same([...conclusionFigureNames], [...SIGNED_FIGURES]);
  const none = Object.fromEntries(conclusionFigureNames.map((n) => [n, 0]));
  t.equal(figuresProblem(none), null, 'all zero is a conclusion that states no amount');
  t.equal(figuresProblem({ ...none, recoveryMoney: 1e15 }), null, 'at the bound');
  t.match(figuresProblem({ ...none, recoveryMoney: 1e15 + 1 }), /recoveryMoney is a whole number/);
  t.match(figuresProblem({ ...none, recoveryLand: 0.5 }), /recoveryLand/);
  t.match(figuresProblem({ ...none, referredPersons: -1 }), /referredPersons/);
  t.match(figuresProblem({ ...none, extra: 1 }), /only the form's figures/);
  t.match(figuresProblem({ ...none, sanctionPersons: 1, sanctionOfficials: 2 }), /officials are among/);
});

t.test('migration 0030 goes down and up again on this engine', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const column = async () => (await sql<{ data_type: string }>`select data_type from information_schema.columns where table_name = 'case_events' and column_name = 'figures'`.execute(database.db)).rows.map((r) => r.data_type);
  const indexed = async () => (await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'case_events_figures_idx'`.execute(database.db)).rows.map((r) => r.indexdef);
  t.same(await column(), ['jsonb']);
  await conclusionFigures.down(database.db);
  t.same([await column(), await indexed()], [[], []], 'gone, with its index');
  await conclusionFigures.up(database.db);
  t.same(await column(), ['jsonb'], 'back');
  t.match((await indexed())[0], /\(agency_id, on_day\) INCLUDE \(figures\) WHERE \(\(action = 'conclude'::text\) AND \(figures IS NOT NULL\)\)/, 'partial and covering');
});
