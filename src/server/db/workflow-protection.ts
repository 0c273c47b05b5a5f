import { sql, type Selectable } from 'kysely';
import type { Database } from './connect.js';
import type { ProtectionRequestsTable } from './workflow-tables.js';
import { inTransaction } from './audited.js';
import { stepsOf, type RecordedStep } from './protection-steps.js';
import type { ProtectionChannel } from '../../domain/index.js';

// Protection requests (Law ch. VI): the details are sealed by the denouncer's client
// like the identity block — under a key split among the custodians — so the server
// sees only that a request exists, its urgency and its dates; the supervisor deciding
// reads the details once m custodians release them (identity requests whose subject is
// the protection request: db/identity.ts). Decisions carry a sealed reason and a sealed
// notice to the denouncer.

export interface NewProtectionRequest {
  id: string;
  caseId: string;
  agencyId: string;
  urgent: boolean;
  requestedOn: string;
  dueOn: string;
  sealedDetails: Uint8Array;
  threshold: number;
  /** The denouncer's copy of the details key; null for a request an intake officer recorded (PROTOCOL.md §5.4). */
  denouncerKey: Uint8Array | null;
  shares: Array<{ custodianId: string; wrapped: Uint8Array }>;
}

/**
 * Stores a new request with its shares; false when the id is taken (by any case). The
 * conflict is absorbed in the statement, not raised: a denouncer-triggered error would
 * be dated in the database's log (docs/OPERATIONS.md, "What the database still dates").
 */
export async function insertProtectionRequest(db: Database, r: NewProtectionRequest): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const inserted = await trx.insertInto('protection_requests').values({
      id: r.id, case_id: r.caseId, agency_id: r.agencyId, urgent: r.urgent, requested_on: r.requestedOn, due_on: r.dueOn,
      sealed_details: r.sealedDetails, details_threshold: r.threshold, details_denouncer_key: r.denouncerKey, status: 'pending',
    }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    if (!inserted) return false;
    if (r.shares.length > 0) {
      await trx.insertInto('protection_shares')
        .values(r.shares.map((s) => ({ request_id: r.id, custodian_id: s.custodianId, wrapped: s.wrapped })))
        .execute();
    }
    return true;
  });
}

/** A decision as its head signed it (§8.3.7): the staff client rebuilds the bytes from these and checks the signature. */
export interface RecordedDecision {
  by: string; reason: Uint8Array | null; noticeMessageId: string | null; noticeDigest: Uint8Array | null; signature: Uint8Array | null;
}

export interface ProtectionSummary {
  id: string; caseId: string; urgent: boolean; requestedOn: string; dueOn: string;
  /** How it came: the denouncer's own online, or recorded by an intake officer (protection_channels, migration 0024). */
  channel: ProtectionChannel;
  status: 'pending' | 'granted' | 'refused'; decidedOn: string | null;
  /** Null while pending. */
  decision: RecordedDecision | null;
  /** The day a signed end step ended it, and the day its written confirmation was recorded (migration 0029). */
  endedOn: string | null; confirmedOn: string | null;
  /** The intake officer's signed record of a request made by phone or in person (§8.3.14); null online. */
  intakeRecord: IntakeRecord | null;
  /** The signed steps after the request (§8.3.13), in seq order. */
  steps: RecordedStep[];
}

/** Fields of an intake record as stored: null in those recorded before records were signed. */
export interface IntakeRecord { by: string | null; threshold: number; detailsDigest: Uint8Array | null; signature: Uint8Array | null; confirmDueOn: string | null }

const summaryColumns = [
  'id', 'case_id', 'urgent', 'requested_on', 'due_on', 'status', 'decided_on',
  'decided_by', 'decision_reason', 'notice_message_id', 'decision_signature', 'notice_digest', 'ended_on', 'confirmed_on', 'details_threshold',
] as const;

type SummaryRow = Pick<Selectable<ProtectionRequestsTable>, (typeof summaryColumns)[number]> & {
  channel: ProtectionChannel | null; recorded_by: string | null; details_digest: Uint8Array | null; record_signature: Uint8Array | null; confirm_due_on: string | null;
};

/** The requests with the channel an intake officer recorded, if any (none: online). */
const withChannel = (db: Database) => db.selectFrom('protection_requests as p')
  .leftJoin('protection_channels as pc', 'pc.request_id', 'p.id')
  .select([...summaryColumns.map((c) => `p.${c}` as const), 'pc.channel', 'pc.recorded_by', 'pc.details_digest', 'pc.record_signature', 'pc.confirm_due_on']);

function toSummary(r: SummaryRow, steps: RecordedStep[]): ProtectionSummary {
  const decision = r.decided_by === null ? null : {
    by: r.decided_by, reason: r.decision_reason, noticeMessageId: r.notice_message_id, noticeDigest: r.notice_digest, signature: r.decision_signature,
  };
  return {
    id: r.id, caseId: r.case_id, urgent: r.urgent, requestedOn: r.requested_on, dueOn: r.due_on, channel: r.channel ?? 'online',
    status: r.status, decidedOn: r.decided_on, decision, endedOn: r.ended_on, confirmedOn: r.confirmed_on,
    intakeRecord: r.channel === null ? null : { by: r.recorded_by, threshold: r.details_threshold, detailsDigest: r.details_digest, signature: r.record_signature, confirmDueOn: r.confirm_due_on },
    steps,
  };
}

export async function findProtectionRequest(db: Database, id: string): Promise<(ProtectionSummary & { agencyId: string }) | undefined> {
  const r = await withChannel(db).select('p.agency_id').where('p.id', '=', id).executeTakeFirst();
  return r && { ...toSummary(r, (await stepsOf(db, [r.id])).get(r.id)!), agencyId: r.agency_id };
}

/** Where a request's details may be asked for: its agency and case, and whether they still exist (purge nulls them). */
export async function findProtectionRequestDetails(
  db: Database, id: string,
): Promise<{ id: string; caseId: string; agencyId: string; hasDetails: boolean; threshold: number } | undefined> {
  const r = await db.selectFrom('protection_requests')
    .select(['id', 'case_id', 'agency_id', 'details_threshold', sql<boolean>`sealed_details is not null`.as('has_details')])
    .where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, caseId: r.case_id, agencyId: r.agency_id, hasDetails: r.has_details, threshold: r.details_threshold };
}

export async function listProtectionRequests(db: Database, filter: { agencyId?: string; caseId?: string; status?: string }): Promise<ProtectionSummary[]> {
  let q = withChannel(db);
  if (filter.agencyId) q = q.where('p.agency_id', '=', filter.agencyId);
  if (filter.caseId) q = q.where('p.case_id', '=', filter.caseId);
  if (filter.status) q = q.where('p.status', '=', filter.status as ProtectionSummary['status']);
  const rows = await q.orderBy('p.urgent', 'desc').orderBy('p.due_on').orderBy('p.id').limit(1000).execute();
  const steps = await stepsOf(db, rows.filter((r) => r.status === 'granted' || r.channel !== null).map((r) => r.id));
  return rows.map((r) => toSummary(r, steps.get(r.id) ?? []));
}

export interface ProtectionDecision {
  id: string; decision: 'granted' | 'refused'; decidedOn: string; decidedBy: string; reason: Uint8Array;
  caseId: string; notice: { messageId: string; ciphertext: Uint8Array; signature: Uint8Array; digest: Uint8Array };
  /** The head's signature over the decision (§8.3.7), kept with it for staff clients to check. */
  signature: Uint8Array;
}

/** Records the decision once: a decided request is not decided again (false). */
export async function decideProtection(db: Database, d: ProtectionDecision): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const updated = await trx.updateTable('protection_requests')
      .set({
        status: d.decision, decided_on: d.decidedOn, decided_by: d.decidedBy, decision_reason: d.reason, notice_message_id: d.notice.messageId,
        decision_signature: d.signature, notice_digest: d.notice.digest,
      })
      .where('id', '=', d.id).where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await trx.insertInto('messages').values({
      id: d.notice.messageId, case_id: d.caseId, direction: 'to_denouncer', author_id: d.decidedBy,
      ciphertext: d.notice.ciphertext, signature: d.notice.signature, sent_on: d.decidedOn,
    }).execute();
    return true;
  });
}
