import { sql } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import { migrations } from '../../../migrations/index.js';
import type { Database } from './connect.js';
import { applyDatabaseFunctions } from './database-functions.js';

export interface MigrationReport { applied: string[] }

// The advisory lock Kysely's migrator takes on PostgreSQL (its PostgresAdapter), taken
// here for the whole transaction, so an instance running an older build waits on it too.
const MIGRATION_LOCK = '3853314791062309107';

/**
 * Brings the schema up to date, then re-creates the database's functions
 * (database-functions.ts), all in one transaction under one lock: safe to run from
 * several instances at once, and no instance sees migrations without the functions
 * they go with. On the embedded database the one connection is the lock.
 *
 * The batch is atomic: every pending migration runs in that one transaction (PostgreSQL
 * and PGlite both roll back DDL), so a migration that fails — by a failed statement or by
 * throwing after statements that worked — leaves the schema, the data and the migration
 * table as they were before the upgrade began, including the migrations of the same batch
 * that had succeeded (test/server/upgrade-from-release.test.ts). `known` is the set of
 * migrations: the product's own, or, in that test, one more that fails.
 */
export async function migrateToLatest(
  db: Database,
  onStep?: (name: string, index: number, total: number) => void,
  known: Readonly<Record<string, Migration>> = migrations,
): Promise<MigrationReport> {
  // The first migration that fails, seen as it fails: on PostgreSQL a failed statement
  // aborts the transaction, the migrator's own bookkeeping then fails too, and its error
  // ("current transaction is aborted") would hide which migration failed and why.
  let failed: { name: string; error: unknown } | undefined;
  const watched = Object.fromEntries(Object.entries(known).map(([name, m]): [string, Migration] => [name, {
    ...m,
    async up(trx) {
      try {
        await m.up(trx);
      } catch (error) {
        failed ??= { name, error };
        throw error;
      }
    },
  }]));
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)}::bigint)`.execute(trx);
    const migrator = new Migrator({ db: trx, provider: { getMigrations: async () => watched } });
    const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt);
    pending.forEach((m, i) => onStep?.(m.name, i + 1, pending.length));
    const result: MigrationResultSet = await migrator.migrateToLatest();
    if (result.error) {
      const name = failed?.name ?? result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      const cause = failed?.error ?? result.error;
      throw new Error(`migration ${name} failed: ${String(cause)}`, { cause });
    }
    await applyDatabaseFunctions(trx);
    return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
  });
}
