import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Database } from './connect.js';
import { registerPrepared } from './prepared.js';

// For the hottest anonymous look-ups, building and compiling a Kysely query costs more
// of this process's time than the look-up costs the database. Such a query is built
// once per database with placeholder values, and each call sends the compiled SQL with
// its own parameters, in the same order and number as the placeholders; on PostgreSQL
// the text is a named prepared statement (prepared.ts).

export function compiledOnce<R>(build: (db: Database) => Compilable<R>): (db: Database, parameters: unknown[]) => Promise<QueryResult<R>> {
  const compiled = new WeakMap<Database, CompiledQuery<R>>();
  return (db, parameters) => {
    let query = compiled.get(db);
    if (!query) {
      query = build(db).compile();
      registerPrepared(query.sql);
      compiled.set(db, query);
    }
    if (query.parameters.length !== parameters.length) throw new Error('a compiled query got the wrong number of parameters');
    return db.executeQuery<R>({ ...query, parameters });
  };
}
