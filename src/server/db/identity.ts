import { sql } from 'kysely';
import type { Database } from './connect.js';
import { inTransaction } from './audited.js';

// Identity custody. The server stores requests, per-request wrapped keys and each
// custodian's decision; it never holds a usable share (each is sealed to one person)
// and cannot open an identity block whatever it does with these rows.
//
// A request's subject is the case's identity block, or — protectionRequestId set — the
// sealed details of one of the case's protection requests (same format, own shares).

export interface Subject { caseId: string; protectionRequestId: string | null }

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

/** The custodians holding a share of the subject: the case's identity shares or the protection request's. */
export async function custodiansOfSubject(db: Database, subject: Subject): Promise<string[]> {
  if (!subject.protectionRequestId) return custodiansOf(db, subject.caseId);
  const rows = await db.selectFrom('protection_shares').select('custodian_id')
    .where('request_id', '=', subject.protectionRequestId).orderBy('custodian_id').execute();
  return rows.map((r) => r.custodian_id);
}

export async function subjectShareFor(db: Database, subject: Subject, custodianId: string): Promise<Uint8Array | null> {
  if (!subject.protectionRequestId) return wrappedShareFor(db, subject.caseId, custodianId);
  const row = await db.selectFrom('protection_shares').select('wrapped')
    .where('request_id', '=', subject.protectionRequestId).where('custodian_id', '=', custodianId).executeTakeFirst();
  return row ? new Uint8Array(row.wrapped) : null;
}

export interface NewIdentityRequest {
  id: string; caseId: string; protectionRequestId?: string; requesterId: string; reason: Uint8Array; signature: Uint8Array;
  keys: { staffId: string; wrapped: Uint8Array }[];
}

export async function insertIdentityRequest(db: Database, r: NewIdentityRequest): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto('identity_requests')
      .values({
        id: r.id, case_id: r.caseId, protection_request_id: r.protectionRequestId ?? null,
        requester_id: r.requesterId, reason: r.reason, signature: r.signature,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await trx
      .insertInto('identity_request_keys')
      .values(r.keys.map((k) => ({ request_id: r.id, staff_id: k.staffId, wrapped: k.wrapped })))
      .execute();
    return true;
  });
}

export interface IdentityRequestView extends Subject {
  id: string; agencyId: string; publicNumber: string; requesterId: string; reason: Uint8Array; signature: Uint8Array; createdAt: Date; urgent: boolean;
  /** The subject's threshold and sealed block: the identity block, or the protection details (null once purged). */
  threshold: number; block: Uint8Array | null;
  decisions: { custodianId: string; decision: 'approve' | 'refuse'; resealedShare: Uint8Array | null; reason: Uint8Array | null; signature: Uint8Array; decidedAt: Date }[];
}

export async function findIdentityRequest(db: Database, id: string): Promise<IdentityRequestView | null> {
  const row = await db
    .selectFrom('identity_requests as r')
    .innerJoin('cases as c', 'c.id', 'r.case_id')
    .leftJoin('protection_requests as p', 'p.id', 'r.protection_request_id')
    .select([
      'r.id', 'r.case_id', 'r.protection_request_id', 'c.agency_id', 'c.public_number', 'r.requester_id', 'r.reason', 'r.signature', 'r.created_at',
      'c.identity_threshold', 'c.identity_block', 'p.details_threshold', 'p.sealed_details', 'p.urgent',
    ])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const decisions = await db.selectFrom('identity_decisions').selectAll().where('request_id', '=', id).orderBy('decided_at').execute();
  return {
    id: row.id, caseId: row.case_id, protectionRequestId: row.protection_request_id, agencyId: row.agency_id,
    publicNumber: row.public_number, requesterId: row.requester_id, reason: new Uint8Array(row.reason), signature: new Uint8Array(row.signature), createdAt: new Date(row.created_at), urgent: row.urgent === true,
    ...(row.protection_request_id
      ? { threshold: row.details_threshold ?? 0, block: row.sealed_details ? new Uint8Array(row.sealed_details) : null }
      : { threshold: row.identity_threshold ?? 0, block: row.identity_block ? new Uint8Array(row.identity_block) : null }),
    decisions: decisions.map((d) => ({
      custodianId: d.custodian_id, decision: d.decision, decidedAt: new Date(d.decided_at), signature: new Uint8Array(d.signature),
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

/**
 * Requests this staff member made, or holds a key for as a custodian. Asks to release an
 * urgent protection request's details that they have not decided on come first (the
 * law gives urgent requests days, not weeks); then newest first.
 */
export async function listIdentityRequestsFor(db: Database, staffId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('identity_requests as r')
    .innerJoin('identity_request_keys as k', 'k.request_id', 'r.id')
    .leftJoin('protection_requests as p', 'p.id', 'r.protection_request_id')
    .select('r.id')
    .where('k.staff_id', '=', staffId)
    .orderBy(sql`(p.urgent is true and not exists (
      select 1 from identity_decisions d where d.request_id = r.id and d.custodian_id = ${staffId}))`, 'desc')
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
