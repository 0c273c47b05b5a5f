import { sql } from 'kysely';
import type { Database } from './connect.js';
import { finishIfDone, liveBlock, type StoredPlan } from './reshares.js';

// The new custodians' side of a reshare (db/reshares.ts has the plan and the old side).

const bytes = (b: Uint8Array) => new Uint8Array(b);

export interface PartView { from: string; signature: Uint8Array; wrapped: Uint8Array[] }

/**
 * Subjects every old custodian of the plan has re-split and `custodianId` has not yet
 * summed: each with the parts (signature and every sealed sub-share, in the plan's order).
 */
export async function sharesToDo(db: Database, plan: StoredPlan, custodianId: string, limit: number) {
  const subjects = await db.selectFrom('reshare_subjects as s')
    .leftJoin('cases as c', 'c.id', 's.case_id')
    .leftJoin('protection_requests as r', 'r.id', 's.protection_request_id')
    .select(['s.subject_id', 's.case_id', 's.protection_request_id', 'c.identity_threshold', 'r.details_threshold'])
    .where('s.reshare_id', '=', plan.reshareId).where('s.done', '=', false).where(liveBlock)
    .where(sql<boolean>`(select count(*) from reshare_parts q where q.reshare_id = s.reshare_id and q.subject_id = s.subject_id) = ${plan.from.length}`)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('reshare_new_shares as n').select('n.subject_id')
      .whereRef('n.reshare_id', '=', 's.reshare_id').whereRef('n.subject_id', '=', 's.subject_id').where('n.custodian_id', '=', custodianId))))
    .orderBy('s.subject_id').limit(limit).execute();
  if (subjects.length === 0) return [];
  const ids = subjects.map((s) => s.subject_id);
  const parts = await db.selectFrom('reshare_parts').selectAll().where('reshare_id', '=', plan.reshareId).where('subject_id', 'in', ids).execute();
  const subs = await db.selectFrom('reshare_sub_shares').selectAll().where('reshare_id', '=', plan.reshareId).where('subject_id', 'in', ids)
    .orderBy('position').execute();
  return subjects.map((s) => ({
    subjectId: s.subject_id, caseId: s.case_id, protectionRequestId: s.protection_request_id,
    threshold: (s.protection_request_id ? s.details_threshold : s.identity_threshold) ?? 0,
    parts: plan.from.map((from): PartView => ({
      from,
      signature: bytes(parts.find((p) => p.subject_id === s.subject_id && p.custodian_id === from)!.signature),
      wrapped: subs.filter((w) => w.subject_id === s.subject_id && w.from_id === from).map((w) => bytes(w.wrapped)),
    })),
  }));
}

export async function partsComplete(db: Database, plan: StoredPlan, subjectId: string): Promise<boolean> {
  const row = await db.selectFrom('reshare_parts').select(sql<number>`count(*)`.as('n'))
    .where('reshare_id', '=', plan.reshareId).where('subject_id', '=', subjectId).executeTakeFirstOrThrow();
  return Number(row.n) === plan.from.length;
}

export async function insertNewShare(db: Database, s: { reshareId: string; subjectId: string; custodianId: string; wrapped: Uint8Array }): Promise<boolean> {
  const res = await db.insertInto('reshare_new_shares')
    .values({ reshare_id: s.reshareId, subject_id: s.subjectId, custodian_id: s.custodianId, wrapped: s.wrapped })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Once every new custodian's share of the subject is in: the old set's shares are
 * deleted and the new ones take their place, with the new threshold; the sealed
 * sub-shares go too. Returns how many old shares were deleted, or null if not complete.
 * Runs in the caller's transaction (the audited one that posted the last share).
 */
export async function completeSubject(db: Database, plan: StoredPlan, subject: { subjectId: string; protectionRequestId: string | null; caseId: string }) {
  const fresh = await db.selectFrom('reshare_new_shares').select(['custodian_id', 'wrapped'])
    .where('reshare_id', '=', plan.reshareId).where('subject_id', '=', subject.subjectId).execute();
  if (fresh.length !== plan.to.length) return null;
  let deleted: number;
  if (subject.protectionRequestId) {
    const res = await db.deleteFrom('protection_shares').where('request_id', '=', subject.protectionRequestId).executeTakeFirst();
    deleted = Number(res.numDeletedRows);
    await db.insertInto('protection_shares').values(fresh.map((f) => ({ request_id: subject.protectionRequestId!, custodian_id: f.custodian_id, wrapped: f.wrapped }))).execute();
    await db.updateTable('protection_requests').set({ details_threshold: plan.threshold }).where('id', '=', subject.protectionRequestId).execute();
  } else {
    const res = await db.deleteFrom('identity_shares').where('case_id', '=', subject.caseId).executeTakeFirst();
    deleted = Number(res.numDeletedRows);
    await db.insertInto('identity_shares').values(fresh.map((f) => ({ case_id: subject.caseId, custodian_id: f.custodian_id, wrapped: f.wrapped }))).execute();
    await db.updateTable('cases').set({ identity_threshold: plan.threshold }).where('id', '=', subject.caseId).execute();
  }
  await db.deleteFrom('reshare_parts').where('reshare_id', '=', plan.reshareId).where('subject_id', '=', subject.subjectId).execute();
  await db.deleteFrom('reshare_new_shares').where('reshare_id', '=', plan.reshareId).where('subject_id', '=', subject.subjectId).execute();
  await db.updateTable('reshare_subjects').set({ done: true }).where('reshare_id', '=', plan.reshareId).where('subject_id', '=', subject.subjectId).execute();
  await finishIfDone(db, plan.reshareId);
  return deleted;
}
