import type { Database } from './connect.js';

// Identity custody. The server stores requests, per-request wrapped keys and each
// custodian's decision; it never holds a usable share (each is sealed to one person)
// and cannot open an identity block whatever it does with these rows.

export async function custodiansOf(db: Database, caseId: string): Promise<string[]> {
  const rows = await db.selectFrom('identity_shares').select('custodian_id').where('case_id', '=', caseId).orderBy('custodian_id').execute();
  return rows.map((r) => r.custodian_id);
}

export async function wrappedShareFor(db: Database, caseId: string, custodianId: string): Promise<Uint8Array | null> {
  const row = await db
    .selectFrom('identity_shares')
    .select('wrapped')
    .where('case_id', '=', caseId)
    .where('custodian_id', '=', custodianId)
    .executeTakeFirst();
  return row ? new Uint8Array(row.wrapped) : null;
}

export interface NewIdentityRequest {
  id: string; caseId: string; requesterId: string; reason: Uint8Array; signature: Uint8Array;
  keys: { staffId: string; wrapped: Uint8Array }[];
}

export async function insertIdentityRequest(db: Database, r: NewIdentityRequest): Promise<boolean> {
  const taken = await db.selectFrom('identity_requests').select('id').where('id', '=', r.id).executeTakeFirst();
  if (taken) return false;
  await db
    .insertInto('identity_requests')
    .values({ id: r.id, case_id: r.caseId, requester_id: r.requesterId, reason: r.reason, signature: r.signature })
    .execute();
  await db
    .insertInto('identity_request_keys')
    .values(r.keys.map((k) => ({ request_id: r.id, staff_id: k.staffId, wrapped: k.wrapped })))
    .execute();
  return true;
}

export interface IdentityRequestView {
  id: string; caseId: string; agencyId: string; requesterId: string; reason: Uint8Array; createdAt: Date;
  threshold: number; identityBlock: Uint8Array | null;
  decisions: { custodianId: string; decision: 'approve' | 'refuse'; resealedShare: Uint8Array | null; reason: Uint8Array | null; decidedAt: Date }[];
}

export async function findIdentityRequest(db: Database, id: string): Promise<IdentityRequestView | null> {
  const row = await db
    .selectFrom('identity_requests as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .select(['r.id', 'r.case_id', 'c.agency_id', 'r.requester_id', 'r.reason', 'r.created_at', 'c.identity_threshold', 'c.identity_block'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const decisions = await db.selectFrom('identity_decisions').selectAll().where('request_id', '=', id).orderBy('decided_at').execute();
  return {
    id: row.id, caseId: row.case_id, agencyId: row.agency_id, requesterId: row.requester_id, reason: new Uint8Array(row.reason),
    createdAt: new Date(row.created_at), threshold: row.identity_threshold ?? 0,
    identityBlock: row.identity_block ? new Uint8Array(row.identity_block) : null,
    decisions: decisions.map((d) => ({
      custodianId: d.custodian_id, decision: d.decision, decidedAt: new Date(d.decided_at),
      resealedShare: d.resealed_share ? new Uint8Array(d.resealed_share) : null, reason: d.reason ? new Uint8Array(d.reason) : null,
    })),
  };
}

export async function requestKeyFor(db: Database, requestId: string, staffId: string): Promise<Uint8Array | null> {
  const row = await db
    .selectFrom('identity_request_keys')
    .select('wrapped')
    .where('request_id', '=', requestId)
    .where('staff_id', '=', staffId)
    .executeTakeFirst();
  return row ? new Uint8Array(row.wrapped) : null;
}

/** Requests this staff member made, or holds a key for as a custodian; newest first. */
export async function listIdentityRequestsFor(db: Database, staffId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('identity_requests as r')
    .innerJoin('identity_request_keys as k', 'k.request_id', 'r.id')
    .select('r.id')
    .where('k.staff_id', '=', staffId)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export async function insertDecision(
  db: Database,
  d: { requestId: string; custodianId: string; decision: 'approve' | 'refuse'; resealedShare: Uint8Array | null; reason: Uint8Array | null; signature: Uint8Array },
): Promise<boolean> {
  const res = await db
    .insertInto('identity_decisions')
    .values({ request_id: d.requestId, custodian_id: d.custodianId, decision: d.decision, resealed_share: d.resealedShare, reason: d.reason, signature: d.signature })
    .onConflict((oc) => oc.columns(['request_id', 'custodian_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** pending until m approvals; refused once too few custodians are left to reach m. */
export function requestState(v: Pick<IdentityRequestView, 'threshold' | 'decisions'>, custodianCount: number): 'pending' | 'approved' | 'refused' {
  const approvals = v.decisions.filter((d) => d.decision === 'approve').length;
  const refusals = v.decisions.length - approvals;
  if (approvals >= v.threshold) return 'approved';
  if (custodianCount - refusals < v.threshold) return 'refused';
  return 'pending';
}
