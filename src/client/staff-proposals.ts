import {
  answerersOf, proposalsOutlived, proposersOf, rulesFor, utcToDay, type Action, type Complexity, type Finding, type Jurisdiction,
} from '../domain/index.js';
import {
  fromBase64Url, loadBackend, proposalSigningBytes, signDetached, toBase64Url, type Backend, type BundleContent, type StaffKeys,
} from '../protocol/index.js';
import type { StaffClient } from './staff.js';
import type { CheckedHistory } from './staff-history.js';
import { bundleSigner } from './staff-signers.js';
import { checkedWorkflow, openCaseKey, openReason, sealReason } from './staff-workflow.js';

// Proposals to the head of agency (LEGAL.md "Who decides"; PROTOCOL.md §8.3.8): a step
// the rule set marks as prepared by another role (`proposedBy`: the intake officer's
// acceptance, the verification team's extension or conclusion) is proposed with the
// reasoning sealed under the case key and the proposal signed; the head takes the
// decision as a transition (which answers the proposal) or declines it, signed the same
// way. A client believes a proposal, and how it was answered, only as far as the
// agency's verified bundles, the rules of the day and the case's checked history bear it out.

export interface ProposalInput {
  action: Action;
  /** The reasoning for the file; sealed, never on the denouncer's timeline. */
  reason: string;
  finding?: Finding | undefined;
  extension?: { complexity: Complexity; days: number } | undefined;
  onDay?: string | undefined;
}

/** One proposal as GET /v1/staff/cases/:id/proposals lists it: the server's word. */
export interface ListedProposal {
  proposalId: string; caseId: string; action: Action; proposedBy: string; proposedOn: string;
  body: string; finding: Finding | null; extension: { complexity: Complexity; days: number } | null; signature: string;
  status: 'open' | 'taken' | 'declined' | 'superseded';
  answeredBy: string | null; answeredOn: string | null; answeredSeq: number | null; answerBody: string | null; answerSignature: string | null;
}

/**
 * A proposal as a client may show it. 'signed': the proposer's signature verifies
 * against a key the verified bundles list for an investigator; 'refused' otherwise, and
 * a refused proposal names no author and is never offered for decision. `answer` is
 * believed the same way: a decline by its signed head, a taken proposal by the signed
 * transition in the checked history, a superseded one by what superseded it.
 */
export interface CheckedProposal {
  proposalId: string; action: Action; proposedOn: string;
  authenticity: 'signed' | 'refused';
  proposedBy: string | null;
  finding: Finding | null; extension: { complexity: Complexity; days: number } | null;
  /** The sealed reasoning, to open with the case key (openReason, staff-workflow.ts). */
  body: Uint8Array | null;
  status: ListedProposal['status'];
  answer: { authenticity: 'signed' | 'refused' | 'none'; by: string | null; onDay: string | null; seq: number | null; body: Uint8Array | null; problem?: string };
  problem?: string;
}

const decoded = (text: string | null): Uint8Array | null => {
  if (text === null) return null;
  try { return fromBase64Url(text); } catch { return null; }
};

function signedBy(
  be: Backend, bundles: readonly BundleContent[], roles: readonly string[], caseId: string,
  p: { proposalId: string; action: string; onDay: string; body: Uint8Array | null; finding: string | null; extension: { complexity: string; days: number } | null; by: string; signature: string | null },
): string | { staffId: string } {
  const signature = decoded(p.signature);
  if (!p.body || !signature) return 'the signed fields are incomplete';
  let message: Uint8Array;
  try {
    message = proposalSigningBytes({ caseId, proposalId: p.proposalId, action: p.action, onDay: p.onDay, body: p.body, finding: p.finding, extension: p.extension }, be);
  } catch {
    return 'the signed fields are malformed';
  }
  return bundleSigner(be, bundles, { staffId: p.by, roles, onDay: p.onDay, kind: 'proposal', signature, message });
}

/** Checks every listed proposal of `caseId` against the verified bundles and the checked history. Pure: the caller fetches. */
export function checkProposals(be: Backend, input: {
  caseId: string; jurisdiction: Jurisdiction; receivedOn: string; history: CheckedHistory; bundles: readonly BundleContent[]; proposals: readonly ListedProposal[];
}): CheckedProposal[] {
  const rulesOn = (day: string) => rulesFor(input.jurisdiction, input.receivedOn, day);
  const checked = input.proposals.map((p): CheckedProposal => {
    const body = decoded(p.body);
    const base = { proposalId: p.proposalId, action: p.action, proposedOn: p.proposedOn, status: p.status };
    if (p.caseId !== input.caseId) {
      return { ...base, authenticity: 'refused', proposedBy: null, finding: null, extension: null, body: null, answer: none(), problem: `listed for case ${input.caseId}, made for ${p.caseId}` };
    }
    const signer = signedBy(be, input.bundles, proposersOf(rulesOn(p.proposedOn), p.action), input.caseId, { ...p, onDay: p.proposedOn, by: p.proposedBy, body });
    if (typeof signer === 'string') {
      return { ...base, authenticity: 'refused', proposedBy: null, finding: null, extension: null, body: null, answer: none(), problem: signer };
    }
    return { ...base, authenticity: 'signed', proposedBy: signer.staffId, finding: p.finding, extension: p.extension, body, answer: checkAnswer(be, { ...input, rulesOn }, p) };
  });
  // A superseded proposal is borne out by a later signed one of the same action, or by a case that can no longer take it.
  const outlived = new Set<string>(proposalsOutlived(rulesOn(input.history.snapshot.lastDay), input.history.snapshot.state));
  return checked.map((p, i) => {
    if (p.status !== 'superseded' || p.authenticity !== 'signed') return p;
    const later = checked.slice(i + 1).some((q) => q.action === p.action && q.authenticity === 'signed');
    return later || outlived.has(p.action) ? p : { ...p, answer: { ...none(), authenticity: 'refused', problem: 'shown as superseded, yet nothing the client can check superseded it' } };
  });
}

function none(): CheckedProposal['answer'] {
  return { authenticity: 'none', by: null, onDay: null, seq: null, body: null };
}

function checkAnswer(
  be: Backend, input: { caseId: string; history: CheckedHistory; bundles: readonly BundleContent[]; rulesOn: (day: string) => ReturnType<typeof rulesFor> }, p: ListedProposal,
): CheckedProposal['answer'] {
  const refused = (problem: string): CheckedProposal['answer'] => ({ ...none(), authenticity: 'refused', problem });
  if (p.status === 'open' || p.status === 'superseded') return none();
  if (p.answeredBy === null || p.answeredOn === null) return refused(`${p.status} with no recorded answer`);
  if (p.status === 'declined') {
    const body = decoded(p.answerBody);
    const signer = signedBy(be, input.bundles, answerersOf(input.rulesOn(p.answeredOn), p.action), input.caseId, {
      proposalId: p.proposalId, action: 'decline', onDay: p.answeredOn, body, finding: null, extension: null, by: p.answeredBy, signature: p.answerSignature,
    });
    return typeof signer === 'string' ? refused(signer) : { authenticity: 'signed', by: signer.staffId, onDay: p.answeredOn, seq: null, body };
  }
  const event = input.history.events.find((e) => e.seq === p.answeredSeq);
  if (!event || event.authenticity !== 'signed' || event.action !== p.action || event.actorId !== p.answeredBy) {
    return refused(`shown as taken by event ${p.answeredSeq ?? '?'}, which the checked history does not bear out`);
  }
  return { authenticity: 'signed', by: event.actorId, onDay: event.onDay, seq: event.seq, body: null };
}

/** Seals the reasoning here, signs the proposal and posts it (POST /v1/staff/cases/:id/proposals). */
export async function proposeDecision(c: StaffClient, caseId: string, input: ProposalInput, keys: StaffKeys): Promise<{ proposalId: string; proposedOn: string; supersedes: string | null }> {
  const be = await loadBackend();
  const { detail, contentKey } = await openCaseKey(c, caseId, keys);
  try {
    const proposalId = crypto.randomUUID();
    const onDay = input.onDay ?? utcToDay(Date.now());
    const body = sealReason(be, { agencyId: detail.agencyId, caseId }, contentKey, input.reason);
    const signed = proposalSigningBytes({
      caseId, proposalId, action: input.action, onDay, body, finding: input.finding ?? null, extension: input.extension ?? null,
    }, be);
    return await c.http.post(`/v1/staff/cases/${caseId}/proposals`, {
      proposalId, action: input.action, onDay, body: toBase64Url(body), signature: toBase64Url(signDetached(be, 'proposal', signed, keys.signSecretKey)),
      ...(input.finding ? { finding: input.finding } : {}),
      ...(input.extension ? { extension: input.extension } : {}),
    });
  } finally {
    contentKey.fill(0);
  }
}

/** Declines an open proposal with a sealed reason, signed by the head (POST …/proposals/:id/decline). */
export async function declineProposal(c: StaffClient, caseId: string, proposalId: string, reason: string, keys: StaffKeys, onDay?: string): Promise<{ answeredOn: string }> {
  const be = await loadBackend();
  const { detail, contentKey } = await openCaseKey(c, caseId, keys);
  try {
    const day = onDay ?? utcToDay(Date.now());
    const sealed = sealReason(be, { agencyId: detail.agencyId, caseId }, contentKey, reason);
    const signed = proposalSigningBytes({ caseId, proposalId, action: 'decline', onDay: day, body: sealed, finding: null, extension: null }, be);
    return await c.http.post(`/v1/staff/cases/${caseId}/proposals/${proposalId}/decline`, {
      onDay: day, reason: toBase64Url(sealed), signature: toBase64Url(signDetached(be, 'proposal', signed, keys.signSecretKey)),
    });
  } finally {
    contentKey.fill(0);
  }
}

/** The case's proposals, checked, with their texts opened here (for the CLI; the console opens them with the key it holds). */
export async function caseProposals(c: StaffClient, caseId: string, keys: StaffKeys): Promise<(CheckedProposal & { text: string | null; answerText: string | null })[]> {
  const be = await loadBackend();
  const [{ view, history, jurisdiction }, listed] = await Promise.all([
    checkedWorkflow(c, caseId), c.http.get<{ caseId: string; proposals: ListedProposal[] }>(`/v1/staff/cases/${caseId}/proposals`),
  ]);
  const bundles = await c.verifiedBundles(view.agencyId);
  const checked = checkProposals(be, { caseId, jurisdiction, receivedOn: view.receivedOn, history, bundles, proposals: listed.caseId === caseId ? listed.proposals : [] });
  const { detail, contentKey } = await openCaseKey(c, caseId, keys);
  try {
    const ctx = { agencyId: detail.agencyId, caseId };
    const open = (body: Uint8Array | null) => {
      if (!body) return null;
      try { return openReason(be, ctx, contentKey, body); } catch { return null; }
    };
    return checked.map((p) => ({ ...p, text: p.authenticity === 'signed' ? open(p.body) : null, answerText: p.answer.authenticity === 'signed' ? open(p.answer.body) : null }));
  } finally {
    contentKey.fill(0);
  }
}
