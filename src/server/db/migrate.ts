import { Migrator, type MigrationResultSet } from 'kysely/migration';
import { migrations } from '../../../migrations/index.js';
import type { Database } from './connect.js';

export interface MigrationReport { applied: string[] }

/**
 * Brings the schema up to date. Safe to run from several instances at once: Kysely
 * takes a database lock around the whole run.
 */
export async function migrateToLatest(
  db: Database,
  onStep?: (name: string, index: number, total: number) => void,
): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt);
  pending.forEach((m, i) => onStep?.(m.name, i + 1, pending.length));
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
