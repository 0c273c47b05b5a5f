import type { Database } from './connect.js';
import type { CaseProposalsTable } from './schema.js';

// The rows of an investigator's proposals to the head of agency (migration 0017). The
// rules (who proposes, what may be proposed) are src/domain/proposals.ts; these only
// write and read, inside the audited transaction of the route that calls them.

export interface NewProposal {
  proposalId: string; caseId: string; action: string; proposedBy: string; proposedOn: string;
  body: Uint8Array; finding: string | null; extension: { complexity: string; days: number } | null; signature: Uint8Array;
}

/** Records a proposal; an open one of the same action on the case is superseded by it. Returns the superseded id, if any. */
export async function insertProposal(db: Database, p: NewProposal): Promise<string | null> {
  const superseded = await db.updateTable('case_proposals').set({ status: 'superseded' })
    .where('case_id', '=', p.caseId).where('action', '=', p.action).where('status', '=', 'open')
    .returning('id').executeTakeFirst();
  await db.insertInto('case_proposals').values({
    id: p.proposalId, case_id: p.caseId, action: p.action, proposed_by: p.proposedBy, proposed_on: p.proposedOn,
    body: p.body, finding: p.finding, extension_complexity: p.extension?.complexity ?? null, extension_days: p.extension?.days ?? null,
    signature: p.signature, status: 'open',
  }).execute();
  return superseded?.id ?? null;
}

export interface ProposalRow {
  proposalId: string; caseId: string; action: string; proposedBy: string; proposedOn: string;
  body: Uint8Array; finding: string | null; extension: { complexity: string; days: number } | null; signature: Uint8Array;
  status: CaseProposalsTable['status']; answeredBy: string | null; answeredOn: string | null; answeredSeq: number | null;
  answerBody: Uint8Array | null; answerSignature: Uint8Array | null;
}

export async function listProposals(db: Database, caseId: string): Promise<ProposalRow[]> {
  const rows = await db.selectFrom('case_proposals').selectAll().where('case_id', '=', caseId).orderBy('proposed_on').orderBy('id').execute();
  return rows.map((r) => ({
    proposalId: r.id, caseId: r.case_id, action: r.action, proposedBy: r.proposed_by, proposedOn: r.proposed_on,
    body: r.body, finding: r.finding, extension: r.extension_complexity ? { complexity: r.extension_complexity, days: r.extension_days ?? 0 } : null,
    signature: r.signature, status: r.status, answeredBy: r.answered_by, answeredOn: r.answered_on, answeredSeq: r.answered_seq,
    answerBody: r.answer_body, answerSignature: r.answer_signature,
  }));
}

/** The open proposal with this id on the case, locked for its answer; undefined when there is none. */
export async function openProposal(db: Database, caseId: string, proposalId: string) {
  return db.selectFrom('case_proposals').select(['id', 'action']).where('id', '=', proposalId).where('case_id', '=', caseId)
    .where('status', '=', 'open').forUpdate().executeTakeFirst();
}

export async function declineProposal(db: Database, d: { proposalId: string; by: string; onDay: string; body: Uint8Array; signature: Uint8Array }): Promise<void> {
  await db.updateTable('case_proposals').set({
    status: 'declined', answered_by: d.by, answered_on: d.onDay, answer_body: d.body, answer_signature: d.signature,
  }).where('id', '=', d.proposalId).where('status', '=', 'open').execute();
}

/**
 * After transition `seq`: the open proposal of the same action is answered by it (taken),
 * and open proposals of `outlived` actions, which the case can no longer take, are superseded.
 */
export async function answerByTransition(
  db: Database, t: { caseId: string; action: string; seq: number; by: string | null; onDay: string; outlived: readonly string[] },
): Promise<void> {
  if (t.by !== null) {
    await db.updateTable('case_proposals').set({ status: 'taken', answered_by: t.by, answered_on: t.onDay, answered_seq: t.seq })
      .where('case_id', '=', t.caseId).where('action', '=', t.action).where('status', '=', 'open').execute();
  }
  if (t.outlived.length > 0) {
    await db.updateTable('case_proposals').set({ status: 'superseded' })
      .where('case_id', '=', t.caseId).where('action', 'in', [...t.outlived]).where('status', '=', 'open').execute();
  }
}
