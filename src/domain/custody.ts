// Identity custody (PROTOCOL.md §6): a request to open an identity block, or a protection
// request's sealed details, is decided by the custodians holding its shares, each
// approving (re-sealing their share to the requester) or refusing. m approvals open it.
// The server hands the sealed block to the requester only, and only once m custodians
// approved: below that nothing the requester holds opens it anyway, and nobody else
// should even hold the ciphertext.

export type CustodyState = 'pending' | 'approved' | 'refused';

type Decisions = readonly { decision: 'approve' | 'refuse' }[];

/** How many custodians approved: m of them open the block. */
export function approvalsOf(decisions: Decisions): number {
  return decisions.filter((d) => d.decision === 'approve').length;
}

/** Pending until m approvals; refused once too few custodians are left to reach m. */
export function custodyState(threshold: number, decisions: Decisions, custodianCount: number): CustodyState {
  const approvals = approvalsOf(decisions);
  const refusals = decisions.length - approvals;
  if (approvals >= threshold) return 'approved';
  if (custodianCount - refusals < threshold) return 'refused';
  return 'pending';
}

/** Whether the sealed block goes to this viewer: the requester, once the request is approved. */
export function releasesBlock(state: CustodyState, viewerIsRequester: boolean): boolean {
  return viewerIsRequester && state === 'approved';
}
