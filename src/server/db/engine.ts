import type pg from 'pg';
import { byteaArrayBinary } from './binary-array.js';
import { copyChunks } from './copy-chunks.js';

/**
 * What differs between the two database engines, decided once when a database is
 * connected (connect.ts) and asked of `engineOf(db)` wherever SQL has to differ: one
 * object, so every difference between PostgreSQL and PGlite is listed here and nowhere
 * else. ARCHITECTURE.md says what each one buys.
 */
export interface Engine {
  readonly name: 'postgres' | 'pglite';
  /** A bytea[] parameter as the driver must send it: PostgreSQL's binary array format, or the bytes as they are for PGlite. */
  byteaArray(values: (Uint8Array | null)[]): unknown;
  /**
   * The receipt status function to call (src/server/db/sql/receipt-status.sql): the plain
   * SQL function, inlined into PostgreSQL's prepared statement; PGlite calls its PL/pgSQL
   * wrapper, which keeps the plan for the session.
   */
  readonly receiptStatusFunction: 'receipt_status_rows' | 'receipt_status';
  /** An attachment's chunks from `from` as a binary COPY stream, where the engine has one (PostgreSQL); else undefined. */
  copyChunks?(attachmentId: string, from: number): AsyncGenerator<Uint8Array>;
}

export function postgresEngine(pool: pg.Pool): Engine {
  return {
    name: 'postgres',
    byteaArray: byteaArrayBinary,
    receiptStatusFunction: 'receipt_status_rows',
    copyChunks: (attachmentId, from) => copyChunks(pool, attachmentId, from),
  };
}

export const pgliteEngine: Engine = {
  name: 'pglite',
  byteaArray: (values) => values,
  receiptStatusFunction: 'receipt_status',
};
