import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

// Named prepared statements for the few fixed queries of the hottest anonymous routes.
// PostgreSQL plans an unnamed query every time it runs; for the status look-up (a join
// and a timeline sub-select) planning costs several times the execution. A query text
// registered here is sent as a named statement: each connection parses and plans it
// once, then only binds parameters. Only fixed texts are registered (compiledOnce), so
// the statements per connection stay few. PGlite is left as is: its EXECUTE takes no
// bind parameters, so it has no way to reuse a plan for a query with parameters; the
// status look-up keeps its plan there through a PL/pgSQL function (receipt_status(),
// src/server/db/sql/receipt_status.sql).

const names = new Map<string, string>();

/** Marks a fixed SQL text to be prepared once per connection. */
export function registerPrepared(text: string): void {
  if (!names.has(text)) names.set(text, `tipline_${names.size + 1}`);
}

type Query = PostgresPoolClient['query'];

/** A pool for Kysely whose clients send registered texts as named statements. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  // Kysely keeps one connection object per client it is handed: hand it the same wrapper.
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = ((text: unknown, values?: unknown[]) => {
      const name = typeof text === 'string' ? names.get(text) : undefined;
      return name ? client.query({ name, text: text as string, values: values ?? [] }) : client.query(text as never, values as never);
    }) as unknown as Query;
    return { query, release: (destroy?: boolean) => client.release(destroy) } as PostgresPoolClient;
  };
  return {
    // Kysely opens a control connection with it to cancel a query.
    Client: (pool as unknown as { Client: PostgresPool['Client'] }).Client,
    options: pool.options,
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) wrapped.set(client, (w = wrap(client)));
      return w;
    },
    end: () => pool.end(),
  };
}

