import {
  applyTransitionAs, proposalsOutlived, replay, rulesFor, terminalStates, type Action, type CaseState, type Complexity, type StepGround,
  type ConclusionFigures, type Finding, type JurisdictionProfile, type TransitionError, type TransitionResult, type WorkflowEvent, type WorkflowRole,
} from '../../domain/index.js';
import type { Database } from './connect.js';
import { agencyRules } from './workflow-calendar.js';
import { inTransaction } from './audited.js';
import { answerByTransition } from './proposals.js';
import { writeDuties } from './workflow-duties.js';

// Transitions as rows: every one is a case_events row, and the case's clock columns are
// rewritten from the domain's replay so the deadline list and reports never replay.
// The case row is locked for the whole transaction: two officers acting at once are
// serialised, and the second sees the first's state. The agency row is held shared, so
// a calendar edit waits for transitions in flight and they wait for it.

export interface TransitionRequest {
  caseId: string;
  action: Action;
  onDay: string;
  actorId: string | null;
  /** The workflow roles the actor holds on this case, best first. */
  roles: readonly WorkflowRole[];
  reason: Uint8Array | null;
  finding?: Finding;
  extension?: { complexity: Complexity; amount: number };
  ground?: StepGround;
  /** A conclusion's figures, as signed (src/domain/conclusion-figures.ts). */
  figures?: ConclusionFigures;
  /** The notice sent with it, its signature and H(32, ciphertext) as the transition signature binds it. */
  notice?: { messageId: string; ciphertext: Uint8Array; signature: Uint8Array; digest: Uint8Array } | undefined;
  /**
   * The denouncer's withdrawal letter (form 02), sealed on their device as a message
   * `from_denouncer`: stored in the conversation as well as the event's reason, so the
   * staff read it where they read the denouncer's other messages.
   */
  letter?: { messageId: string; ciphertext: Uint8Array } | undefined;
  /** The officer's more precise citation, appended to the profile's. */
  extraBasis?: string;
  /** Refuse (without writing) when a notice is owed and none is given. */
  requireNotice: boolean;
  /**
   * Whether the actor's signature covers this transition from the state held here to the
   * state it leads to. A staff actor's transition without it is refused; the denouncer's
   * own actions (actorId null) are unsigned.
   */
  signatureMatches?: (from: CaseState, to: CaseState) => boolean;
  /** The actor's signature, kept with the event once it matches: staff clients check it before they show or build on the event. */
  signature?: Uint8Array;
}

export type TransitionOutcome =
  | { ok: true; result: Extract<TransitionResult, { ok: true }>; seq: number; from: CaseState }
  | { ok: false; error: TransitionError | 'notice_required' | 'signature_invalid'; message: string; allowed: Action[] };

export async function loadEvents(db: Database, caseId: string): Promise<WorkflowEvent[]> {
  const rows = await db
    .selectFrom('case_events')
    .select(['action', 'on_day', 'finding', 'extension_complexity', 'extension_amount', 'ground'])
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    action: r.action as Action,
    onDay: r.on_day,
    ...(r.finding ? { finding: r.finding as Finding } : {}),
    ...(r.extension_complexity ? { extension: { complexity: r.extension_complexity as Complexity, amount: r.extension_amount ?? 0 } } : {}),
    ...(r.ground ? { ground: r.ground as StepGround } : {}),
  }));
}

/** Validates with the domain and writes the event, the case's clock and the notice, atomically. */
export async function performTransition(db: Database, req: TransitionRequest): Promise<TransitionOutcome> {
  return inTransaction(db, async (trx) => {
    // The agency row shared first, then the case: a calendar edit (which holds the agency
    // row exclusively while it recomputes deadlines) and a transition never cross.
    const { agency_id: agencyId } = await trx.selectFrom('cases').select('agency_id').where('id', '=', req.caseId).executeTakeFirstOrThrow();
    await trx.selectFrom('agencies').select('id').where('id', '=', agencyId).forShare().execute();
    const kase = await trx
      .selectFrom('cases').select(['id', 'agency_id', 'received_on', 'status']).where('id', '=', req.caseId)
      .forUpdate().executeTakeFirstOrThrow();
    const { jurisdiction, calendar } = await agencyRules(trx, kase.agency_id);
    const events = await loadEvents(trx, kase.id);
    const snap = replay(jurisdiction, { receivedOn: kase.received_on, events }, calendar);
    // The step is taken under the rules in force on its day (a case open when the law changed follows them).
    const profile = rulesFor(jurisdiction, kase.received_on, req.onDay);
    const event: WorkflowEvent = {
      action: req.action, onDay: req.onDay, ...(req.finding ? { finding: req.finding } : {}), ...(req.extension ? { extension: req.extension } : {}),
      ...(req.ground ? { ground: req.ground } : {}), ...(req.figures ? { figures: req.figures } : {}),
    };
    const result = applyTransitionAs(profile, snap, event, req.roles, kase.received_on, calendar);
    if (!result.ok) return result;
    if (result.noticeOwed && req.requireNotice && !req.notice) {
      return { ok: false, error: 'notice_required', message: `${req.action} owes the denouncer a sealed notice (${result.legalBasis})`, allowed: [] };
    }
    if (req.actorId !== null && !req.signatureMatches?.(snap.state, result.snapshot.state)) {
      return { ok: false, error: 'signature_invalid', message: 'the transition signature does not verify for this case, its state, the day and the sealed texts (if the case has moved on, reload it and decide again)', allowed: [] };
    }
    const seq = events.length + 1;
    await writeTransition(trx, { agencyId: kase.agency_id, profile, from: snap.state, seq, req, result });
    return { ok: true, result, seq, from: snap.state };
  });
}

interface WriteArgs {
  agencyId: string;
  profile: JurisdictionProfile;
  from: CaseState;
  seq: number;
  req: TransitionRequest;
  result: Extract<TransitionResult, { ok: true }>;
}

async function writeTransition(trx: Database, { agencyId, profile, from, seq, req, result }: WriteArgs): Promise<void> {
  const { snapshot } = result;
  const clock = snapshot.clock;
  if (req.notice) {
    await trx.insertInto('messages').values({
      id: req.notice.messageId, case_id: req.caseId, direction: 'to_denouncer', author_id: req.actorId,
      ciphertext: req.notice.ciphertext, signature: req.notice.signature, sent_on: req.onDay,
    }).execute();
  }
  if (req.letter) {
    await trx.insertInto('messages').values({
      id: req.letter.messageId, case_id: req.caseId, direction: 'from_denouncer', author_id: null,
      ciphertext: req.letter.ciphertext, signature: null, sent_on: req.onDay,
    }).execute();
  }
  await trx.insertInto('case_events').values({
    case_id: req.caseId, seq, agency_id: agencyId, action: req.action, from_state: from, to_state: snapshot.state,
    on_day: req.onDay, actor_id: req.actorId, legal_basis: req.extraBasis ? `${result.legalBasis}; ${req.extraBasis}` : result.legalBasis, reason: req.reason, due_on: result.due,
    late: result.late, finding: req.finding ?? null, extension_complexity: req.extension?.complexity ?? null,
    extension_amount: req.extension?.amount ?? null, ground: req.ground ?? null,
    figures: req.figures ? JSON.stringify(req.figures) : null, notice_message_id: req.notice?.messageId ?? null,
    signature: req.actorId === null ? null : req.signature ?? null, cited_basis: req.extraBasis ?? null, notice_digest: req.notice?.digest ?? null,
  }).execute();
  const stopsNow = clock.stoppedOn !== null && clock.stoppedOn === req.onDay && result.rule.clock?.kind === 'stop';
  await trx.updateTable('cases').set({
    status: snapshot.state,
    due_on: result.due,
    clock_phase: clock.phase,
    clock_paused: clock.paused !== null,
    ...(req.action === 'accept' ? { accepted_on: req.onDay } : {}),
    ...(result.rule.setsKind ? { kind: result.rule.setsKind } : {}),
    ...(stopsNow ? { finished_on: req.onDay } : {}),
    // A step recorded on a closed case (a reward, a false denunciation's sanction) keeps the day it closed: retention runs from it.
    ...(terminalStates.includes(snapshot.state) && !terminalStates.includes(from) ? { closed_on: req.onDay } : {}),
    ...(req.finding ? { finding: req.finding, resolved_late: result.late } : {}),
  }).where('id', '=', req.caseId).execute();
  await writeDuties(trx, req.caseId, agencyId, result);
  await answerByTransition(trx, {
    caseId: req.caseId, action: req.action, seq, by: req.actorId, onDay: req.onDay, outlived: proposalsOutlived(profile, snapshot.state),
  });
}
