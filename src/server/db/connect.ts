import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { closeBackupChannel, isEmptyDirectory, openBackupChannel, snapshotEmbedded, type EmbeddedSnapshot } from './backup-embedded.js';
import { lockDataDirectory, makePrivate, withPrivateUmask } from './data-dir.js';
import { pgliteEngine, postgresEngine, type Engine } from './engine.js';
import { preparingPool } from './prepared.js';
import type { DB } from './schema.js';

// PostgreSQL when a URL is given; otherwise an embedded PGlite database in a data
// directory, so a bare machine needs no server. Both speak the same SQL and run the
// same migrations. `memory://` gives a throw-away PGlite (tests). A data directory is
// locked to one process and kept owner-only (data-dir.ts); its holder answers backup
// requests on the directory's control socket (backup-embedded.ts).

// Dates stay 'YYYY-MM-DD' strings (no time zone games) and bigints stay strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Database = Kysely<DB>;

export interface DatabaseTarget {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** For `memory://` or a new data directory: a dumped data directory to start from instead of an empty one (a migrated template, in tests). */
  seed?: Blob | undefined;
}

// Each database's engine (engine.ts): the one place PostgreSQL and PGlite differ.
const engines = new WeakMap<Database, Engine>();
export const engineOf = (db: Database): Engine => engines.get(db) ?? pgliteEngine;

// The snapshot of each open data directory: the one way to back one up (backup-embedded.ts).
const snapshots = new WeakMap<Database, () => Promise<EmbeddedSnapshot>>();
/** A consistent snapshot of an embedded database in a data directory; undefined for PostgreSQL or memory. */
export const snapshotOf = (db: Database): (() => Promise<EmbeddedSnapshot>) | undefined => snapshots.get(db);

export async function connectDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.databaseUrl) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 10 });
    // A pool error (database restarted) must not crash the process; the next query
    // reconnects and /readyz reports the outage meanwhile.
    pool.on('error', () => {});
    // A client checked out by a query when the database drops emits 'error' on the
    // client itself, not the pool; unheard, that event kills the process.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    engines.set(db, postgresEngine(pool));
    return db;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = target.dataDir;
  if (dir === 'memory://') {
    const pglite = await PGlite.create({ ...pgliteOptions, ...(target.seed ? { loadDataDir: target.seed } : {}) });
    return new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  }
  const seed = target.seed && isEmptyDirectory(dir) ? { loadDataDir: target.seed } : {};
  makePrivate(dir);
  const release = lockDataDirectory(dir);
  try {
    const pglite = await withPrivateUmask(() => PGlite.create(dir, { ...pgliteOptions, ...seed }));
    makePrivate(dir);
    const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
    const snapshot = () => snapshotEmbedded(db, pglite);
    snapshots.set(db, snapshot);
    const channel = await openBackupChannel(dir, snapshot);
    // Kysely closes PGlite only if a query ever ran; the lock goes when the database does.
    const destroy = db.destroy.bind(db);
    db.destroy = async () => {
      try {
        await closeBackupChannel(dir, channel);
        await destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        makePrivate(dir);
        release();
      }
    };
    return db;
  } catch (e) {
    release();
    throw e;
  }
}

// Exported so a fresh embedded database can be given a plain SQL script (a dump) before it is wrapped, with the same parsers.
export const pgliteOptions = { parsers: { 1082: (v: string) => v } };
