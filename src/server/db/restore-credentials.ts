import { sql } from 'kysely';
import type { Database } from './connect.js';

// What a restore forgets. A backup is a copy of the past: whoever kept a staff bearer
// token, a login challenge, an invitation or bootstrap code, or a proof-of-work token from
// before it (or saw one travel after it) must not be able to use it on the restored
// database. Receipts are the denouncers' own and keep working; staff keys live with staff,
// who simply log in again.
//
// - staff sessions and login challenges: deleted (only hashes were kept; the rows go);
// - invitations not yet enrolled: their enrolment verifier is cleared, so the admin
//   invites again (docs/OPERATIONS.md);
// - server_secrets: every row deleted — the proof-of-work MAC key (so no token issued
//   before verifies), the rate-limit key, and an unspent bootstrap code's hash. The
//   server makes fresh keys on its next start (secrets.ts); restart every instance,
//   since a running one still holds the old keys in memory.
// Spent proof-of-work nonces stay: they can only refuse more.
//
// The same statements run inside the restore's one transaction on both engines: as SQL
// text after the restored rows on PostgreSQL, through Kysely on the embedded database.
// Schema-qualified, as pg_restore's script empties search_path.

export const FORGET_CREDENTIALS: readonly string[] = [
  'delete from public.staff_sessions',
  'delete from public.login_challenges',
  'update public.staff set enrolment_verifier = null, enrolment_expires_at = null where enrolment_verifier is not null',
  'delete from public.server_secrets',
];

/**
 * SQL that stops the restore's transaction unless the forgetting took: an archive is not
 * signed, and a crafted one could carry a rule or trigger that quietly keeps the rows.
 */
export const FORGOTTEN_CHECK_SQL = `do $$ begin
  if exists (select 1 from public.staff_sessions) or exists (select 1 from public.login_challenges)
    or exists (select 1 from public.server_secrets) or exists (select 1 from public.staff where enrolment_verifier is not null) then
    raise exception 'the restored database still holds credentials from before the backup';
  end if;
end $$`;

/** The last migration a database has applied; the restore checks it against the file's. */
export async function migrationLevel(db: Database): Promise<string | null> {
  const { rows: [table] } = await sql<{ migrated: boolean }>`select to_regclass('public.kysely_migration') is not null as migrated`.execute(db);
  if (!table?.migrated) return null;
  const { rows } = await sql<{ name: string }>`select name from public.kysely_migration order by name desc limit 1`.execute(db);
  return rows[0]?.name ?? null;
}

/** SQL that stops the restore's transaction unless the restored schema is at `migration`. */
export function migrationCheckSql(migration: string): string {
  const literal = `'${migration.replaceAll("'", "''")}'`;
  return `do $$ begin
  if (select max(name) from public.kysely_migration) is distinct from ${literal} then
    raise exception 'the restored schema is not at the backup''s migration';
  end if;
end $$`;
}

/** Runs the same forgetting on an open database (the embedded restore, before it is swapped in). */
export async function forgetCredentials(db: Database): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const statement of FORGET_CREDENTIALS) await sql.raw(statement).execute(trx);
    await sql.raw(FORGOTTEN_CHECK_SQL).execute(trx);
  });
}
