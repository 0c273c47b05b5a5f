import { sql } from 'kysely';
import type { Database } from './connect.js';

// Custodian turnover by resharing (migrations/0025_reshares.ts, PROTOCOL.md §6.2). The
// server routes sealed sub-shares and keeps the signatures; it swaps a subject's shares
// only once every new custodian's share is in, so a reshare stopped half-way leaves every
// block openable by the old set.

const bytes = (b: Uint8Array) => new Uint8Array(b);

/** A subject whose shares are held: a case's identity block, or a protection request's details (§6.1). */
export interface HeldSubject { subjectId: string; caseId: string; protectionRequestId: string | null; threshold: number; holders: string[] }

/** Every identity block and sealed protection details of the agency, with who holds a share of each. */
export async function heldSubjects(db: Database, agencyId: string): Promise<HeldSubject[]> {
  const identity = await db.selectFrom('identity_shares as s').innerJoin('cases as c', 'c.id', 's.case_id')
    .select(['c.id as case_id', 'c.identity_threshold as threshold', 's.custodian_id'])
    .where('c.agency_id', '=', agencyId).where('c.identity_block', 'is not', null).execute();
  const protection = await db.selectFrom('protection_shares as s').innerJoin('protection_requests as p', 'p.id', 's.request_id')
    .select(['p.id', 'p.case_id', 'p.details_threshold as threshold', 's.custodian_id'])
    .where('p.agency_id', '=', agencyId).where('p.sealed_details', 'is not', null).execute();
  const subjects = new Map<string, HeldSubject>();
  const add = (subjectId: string, caseId: string, protectionRequestId: string | null, threshold: number | null, holder: string) => {
    const s = subjects.get(subjectId) ?? { subjectId, caseId, protectionRequestId, threshold: threshold ?? 0, holders: [] };
    s.holders.push(holder);
    subjects.set(subjectId, s);
  };
  for (const r of identity) add(r.case_id, r.case_id, null, r.threshold, r.custodian_id);
  for (const r of protection) add(r.id, r.case_id, r.id, r.threshold, r.custodian_id);
  return [...subjects.values()].sort((a, b) => (a.subjectId < b.subjectId ? -1 : 1));
}

export interface StoredPlan {
  reshareId: string; agencyId: string; plannedBy: string; onDay: string; bundleSerial: number; threshold: number;
  from: string[]; to: string[]; signature: Uint8Array; finished: boolean;
}

export async function insertPlan(db: Database, p: StoredPlan, subjects: HeldSubject[]): Promise<boolean> {
  const inserted = await db.insertInto('reshares').values({
    id: p.reshareId, agency_id: p.agencyId, planned_by: p.plannedBy, on_day: p.onDay, bundle_serial: p.bundleSerial,
    threshold: p.threshold, signature: p.signature,
  }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  const members = [
    ...p.from.map((staffId, position) => ({ reshare_id: p.reshareId, side: 'from' as const, position, staff_id: staffId })),
    ...p.to.map((staffId, position) => ({ reshare_id: p.reshareId, side: 'to' as const, position, staff_id: staffId })),
  ];
  await db.insertInto('reshare_members').values(members).execute();
  for (let i = 0; i < subjects.length; i += 500) {
    await db.insertInto('reshare_subjects').values(subjects.slice(i, i + 500).map((s) => ({
      reshare_id: p.reshareId, subject_id: s.subjectId, case_id: s.caseId, protection_request_id: s.protectionRequestId,
    }))).execute();
  }
  return true;
}

/** Per custodian of a side, the rows they have posted for subjects not yet swapped (a swapped subject's rows are deleted). */
async function pendingBy(db: Database, table: 'reshare_parts' | 'reshare_new_shares', reshareId: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom(table).where('reshare_id', '=', reshareId)
    .select(['custodian_id', sql<number>`count(*)`.as('n')]).groupBy('custodian_id').execute();
  return new Map(rows.map((r) => [r.custodian_id, Number(r.n)]));
}

/**
 * The plan with its progress: `done` subjects swapped to the new set; `fromDone` and
 * `toDone`, in the plan's order, the subjects each old custodian has re-split and each
 * new custodian has taken their share of (a swapped subject counts as done by all).
 */
export async function findPlan(db: Database, reshareId: string): Promise<(StoredPlan & { subjects: number; done: number; fromDone: number[]; toDone: number[] }) | null> {
  const row = await db.selectFrom('reshares').selectAll().where('id', '=', reshareId).executeTakeFirst();
  if (!row) return null;
  const members = await db.selectFrom('reshare_members').selectAll().where('reshare_id', '=', reshareId).orderBy('position').execute();
  const counts = await db.selectFrom('reshare_subjects').where('reshare_id', '=', reshareId)
    .select([sql<number>`count(*)`.as('subjects'), sql<number>`count(*) filter (where done)`.as('done')]).executeTakeFirstOrThrow();
  const [split, accepted] = await Promise.all([pendingBy(db, 'reshare_parts', reshareId), pendingBy(db, 'reshare_new_shares', reshareId)]);
  const done = Number(counts.done);
  const from = members.filter((m) => m.side === 'from').map((m) => m.staff_id);
  const to = members.filter((m) => m.side === 'to').map((m) => m.staff_id);
  return {
    reshareId: row.id, agencyId: row.agency_id, plannedBy: row.planned_by, onDay: row.on_day, bundleSerial: row.bundle_serial,
    threshold: row.threshold, signature: bytes(row.signature), finished: row.finished, from, to,
    subjects: Number(counts.subjects), done,
    fromDone: from.map((id) => done + (split.get(id) ?? 0)), toDone: to.map((id) => done + (accepted.get(id) ?? 0)),
  };
}

/** The agency's open reshare, or the newest finished one. */
export async function latestReshare(db: Database, agencyId: string): Promise<string | null> {
  const row = await db.selectFrom('reshares').select('id').where('agency_id', '=', agencyId)
    .orderBy('finished', 'asc').orderBy('on_day', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? null;
}

const subjectColumns = ['s.subject_id', 's.case_id', 's.protection_request_id'] as const;
/** With `c` the subject's case and `r` its protection request: its sealed block has not been purged. */
export const liveBlock = sql<boolean>`(case when s.protection_request_id is null then c.identity_block is not null else r.sealed_details is not null end)`;

/** The old shares `custodianId` has still to re-split: their wrapped share (kind 0x03) of each, and its threshold. */
export async function partsToDo(db: Database, reshareId: string, custodianId: string, limit: number) {
  const rows = await db.selectFrom('reshare_subjects as s')
    .leftJoin('identity_shares as i', (j) => j.onRef('i.case_id', '=', 's.case_id').on('s.protection_request_id', 'is', null).on('i.custodian_id', '=', custodianId))
    .leftJoin('protection_shares as p', (j) => j.onRef('p.request_id', '=', 's.protection_request_id').on('p.custodian_id', '=', custodianId))
    .leftJoin('cases as c', 'c.id', 's.case_id')
    .leftJoin('protection_requests as r', 'r.id', 's.protection_request_id')
    .select([...subjectColumns, 'i.wrapped as identity_share', 'p.wrapped as details_share', 'c.identity_threshold', 'r.details_threshold'])
    .where('s.reshare_id', '=', reshareId).where('s.done', '=', false).where(liveBlock)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('reshare_parts as q').select('q.subject_id')
      .whereRef('q.reshare_id', '=', 's.reshare_id').whereRef('q.subject_id', '=', 's.subject_id').where('q.custodian_id', '=', custodianId))))
    .orderBy('s.subject_id').limit(limit).execute();
  return rows.map((r) => ({
    subjectId: r.subject_id, caseId: r.case_id, protectionRequestId: r.protection_request_id,
    threshold: (r.protection_request_id ? r.details_threshold : r.identity_threshold) ?? 0,
    share: r.protection_request_id ? r.details_share && bytes(r.details_share) : r.identity_share && bytes(r.identity_share),
  }));
}

/**
 * The subject if the plan covers it and it is still open. `lock`: held until the caller's
 * transaction ends, so that two new custodians posting the last shares of one subject at
 * once are taken one after the other and the second sees the first's share.
 */
export async function isOpenSubject(db: Database, reshareId: string, subjectId: string, lock = false) {
  const q = db.selectFrom('reshare_subjects as s')
    .leftJoin('cases as c', 'c.id', 's.case_id')
    .leftJoin('protection_requests as r', 'r.id', 's.protection_request_id')
    .select(['s.case_id', 's.protection_request_id']).where('s.reshare_id', '=', reshareId)
    .where('s.subject_id', '=', subjectId).where('s.done', '=', false).where(liveBlock);
  return (lock ? q.forUpdate('s') : q).executeTakeFirst();
}

/**
 * Open subjects whose sealed block still exists. A block purged under retention while the
 * reshare runs has no shares left to move: it no longer holds the reshare open.
 */
export async function liveOpenSubjects(db: Database, reshareId: string): Promise<number> {
  const row = await db.selectFrom('reshare_subjects as s')
    .leftJoin('cases as c', 'c.id', 's.case_id')
    .leftJoin('protection_requests as r', 'r.id', 's.protection_request_id')
    .select(sql<number>`count(*)`.as('n'))
    .where('s.reshare_id', '=', reshareId).where('s.done', '=', false)
    .where(liveBlock)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the plan finished once no live subject is left open; true if it is. */
export async function finishIfDone(db: Database, reshareId: string): Promise<boolean> {
  if ((await liveOpenSubjects(db, reshareId)) > 0) return false;
  await db.updateTable('reshares').set({ finished: true }).where('id', '=', reshareId).execute();
  return true;
}

export async function insertPart(db: Database, p: { reshareId: string; subjectId: string; custodianId: string; signature: Uint8Array; wrapped: Uint8Array[] }): Promise<boolean> {
  const res = await db.insertInto('reshare_parts').values({ reshare_id: p.reshareId, subject_id: p.subjectId, custodian_id: p.custodianId, signature: p.signature })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  await db.insertInto('reshare_sub_shares').values(p.wrapped.map((wrapped, position) => ({
    reshare_id: p.reshareId, subject_id: p.subjectId, from_id: p.custodianId, position, wrapped,
  }))).execute();
  return true;
}
