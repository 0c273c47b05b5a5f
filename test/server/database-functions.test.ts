import { readdirSync } from 'node:fs';
import { sql } from 'kysely';
import t from 'tap';
import * as submitCasesFunction from '../../migrations/0011_submit_cases_function.js';
import { migrations } from '../../migrations/index.js';
import { DATABASE_FUNCTIONS, functionText } from '../../src/server/db/database-functions.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { createTestDatabase } from '../helpers/db.js';

// The database's functions live in src/server/db/sql/, one file each, and every migrate
// re-creates them after the last migration (src/server/db/database-functions.ts): what
// runs in the database is what the files say, whatever was there before.

const resultOf = async (db: Parameters<typeof migrateToLatest>[0], name: string) =>
  (await sql<{ result: string }>`select pg_get_function_result(oid) as result from pg_proc where proname = ${name} order by oid`.execute(db)).rows.map((r) => r.result);

t.test('every file is listed, and each is the one function it is named after', async (t) => {
  const files = readdirSync(new URL('../../src/server/db/sql/', import.meta.url)).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4)).sort();
  t.same(files, [...DATABASE_FUNCTIONS].sort(), 'no file left out of the list, none listed without its file');
  for (const name of DATABASE_FUNCTIONS) {
    const statements = functionText(name).replace(/--.*$/gm, '').match(/create or replace function (\w+)\(/g) ?? [];
    t.same(statements, [`create or replace function ${name}(`], `${name}.sql creates ${name}() and nothing else`);
  }
});

t.test('a migrate puts back a function changed in the database', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  const appendOne = () => sql<{ seq: string }>`select audit_append(null, null, 'probe', null, '{}'::jsonb, '2026-01-01T00:00:00.000Z', '[null,null,"probe",null,{}]', 'label')::text as seq`.execute(db);
  t.ok(Number((await appendOne()).rows[0]!.seq) > 0);
  await sql`create or replace function audit_append(p_agency uuid, p_staff uuid, p_action text, p_case uuid, p_detail jsonb, p_at text, p_tail text, p_label text)
    returns bigint language sql as $$ select -1::bigint $$`.execute(db);
  t.equal((await appendOne()).rows[0]!.seq, '-1', 'changed in the database');
  t.same((await migrateToLatest(db)).applied, [], 'no migration pending');
  t.ok(Number((await appendOne()).rows[0]!.seq) > 0, 'the migrate put the function of sql/audit_append.sql back');
});

t.test('a database last migrated before submit_cases() moved to sql/ is brought up to date', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  // The state the previous build left: 0011's submit_cases(), and nothing from 0014 on
  // (every later migration undone, newest first, so this test need not change with each).
  const since = Object.keys(migrations).filter((name) => name >= '0014').sort();
  for (const name of [...since].reverse().filter((n) => n !== '0014_submit_cases_answers_each_case')) await migrations[name]!.down!(db);
  await sql`drop function submit_cases`.execute(db);
  await submitCasesFunction.up(db);
  await db.deleteFrom('kysely_migration' as never).where('name' as never, 'in', since as never).execute();
  t.same(await resultOf(db, 'submit_cases'), ['TABLE(id uuid, public_number text, received_on text)'], 'the old function');
  t.same((await migrateToLatest(db)).applied, since, 'every migration from 0014 on is applied again, in order');
  t.same(await resultOf(db, 'submit_cases'), ['TABLE(ord integer, outcome text, public_number text, received_on text)'], 'only the new one is left');
});

t.test('migrates started together all succeed', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  // On PostgreSQL each runs on its own connection and waits for the migration lock; the
  // embedded database runs them one after the other on its one connection.
  const reports = await Promise.all([migrateToLatest(database.db), migrateToLatest(database.db), migrateToLatest(database.db)]);
  t.same(reports, [{ applied: [] }, { applied: [] }, { applied: [] }]);
  t.same(await resultOf(database.db, 'receipt_status_rows'), [(await resultOf(database.db, 'receipt_status'))[0]!], 'the functions are there, once each');
});
