import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Database } from './connect.js';

// The database's own functions, one file each in ./sql, where their SQL can be read and
// changed; a migration may never be edited, so none lives in one. Every migrate
// re-creates them all (`create or replace`) after the last migration, in this order:
// a function is listed after those it calls.
//
// Read beside this module: src/server/db/sql/ when run from source, dist/sql/ in the
// bundle, where src/build/build.ts copies them. A missing file fails the migrate.
export const DATABASE_FUNCTIONS = ['audit_append', 'receipt_status_rows', 'receipt_status', 'submit_cases'] as const;

export type DatabaseFunction = (typeof DATABASE_FUNCTIONS)[number];

/** The `create or replace function` statement of one function, as its file holds it. */
export function functionText(name: DatabaseFunction): string {
  return readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
}

/** Creates or replaces every function, in order; one statement each. */
export async function applyDatabaseFunctions(db: Database): Promise<void> {
  for (const name of DATABASE_FUNCTIONS) await sql.raw(functionText(name)).execute(db);
}
