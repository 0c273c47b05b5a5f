import type { Database } from './connect.js';

// The content keys wrapped to the agency's recovery recipient (PROTOCOL.md §9.1), for
// the recovery drill: only the holders of m paper shares can open them, so the server
// hands them to an intake officer of the agency, a page at a time, in case id order.

export interface RecoveryKeyRow { caseId: string; publicNumber: string; wrapped: Uint8Array }

export async function listRecoveryKeys(
  db: Database, agencyId: string, page: { after?: string; limit: number },
): Promise<RecoveryKeyRow[]> {
  let q = db
    .selectFrom('case_keys as k')
    .innerJoin('cases as c', 'c.id', 'k.case_id')
    .select(['c.id', 'c.public_number', 'k.wrapped'])
    .where('k.recipient', '=', 'recovery')
    .where('c.agency_id', '=', agencyId);
  if (page.after !== undefined) q = q.where('c.id', '>', page.after);
  const rows = await q.orderBy('c.id').limit(page.limit).execute();
  return rows.map((r) => ({ caseId: r.id, publicNumber: r.public_number, wrapped: new Uint8Array(r.wrapped) }));
}

/** Whether the case, of this agency, was sealed to the recovery recipient. */
export async function hasRecoveryKey(db: Database, agencyId: string, caseId: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_keys as k')
    .innerJoin('cases as c', 'c.id', 'k.case_id')
    .select('k.id')
    .where('k.recipient', '=', 'recovery')
    .where('k.case_id', '=', caseId)
    .where('c.agency_id', '=', agencyId)
    .executeTakeFirst();
  return row !== undefined;
}
