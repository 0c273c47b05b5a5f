import { checkProposals, type CheckedProposal, type ListedProposal } from '../client/staff-proposals.js';
import { openReason } from '../client/staff-workflow.js';
import { ApiClientError } from '../client/http.js';
import type { CaseDetail } from '../client/staff.js';
import {
  allowedTransitions, decidersOf, mayAnswerProposal, proposableActions, workflowRolesOnCase, type Action, type WorkflowRole,
} from '../domain/index.js';
import { loadBackend } from '../protocol/index.js';
import type { Checked } from './views/case-actions.js';
import type { ConsoleSession } from './session.js';

// The case's proposals as the console shows them: checked by the SDK against the verified
// bundles and the checked history, their texts opened here with the case key (wiped
// once read). Who may propose and who may answer is the domain's rule, worked out here
// from the checked state, never from the server's word.

export interface ShownProposal { checked: CheckedProposal; text: string | null; answerText: string | null }

export async function loadProposals(s: ConsoleSession, detail: CaseDetail, c: Checked): Promise<ShownProposal[]> {
  const caseId = detail.caseId;
  const [be, listed, bundles] = await Promise.all([
    loadBackend(),
    s.client.http.get<{ caseId: string; proposals: ListedProposal[] }>(`/v1/staff/cases/${caseId}/proposals`),
    s.client.verifiedBundles(detail.agencyId),
  ]);
  const checked = checkProposals(be, {
    caseId, jurisdiction: c.jurisdiction, receivedOn: c.receivedOn, history: c.history, bundles, proposals: listed.caseId === caseId ? listed.proposals : [],
  });
  if (checked.length === 0) return [];
  const opened = await s.client.openCase(caseId, s.keys).catch((err: unknown) => {
    if (err instanceof ApiClientError && err.code === 'no_key') return null;
    throw err;
  });
  try {
    const ctx = { agencyId: detail.agencyId, caseId };
    const open = (body: Uint8Array | null) => {
      if (!body || !opened) return null;
      try { return openReason(be, ctx, opened.contentKey, body); } catch { return null; }
    };
    return checked.map((p) => ({
      checked: p, text: p.authenticity === 'signed' ? open(p.body) : null, answerText: p.answer.authenticity === 'signed' ? open(p.answer.body) : null,
    }));
  } finally {
    opened?.contentKey.fill(0);
  }
}

function rolesHere(s: ConsoleSession, detail: CaseDetail): WorkflowRole[] {
  return workflowRolesOnCase(s.client.session.roles, { home: detail.agencyId === s.agencyId, granted: detail.grants.some((g) => g.staffId === s.staffId) });
}

/** What this person may propose now: the steps they prepare that those who decide them could take from the checked state. */
export function proposable(s: ConsoleSession, detail: CaseDetail, c: Checked): Action[] {
  if (c.history.refused > 0) return [];
  const mine = rolesHere(s, detail);
  return proposableActions(c.profile).filter((action) => {
    const rule = c.profile.transitions.find((r) => r.action === action)!;
    return rule.proposedBy!.some((r) => mine.includes(r)) && allowedTransitions(c.profile, c.history.snapshot, ...decidersOf(rule)).includes(action);
  });
}

/** Whether this staff member answers proposals of `action` on the case (the head of its agency). */
export function answersProposals(s: ConsoleSession, detail: CaseDetail, c: Checked, action: Action): boolean {
  return mayAnswerProposal(c.profile, action, rolesHere(s, detail));
}
