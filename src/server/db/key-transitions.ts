import { transitionToJson, type AgencyKeyTransition, type AgencyKeyTransitionJson } from '../../protocol/index.js';
import type { Database } from './connect.js';

// The agency's signing-key transition statements (PROTOCOL.md §9.2), kept as signed.
// The route checks both signatures before one is written, but clients never rely on
// that: each verifies the chain from its own pin.

/** Every statement of the agency, oldest first, as served. */
export async function keyTransitions(db: Database, agencyId: string): Promise<AgencyKeyTransitionJson[]> {
  const rows = await db.selectFrom('agency_key_transitions').selectAll().where('agency_id', '=', agencyId).orderBy('effective_serial', 'asc').execute();
  return rows.map((r) => transitionToJson({
    agencyId: r.agency_id, effectiveSerial: r.effective_serial, issuedOn: r.issued_on,
    oldPublicKey: new Uint8Array(r.old_public_key), newPublicKey: new Uint8Array(r.new_public_key),
    oldSignature: new Uint8Array(r.old_signature), newSignature: new Uint8Array(r.new_signature),
  }));
}

/**
 * Records the statement and makes its new key the agency's, in the same transaction as the
 * first bundle it signs; false (and the caller rolls back) when the old key has already
 * handed over or is no longer the agency's.
 */
export async function insertKeyTransition(db: Database, t: AgencyKeyTransition): Promise<boolean> {
  const res = await db.insertInto('agency_key_transitions').values({
    agency_id: t.agencyId, effective_serial: t.effectiveSerial, issued_on: t.issuedOn,
    old_public_key: t.oldPublicKey, new_public_key: t.newPublicKey, old_signature: t.oldSignature, new_signature: t.newSignature,
  }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  // Only from the key the statement hands over from: a concurrent rotation that moved it first wins.
  const moved = await db.updateTable('agencies').set({ signing_public_key: t.newPublicKey })
    .where('id', '=', t.agencyId).where('signing_public_key', '=', t.oldPublicKey).executeTakeFirst();
  return Number(moved.numUpdatedRows ?? 0) > 0;
}
