import { randomUUID } from 'node:crypto';
import type { Database } from './connect.js';
import { clearReassignment } from './departure.js';

// Grants: a content key re-sealed by a staff member who holds it, to another staff
// member. Revoking deletes the wrapped key (not a flag), so it cannot leak later.
// Keys given at submission (granted_by null) are not grants and cannot be revoked.
// The granter's signature is stored with the key: the recipient checks it (§8.3.2).

export async function insertGrant(
  db: Database,
  g: { caseId: string; recipientId: string; wrapped: Uint8Array; grantedBy: string; signature: Uint8Array },
): Promise<boolean> {
  const existing = await db
    .selectFrom('case_keys')
    .select('id')
    .where('case_id', '=', g.caseId)
    .where('staff_id', '=', g.recipientId)
    .executeTakeFirst();
  if (existing) return false;
  await db
    .insertInto('case_keys')
    .values({ id: randomUUID(), case_id: g.caseId, recipient: 'staff', staff_id: g.recipientId, wrapped: g.wrapped, granted_by: g.grantedBy, signature: g.signature })
    .execute();
  // A case flagged after its holder left has one again.
  await clearReassignment(db, g.caseId);
  return true;
}

export async function deleteGrant(db: Database, caseId: string, recipientId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('case_keys')
    .where('case_id', '=', caseId)
    .where('staff_id', '=', recipientId)
    .where('granted_by', 'is not', null)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
