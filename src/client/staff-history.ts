import {
  applyTransition, conclusionFigureNames, makeCalendar, type ConclusionFigures, PROTECTION_DECIDER_ROLES, openSnapshot, stateAfter, type Action, type Complexity, type StepGround, type Finding,
  rulesFor, type Jurisdiction, type TransitionRule, type WorkflowEvent, type WorkflowRole, type WorkflowSnapshot,
} from '../domain/index.js';
import { fromBase64Url, protectionDecisionSigningBytes, transitionSigningBytes, type Backend, type BundleContent } from '../protocol/index.js';
import { bundleSigner } from './staff-signers.js';

// A case's workflow history as a staff client may show it or build on it (PROTOCOL.md
// §8.3.4). The server lists the events; a database writer can add, alter or move rows.
// Each staff event is believed only once its signature, rebuilt from this case, the
// state the verified events before it replay to, the state the profile's rule leads to
// and the event's own fields, verifies against a key the agency's verified bundles list
// for its actor with a role the profile lets take the action. Pure: the caller fetches.

/**
 * 'signed': a staff event whose signature verifies; 'denouncer': the denouncer's own
 * action (a withdrawal), unsigned by design; 'legacy': a staff event with no signature
 * recorded before any signed one (written before signatures were kept with events; the
 * client cannot tell it from a forgery, and says so); 'refused': anything else — a bad
 * or missing signature, an unknown signer, a role that may not, another case, a state
 * that does not follow. A refused event names no author and does not move the state.
 */
export type EventAuthenticity = 'signed' | 'denouncer' | 'legacy' | 'refused';

/** One event as GET /v1/staff/cases/:id/workflow lists it. */
export interface ListedEvent {
  seq: number; action: string; from: string; to: string; onDay: string; actorId: string | null;
  legalBasis: string; reason: string | null; due: string | null; late: boolean; noticeMessageId: string | null;
  finding: string | null; extension: { complexity: string; days: number } | null; ground?: string | null;
  /** A conclusion's figures as the server stores them: believed only as the signature covers them. */
  figures?: Record<string, number> | null;
  citedBasis: string | null; noticeDigest: string | null; signature: string | null;
}

export interface CheckedEvent {
  seq: number; action: string; from: string; to: string; onDay: string;
  authenticity: EventAuthenticity;
  /** The signer ('signed'), or the actor the server names ('legacy', unverified); null otherwise. */
  actorId: string | null;
  /** The profile's basis and, for a signed event, the actor's own citation. */
  legalBasis: string | null;
  noticeMessageId: string | null;
  /** A signed conclusion's figures, exactly as its signer signed them. */
  figures?: ConclusionFigures;
  /** Why the event was refused. */
  problem?: string;
}

export interface CheckedHistory {
  caseId: string;
  events: CheckedEvent[];
  /** Where the events that were not refused lead (the state a next transition is signed from). */
  snapshot: WorkflowSnapshot;
  refused: number;
  legacy: number;
}

export interface HistoryInput {
  caseId: string;
  jurisdiction: Jurisdiction;
  receivedOn: string;
  events: readonly ListedEvent[];
  /** The agency's verified bundles, oldest first, the current one last. */
  bundles: readonly BundleContent[];
}

// States, and every refusal the machine can make, depend only on the events: the
// calendar moves due days, which this check neither shows nor relies on.
const ANY_CALENDAR = makeCalendar([]);

const decoded = (text: string | null): Uint8Array | null => {
  if (text === null) return null;
  try { return fromBase64Url(text); } catch { return null; }
};

type Verdict = { authenticity: Exclude<EventAuthenticity, 'refused'>; role: WorkflowRole; actorId: string | null } | { problem: string };

/** Who took the event and in which role, or why it is refused; `signedBefore`: a signed event precedes it. */
function attribute(
  be: Backend, input: HistoryInput, e: ListedEvent, rule: TransitionRule, snap: WorkflowSnapshot, signedBefore: boolean, used: Set<string>,
): Verdict {
  if (e.actorId === null) {
    if (e.signature !== null || !rule.roles.includes('denouncer')) return { problem: `${e.action} is a staff action, recorded with no actor` };
    return { authenticity: 'denouncer', role: 'denouncer', actorId: null };
  }
  const staffRoles = rule.roles.filter((r) => r !== 'denouncer');
  if (staffRoles.length === 0) return { problem: `${e.action} is the denouncer's action, recorded with a staff actor` };
  if (e.signature === null) {
    // Since signatures are kept with events every staff event has one: an unsigned one
    // after a signed one was written by the database, not by the server.
    if (signedBefore) return { problem: 'no signature, after signed events' };
    return { authenticity: 'legacy', role: staffRoles[0]!, actorId: e.actorId };
  }
  const signature = decoded(e.signature);
  const reason = decoded(e.reason);
  const digest = decoded(e.noticeDigest);
  if (!signature || !reason || (e.noticeMessageId !== null) !== (digest !== null)) return { problem: 'the signed fields are incomplete' };
  if (used.has(e.signature)) return { problem: 'the signature of an earlier event, recorded again' };
  let message: Uint8Array;
  try {
    message = transitionSigningBytes({
      caseId: input.caseId, action: e.action, from: snap.state, to: stateAfter(rule, snap), onDay: e.onDay, reason,
      notice: e.noticeMessageId !== null && digest ? { messageId: e.noticeMessageId, digest } : null,
      finding: e.finding, extension: e.extension, legalBasis: e.citedBasis, ground: e.ground ?? null,
      figures: signedFigures(e.figures),
    }, be);
  } catch {
    return { problem: 'the signed fields are malformed' };
  }
  const signer = bundleSigner(be, input.bundles, { staffId: e.actorId, roles: staffRoles, onDay: e.onDay, kind: 'transition', signature, message });
  if (typeof signer === 'string') return { problem: signer };
  used.add(e.signature);
  return { authenticity: 'signed', role: signer.role, actorId: signer.staffId };
}

/** The listed figures as the signed layout reads them: the form's names, nothing else (a stray name is malformed). */
function signedFigures(f: ListedEvent['figures']): ConclusionFigures | null {
  if (f === undefined || f === null) return null;
  if (typeof f !== 'object' || Object.keys(f).length !== conclusionFigureNames.length) throw new Error('malformed figures');
  return Object.fromEntries(conclusionFigureNames.map((name) => [name, f[name]])) as ConclusionFigures;
}

const asEvent = (e: ListedEvent, figures: ConclusionFigures | null): WorkflowEvent => ({
  action: e.action as Action, onDay: e.onDay, ...(figures ? { figures } : {}),
  ...(e.finding ? { finding: e.finding as Finding } : {}),
  ...(e.extension ? { extension: { complexity: e.extension.complexity as Complexity, amount: e.extension.days } } : {}),
  ...(e.ground ? { ground: e.ground as StepGround } : {}),
});

/** Checks every event in order; a refused one is skipped, so the ones after it are checked against the state before it. */
export function checkHistory(be: Backend, input: HistoryInput): CheckedHistory {
  const { jurisdiction } = input;
  let snap = openSnapshot(rulesFor(jurisdiction, input.receivedOn, input.receivedOn), input.receivedOn, ANY_CALENDAR);
  let lastSeq = 0;
  let signedBefore = false;
  const used = new Set<string>();
  const events: CheckedEvent[] = [];
  for (const e of input.events) {
    const base = { seq: e.seq, action: e.action, from: e.from, to: e.to, onDay: e.onDay, noticeMessageId: e.noticeMessageId };
    const refuse = (problem: string) => events.push({ ...base, authenticity: 'refused', actorId: null, legalBasis: null, problem });
    // Each event is checked under the rules in force on its day (PROTOCOL.md §8.3.4).
    const profile = rulesFor(jurisdiction, input.receivedOn, e.onDay);
    const rule = profile.transitions.find((r) => r.action === e.action);
    if (!rule) { refuse(`the ${profile.id} profile has no ${e.action}`); continue; }
    if (e.seq <= lastSeq) { refuse('listed out of order'); continue; }
    lastSeq = e.seq;
    if (e.from !== snap.state || e.to !== stateAfter(rule, snap)) { refuse(`listed as ${e.from} → ${e.to}, but the verified history is at ${snap.state}`); continue; }
    const verdict = attribute(be, input, e, rule, snap, signedBefore, used);
    if ('problem' in verdict) { refuse(verdict.problem); continue; }
    // Only signed figures are believed, and the domain checks them as the server did (bounds, only on a conclusion).
    const figures = verdict.authenticity === 'signed' ? signedFigures(e.figures) : null;
    const step = applyTransition(profile, snap, asEvent(e, figures), verdict.role, input.receivedOn, ANY_CALENDAR);
    if (!step.ok) { refuse(step.message); continue; }
    snap = step.snapshot;
    signedBefore ||= verdict.authenticity === 'signed';
    const cited = verdict.authenticity === 'signed' && e.citedBasis ? `${rule.legalBasis}; ${e.citedBasis}` : rule.legalBasis;
    events.push({ ...base, authenticity: verdict.authenticity, actorId: verdict.actorId, legalBasis: cited, ...(figures ? { figures } : {}) });
  }
  const count = (a: EventAuthenticity) => events.filter((e) => e.authenticity === a).length;
  return { caseId: input.caseId, events, snapshot: snap, refused: count('refused'), legacy: count('legacy') };
}

/** A protection request's decision as the server lists it (§8.3.7); null while pending. */
export interface ListedDecision { by: string; reason: string | null; noticeMessageId: string | null; noticeDigest: string | null; signature: string | null }

/**
 * 'pending', or a decision checked as events are: 'signed' or 'refused'. There is no
 * 'legacy': a decision stands alone, with no signed history around it to tell one
 * recorded before decisions kept their signature from one a database writer made up.
 */
export type DecisionAuthenticity = 'pending' | 'signed' | 'refused';

export interface CheckedDecision {
  authenticity: DecisionAuthenticity;
  /** The head who signed it; null unless 'signed'. */
  decidedBy: string | null;
  problem?: string;
}

/**
 * Checks a protection request's recorded decision against the agency's verified bundles:
 * signed by a head of agency (PROTECTION_DECIDER_ROLES) over this request, its case, the
 * decision the server shows, its day, the sealed reason and the notice.
 */
export function checkProtectionDecision(
  be: Backend, bundles: readonly BundleContent[],
  r: { protectionRequestId: string; caseId: string; status: 'pending' | 'granted' | 'refused'; decidedOn: string | null; decision: ListedDecision | null },
): CheckedDecision {
  const refused = (problem: string): CheckedDecision => ({ authenticity: 'refused', decidedBy: null, problem });
  const d = r.decision;
  if (r.status === 'pending') return d === null && r.decidedOn === null ? { authenticity: 'pending', decidedBy: null } : refused('pending, yet recorded as decided');
  if (d === null || r.decidedOn === null) return refused(`${r.status} with no recorded decision`);
  if (d.signature === null) return refused('no signature (a decision recorded before decisions were kept with their signature reads the same: its signature is in the audit log)');
  const [signature, reason, digest] = [decoded(d.signature), decoded(d.reason), decoded(d.noticeDigest)];
  if (!signature || !reason || !digest || d.noticeMessageId === null) return refused('the signed fields are incomplete');
  let message: Uint8Array;
  try {
    message = protectionDecisionSigningBytes({
      protectionRequestId: r.protectionRequestId, caseId: r.caseId, granted: r.status === 'granted', onDay: r.decidedOn, reason,
      notice: { messageId: d.noticeMessageId, digest },
    }, be);
  } catch {
    return refused('the signed fields are malformed');
  }
  const signer = bundleSigner(be, bundles, { staffId: d.by, roles: PROTECTION_DECIDER_ROLES, onDay: r.decidedOn, kind: 'protection-decision', signature, message });
  return typeof signer === 'string' ? refused(signer) : { authenticity: 'signed', decidedBy: signer.staffId };
}
