import { sql } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
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
 */
export async function migrateToLatest(
  db: Database,
  onStep?: (name: string, index: number, total: number) => void,
): Promise<MigrationReport> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(MIGRATION_LOCK)}::bigint)`.execute(trx);
    const migrator = new Migrator({ db: trx, provider: { getMigrations: async () => migrations } });
    const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt);
    pending.forEach((m, i) => onStep?.(m.name, i + 1, pending.length));
    const result: MigrationResultSet = await migrator.migrateToLatest();
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
    }
    await applyDatabaseFunctions(trx);
    return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
  });
}
