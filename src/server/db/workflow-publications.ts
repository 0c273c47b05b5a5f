import { sql } from 'kysely';
import { mayTakeDown } from '../../domain/index.js';
import type { Database } from './connect.js';
import { inTransaction } from './audited.js';
import { meetPublicationDuty } from './workflow-duties.js';

// Published conclusions (Law Art. 40; Decree 31/2019 Art. 6). The summary is public by
// nature and stored as the supervisor wrote it; nothing here reads case content. A case
// has at most one current publication per form (a posting and the portal at once, say); a
// withdrawn one stays as a record of what was published. The public board is the portal:
// it lists the portal's publications, the other forms being where they were made.

export interface PublicationRow {
  publicationId: string; caseId: string; publicNumber: string; form: string; runs: number | null; summary: string; publishedOn: string;
  earliestTakeDown: string; withdrawnOn: string | null; state: 'published' | 'withdrawn';
}

export interface NewPublication {
  id: string; caseId: string; agencyId: string; form: string; runs: number | null; summary: string; publishedOn: string; earliestTakeDown: string; staffId: string;
}

/** False, writing nothing, when the case already has a publication in that form; the first one meets the duty to publish. */
export async function insertPublication(db: Database, p: NewPublication): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    // The case row lock serialises two supervisors publishing the same case.
    await sql`select id from cases where id = ${p.caseId} for update`.execute(trx);
    if (await currentPublication(trx, p.caseId, p.form)) return false;
    await trx.insertInto('conclusion_publications').values({
      id: p.id, case_id: p.caseId, agency_id: p.agencyId, form: p.form, runs: p.runs, summary: p.summary, published_on: p.publishedOn,
      earliest_take_down: p.earliestTakeDown, published_by: p.staffId,
    }).execute();
    await meetPublicationDuty(trx, p.caseId, p.publishedOn);
    return true;
  });
}

export type Withdrawal = { ok: true; publication: PublicationRow } | { ok: false; error: 'not_found' } | { ok: false; error: 'too_early'; earliest: string };

/** Takes the publication in `form` down on `onDay`, never before its earliest day. */
export async function withdrawPublication(db: Database, caseId: string, form: string, onDay: string, staffId: string): Promise<Withdrawal> {
  return inTransaction(db, async (trx) => {
    await sql`select id from cases where id = ${caseId} for update`.execute(trx);
    const current = await currentPublication(trx, caseId, form);
    if (!current) return { ok: false, error: 'not_found' };
    if (!mayTakeDown(current.earliestTakeDown, onDay)) return { ok: false, error: 'too_early', earliest: current.earliestTakeDown };
    await trx.updateTable('conclusion_publications').set({ withdrawn_on: onDay, withdrawn_by: staffId }).where('id', '=', current.publicationId).execute();
    return { ok: true, publication: { ...current, withdrawnOn: onDay, state: 'withdrawn' } };
  });
}

function publications(db: Database) {
  return db.selectFrom('conclusion_publications as p').innerJoin('cases as c', 'c.id', 'p.case_id')
    .select(['p.id', 'p.case_id', 'c.public_number', 'p.form', 'p.runs', 'p.summary', 'p.published_on', 'p.earliest_take_down', 'p.withdrawn_on']);
}

function toRow(r: {
  id: string; case_id: string; public_number: string; form: string; runs: number | null; summary: string; published_on: string; earliest_take_down: string; withdrawn_on: string | null;
}): PublicationRow {
  return {
    publicationId: r.id, caseId: r.case_id, publicNumber: r.public_number, form: r.form, runs: r.runs, summary: r.summary, publishedOn: r.published_on,
    earliestTakeDown: r.earliest_take_down, withdrawnOn: r.withdrawn_on, state: r.withdrawn_on ? 'withdrawn' : 'published',
  };
}

export async function currentPublication(db: Database, caseId: string, form: string): Promise<PublicationRow | null> {
  const row = await publications(db).where('p.case_id', '=', caseId).where('p.form', '=', form).where('p.withdrawn_on', 'is', null).executeTakeFirst();
  return row ? toRow(row) : null;
}

/** The agency's publications, newest first, with their state. */
export async function listAgencyPublications(db: Database, agencyId: string, state?: 'published' | 'withdrawn'): Promise<PublicationRow[]> {
  let q = publications(db).where('p.agency_id', '=', agencyId);
  if (state) q = q.where('p.withdrawn_on', state === 'published' ? 'is' : 'is not', null);
  const rows = await q.orderBy('p.published_on', 'desc').orderBy('c.public_number').limit(1000).execute();
  return rows.map(toRow);
}

export interface PublicSummary { publicNumber: string; agency: { slug: string; name: string }; publishedOn: string; summary: string }

/** What anyone may read: the summaries on display on the portal now. */
export async function listPublished(db: Database, q: { agencySlug?: string | undefined; limit: number; offset: number }): Promise<PublicSummary[]> {
  let query = db.selectFrom('conclusion_publications as p')
    .innerJoin('cases as c', 'c.id', 'p.case_id').innerJoin('agencies as a', 'a.id', 'p.agency_id')
    .select(['c.public_number', 'a.slug', 'a.name', 'p.published_on', 'p.summary'])
    .where('p.withdrawn_on', 'is', null).where('p.form', '=', 'portal');
  if (q.agencySlug) query = query.where('a.slug', '=', q.agencySlug);
  const rows = await query.orderBy('p.published_on', 'desc').orderBy('c.public_number').limit(q.limit).offset(q.offset).execute();
  return rows.map((r) => ({ publicNumber: r.public_number, agency: { slug: r.slug, name: r.name }, publishedOn: r.published_on, summary: r.summary }));
}
