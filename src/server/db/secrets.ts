import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from './connect.js';

// Server-held secrets (MAC keys) shared by every instance on one database: the first
// instance to ask creates it, every other instance reads the same bytes.

export async function serverSecret(db: Database, name: string, length = 32): Promise<Uint8Array> {
  await db
    .insertInto('server_secrets')
    .values({ name, value: randomBytes(length) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

/**
 * Records a proof-of-work nonce as spent; false when it already was (replay). The row
 * keeps only the day after which it may go, not when the challenge was solved.
 */
export async function spendPowNonce(db: Database, nonce: Uint8Array, expiresAt: Date): Promise<boolean> {
  const keepUntil = new Date(Date.UTC(expiresAt.getUTCFullYear(), expiresAt.getUTCMonth(), expiresAt.getUTCDate() + 1));
  const inserted = await db
    .insertInto('pow_spent')
    .values({ nonce, expires_at: keepUntil })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets spent nonces whose challenges have expired anyway. */
export async function purgeSpentPow(db: Database): Promise<void> {
  await db.deleteFrom('pow_spent').where('expires_at', '<', sql<Date>`now()`).execute();
}
