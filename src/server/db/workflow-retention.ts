import { sql } from 'kysely';
import { retentionEndsOn, type JurisdictionProfile } from '../../domain/index.js';
import type { Database } from './connect.js';
import { inTransaction } from './audited.js';

// Retention, legal holds and purge. A purge destroys everything sealed — the envelope,
// the identity block, every wrapped key and share, messages, attachments, sealed
// reasons and protection details — and nulls the verifier so the receipt opens nothing.
// What stays is the metadata the periodic reports count and the audit log.

export interface RetentionItem { caseId: string; publicNumber: string; closedOn: string; retainUntil: string; held: boolean }

export async function listRetention(db: Database, agencyId: string, profile: JurisdictionProfile, asOf: string): Promise<RetentionItem[]> {
  const rows = await db
    .selectFrom('cases')
    .leftJoin('legal_holds', 'legal_holds.case_id', 'cases.id')
    .select(['cases.id', 'cases.public_number', 'cases.closed_on', 'legal_holds.case_id as hold'])
    .where('cases.agency_id', '=', agencyId)
    .where('cases.closed_on', 'is not', null)
    .where('cases.purged_on', 'is', null)
    .orderBy('cases.closed_on')
    .limit(5000)
    .execute();
  return rows
    .map((r) => ({ caseId: r.id, publicNumber: r.public_number, closedOn: r.closed_on!, retainUntil: retentionEndsOn(profile, r.closed_on!), held: r.hold !== null }))
    .filter((r) => r.retainUntil <= asOf || r.held);
}

export async function placeHold(db: Database, h: { caseId: string; agencyId: string; staffId: string; onDay: string; basis: string }): Promise<void> {
  await db.insertInto('legal_holds')
    .values({ case_id: h.caseId, agency_id: h.agencyId, placed_by: h.staffId, placed_on: h.onDay, basis: h.basis })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ placed_by: h.staffId, placed_on: h.onDay, basis: h.basis }))
    .execute();
}

export async function releaseHold(db: Database, caseId: string): Promise<boolean> {
  const r = await db.deleteFrom('legal_holds').where('case_id', '=', caseId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function isHeld(db: Database, caseId: string): Promise<boolean> {
  return (await db.selectFrom('legal_holds').select('case_id').where('case_id', '=', caseId).executeTakeFirst()) !== undefined;
}

/**
 * Removes every sealed byte of the case for good, keeping report metadata. Returns
 * false, changing nothing, when a legal hold exists: the case row is locked first, and
 * placing a hold references that row, so a hold and a purge cannot cross. Inside the
 * caller's transaction when given one (audited(): the purge and its row commit together).
 */
export async function purgeCase(db: Database, caseId: string, onDay: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    await sql`select id from cases where id = ${caseId} for update`.execute(trx);
    if (await isHeld(trx, caseId)) return false;
    await trx.deleteFrom('attachment_chunks')
      .where('attachment_id', 'in', trx.selectFrom('attachments').select('id').where('case_id', '=', caseId)).execute();
    await trx.deleteFrom('attachments').where('case_id', '=', caseId).execute();
    await trx.deleteFrom('messages').where('case_id', '=', caseId).execute();
    await trx.deleteFrom('message_reads').where('case_id', '=', caseId).execute();
    await trx.deleteFrom('case_keys').where('case_id', '=', caseId).execute();
    await trx.deleteFrom('identity_shares').where('case_id', '=', caseId).execute();
    // Identity requests carry re-sealed identity shares (migrations/0004_staff.ts).
    const { rows } = await sql<{ present: boolean }>`select to_regclass('identity_requests') is not null as present`.execute(trx);
    if (rows[0]?.present) await sql`delete from identity_requests where case_id = ${caseId}`.execute(trx);
    // An open reshare holds sub-shares of the case's blocks, each sealed to a new custodian (migrations/0025_reshares.ts).
    const reshares = await sql<{ present: boolean }>`select to_regclass('reshare_subjects') is not null as present`.execute(trx);
    if (reshares.rows[0]?.present) await sql`delete from reshare_subjects where case_id = ${caseId}`.execute(trx);
    await sql`delete from protection_shares where request_id in (select id from protection_requests where case_id = ${caseId})`.execute(trx);
    await trx.updateTable('protection_requests').set({ sealed_details: null, details_denouncer_key: null, decision_reason: null })
      .where('case_id', '=', caseId).execute();
    // The sealed records of the steps after a protection decision (migrations/0029_protection_steps.ts).
    const steps = await sql<{ present: boolean }>`select to_regclass('protection_steps') is not null as present`.execute(trx);
    if (steps.rows[0]?.present) {
      await sql`update protection_steps set record = null where request_id in (select id from protection_requests where case_id = ${caseId})`.execute(trx);
    }
    await trx.updateTable('case_events').set({ reason: null }).where('case_id', '=', caseId).execute();
    await trx.updateTable('cases')
      .set({ envelope: null, identity_block: null, identity_denouncer_key: null, verifier: null, purged_on: onDay })
      .where('id', '=', caseId).execute();
    return true;
  });
}
