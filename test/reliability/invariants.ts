import { sql } from 'kysely';
import type { Test } from 'tap';
import type { Database } from '../../src/server/db/connect.js';

// Whatever a request did or failed to do, the database holds whole things only: a
// case is stored with its denouncer key or not at all, and an attachment marked
// complete has every chunk it claims.

export async function assertNoHalfWrittenCase(t: Test, db: Database): Promise<void> {
  const orphans = await sql<{ n: number }>`
    select count(*)::int as n from cases c
    where c.envelope is not null
      and not exists (select 1 from case_keys k where k.case_id = c.id and k.recipient = 'denouncer')`.execute(db);
  t.equal(orphans.rows[0]?.n, 0, 'every stored case has its denouncer key');
  const partial = await sql<{ n: number }>`
    select count(*)::int as n from attachments a
    where a.complete and a.chunk_count <> (select count(*) from attachment_chunks c where c.attachment_id = a.id)`.execute(db);
  t.equal(partial.rows[0]?.n, 0, 'every complete attachment has all its chunks');
}

/** A fingerprint of every table's content, in one statement, to prove a probe changed nothing. */
export async function databaseFingerprint(db: Database, ignore: string[] = []): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const parts = tables.rows
    .filter(({ name }) => !ignore.includes(name))
    .map(({ name }) => sql`select ${name} as name, count(*) as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${sql.table(name)} t`);
  if (parts.length === 0) return '';
  const r = await sql<{ all: string }>`select string_agg(name || ':' || n || ':' || digest, ' ' order by name) as all from (${sql.join(parts, sql` union all `)}) x`.execute(db);
  return r.rows[0]?.all ?? '';
}

/**
 * A counter that moves whenever a statement writes to a public table (other than those in
 * `ignore`) or changes the schema, so a test sending thousands of probes computes
 * databaseFingerprint only after one that wrote something: an unmoved counter proves the
 * content is as it was (statement-level triggers fire even when no row matched, and for
 * TRUNCATE and COPY; the event trigger catches DDL). Triggers are the test's own, added
 * after the migrations; the server never sees them.
 */
export async function writeCounter(db: Database, ignore: string[] = []): Promise<() => Promise<string>> {
  await sql`create table test_write_count (n bigint not null)`.execute(db);
  await sql`insert into test_write_count values (0)`.execute(db);
  await sql`create function test_count_write() returns trigger language plpgsql as $$
    begin update test_write_count set n = n + 1; return null; end $$`.execute(db);
  await sql`create function test_count_ddl() returns event_trigger language plpgsql as $$
    begin update test_write_count set n = n + 1; end $$`.execute(db);
  await sql`create event trigger test_count_ddl_end on ddl_command_end execute function test_count_ddl()`.execute(db);
  await sql`create event trigger test_count_drop on sql_drop execute function test_count_ddl()`.execute(db);
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'test_write_count'`.execute(db);
  for (const { name } of tables.rows.filter(({ name }) => !ignore.includes(name))) {
    await sql`create trigger test_count_write after insert or update or delete or truncate on ${sql.table(name)}
      for each statement execute function test_count_write()`.execute(db);
  }
  return async () => (await sql<{ n: string }>`select n::text as n from test_write_count`.execute(db)).rows[0]!.n;
}
