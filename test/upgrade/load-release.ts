import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Kysely, PGliteDialect, sql } from 'kysely';
import pg from 'pg';
import { connectDatabase, pgliteOptions, type Database } from '../../src/server/db/connect.js';
import type { DB } from '../../src/server/db/schema.js';
import type { TestDatabase } from '../helpers/db.js';
import { fixtureFiles } from './release-fixture.js';

// The release fixture's SQL loaded into a bare database, and fingerprints of a database's
// schema and data to tell whether anything in it changed. Kept apart from
// release-fixture.ts, which the fixture maker runs on the release's own tree, where
// src/server/db/connect.ts does not export pgliteOptions yet.

/**
 * A fresh database holding the release's SQL and nothing else: a new PostgreSQL database
 * (from template0, not the run's migrated template) when `serverUrl` is set, else a new
 * in-memory PGlite. The SQL's own schema, at the release's last migration, is where an
 * upgrade starts.
 */
export async function loadReleaseDatabase(serverUrl: string | undefined): Promise<TestDatabase> {
  const script = readFileSync(fixtureFiles.sql, 'utf8');
  if (!serverUrl) {
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = await PGlite.create(pgliteOptions);
    await pglite.exec(script);
    // The dump empties search_path for its own session; this is the database's one session.
    await pglite.exec('reset all');
    const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
    return { db, url: undefined, drop: () => db.destroy() };
  }
  const name = `tipline_release_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name} template template0`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const loader = new pg.Client({ connectionString: url.toString() });
  await loader.connect();
  try {
    await loader.query(script);
  } finally {
    await loader.end();
  }
  const db = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The schema as the catalogue describes it: columns, indexes, constraints, functions, triggers; one line each, sorted. */
export async function schemaFingerprint(db: Database): Promise<string[]> {
  const { rows } = await sql<{ x: string }>`
    select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as x
      from information_schema.columns where table_schema = 'public'
    union all select 'table ' || table_name from information_schema.tables where table_schema = 'public'
    union all select 'index ' || indexname || ' ' || indexdef from pg_indexes where schemaname = 'public'
    union all select 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      from pg_constraint where connamespace = 'public'::regnamespace
    union all select 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc) from pg_proc p where pronamespace = 'public'::regnamespace
    union all select 'trigger ' || tgrelid::regclass::text || ' ' || tgname from pg_trigger where not tgisinternal
    order by 1`.execute(db);
  return rows.map((r) => r.x);
}

/** Every table's row count and a hash of its rows in text form, by table. */
export async function dataFingerprint(db: Database): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const { rows } = await sql<{ n: string; h: string }>`
      select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.table(name)} t`.execute(db);
    out[name] = `${rows[0]!.n} ${rows[0]!.h}`;
  }
  return out;
}
