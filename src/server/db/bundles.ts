import type { Database } from './connect.js';

// Published key bundles. The server checks each new bundle's signature and serial
// (routes/admin/bundles.ts) but clients never rely on that: they verify the agency's
// signature themselves against a pinned fingerprint.

export interface StoredBundle { agencyId: string; serial: number; payload: Uint8Array; signature: Uint8Array; publishedOn: string }

export async function currentBundle(db: Database, agencyId: string): Promise<StoredBundle | null> {
  const row = await db
    .selectFrom('key_bundles')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .orderBy('serial', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    agencyId: row.agency_id,
    serial: row.serial,
    payload: new Uint8Array(row.payload),
    signature: new Uint8Array(row.signature),
    publishedOn: row.published_on,
  };
}

/** Inserts the bundle; false when its serial is already taken (a concurrent publish won). */
export async function insertBundle(db: Database, b: { agencyId: string; serial: number; payload: Uint8Array; signature: Uint8Array }): Promise<boolean> {
  const res = await db
    .insertInto('key_bundles')
    .values({ agency_id: b.agencyId, serial: b.serial, payload: b.payload, signature: b.signature })
    .onConflict((oc) => oc.columns(['agency_id', 'serial']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Every bundle the agency published, oldest first: what an auditor checks signatures of old rows against. */
export async function bundleHistory(db: Database, agencyId: string): Promise<StoredBundle[]> {
  const rows = await db.selectFrom('key_bundles').selectAll().where('agency_id', '=', agencyId).orderBy('serial', 'asc').execute();
  return rows.map((row) => ({
    agencyId: row.agency_id, serial: row.serial, payload: new Uint8Array(row.payload), signature: new Uint8Array(row.signature), publishedOn: row.published_on,
  }));
}
