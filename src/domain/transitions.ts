import { onOrNextWorkingDay, type HolidayCalendar } from './calendar.js';
import {
  addPeriod, effectiveDue, extendClock, initialClock, pauseClock, resumeClock, startPhase, stopClock, viewClock,
  type ClockState, type ClockView,
} from './clock.js';
import { figuresProblem, type ConclusionFigures } from './conclusion-figures.js';
import type { Day } from './dates.js';
import {
  rulesFor, type Action, type CaseState, type Complexity, type Duty, type DutyRule, type Finding, type Jurisdiction, type JurisdictionProfile,
  type StepGround, type TransitionRule, type WorkflowRole,
} from './profile.js';

// The state machine: which action a role may take from a state, and what it does to the
// state and the clock. Stored events are replayed through the same `step`, so the
// deadline shown today is the one the law gives for the history as recorded.

export interface WorkflowEvent {
  action: Action;
  onDay: Day;
  extension?: { complexity: Complexity; amount: number };
  finding?: Finding;
  /** The limb of its provision the step names (a rule with `grounds`): why a settlement goes on, a handling measure, who monitors. */
  ground?: StepGround;
  /** What a conclusion recommends in numbers (a rule with `carriesFigures`), as signed. */
  figures?: ConclusionFigures;
}

/** A duty a step opened (DutyRule), with its due day and, once met, the day and whether it was late. */
export interface DutyState {
  duty: Duty; metBy: DutyRule['metBy']; alsoMetBy: readonly Action[]; openedOn: Day; due: Day; metOn: Day | null; late: boolean; legalBasis: string;
}

export interface CaseHistory { receivedOn: Day; events: readonly WorkflowEvent[] }

export interface WorkflowSnapshot {
  state: CaseState;
  /** Where `resume` returns to. */
  beforeSuspension: CaseState | null;
  /** Where the answer to a review ('before_review') returns to. */
  beforeReview: CaseState | null;
  clock: ClockState;
  taken: ReadonlySet<Action>;
  lastDay: Day;
  /** The conclusion's finding, once concluded: what the handling of it may record (Law Art. 36(1)). */
  finding: Finding | null;
  /** The duties steps opened, met or not. */
  duties: readonly DutyState[];
}

export type TransitionError = 'illegal_transition' | 'forbidden' | 'extension_refused' | 'finding_required' | 'ground_required' | 'day_out_of_order' | 'figures_invalid';

export type TransitionResult =
  | {
      ok: true;
      snapshot: WorkflowSnapshot;
      rule: TransitionRule;
      noticeOwed: boolean;
      legalBasis: string;
      /** The due day after the transition (null when the clock stopped or paused). */
      due: Day | null;
      /** Taken after the deadline in force (or the rule's own `within`, or the due day of a duty it meets). */
      late: boolean;
      /** Duties this step opened, and those it met. */
      opened: readonly DutyState[];
      met: readonly DutyState[];
    }
  | { ok: false; error: TransitionError; message: string; allowed: Action[] };

export function openSnapshot(profile: JurisdictionProfile, receivedOn: Day, cal: HolidayCalendar): WorkflowSnapshot {
  return {
    state: 'RECEIVED', beforeSuspension: null, beforeReview: null, clock: initialClock(profile, receivedOn, cal), taken: new Set(), lastDay: receivedOn,
    finding: null, duties: [],
  };
}

function ruleFor(profile: JurisdictionProfile, action: Action): TransitionRule | undefined {
  return profile.transitions.find((r) => r.action === action);
}

function available(rule: TransitionRule, snap: WorkflowSnapshot): boolean {
  return rule.from.includes(snap.state) && !(rule.once && snap.taken.has(rule.action)) && (rule.requires ?? []).every((a) => snap.taken.has(a))
    && (!rule.findings || (snap.finding !== null && rule.findings.includes(snap.finding)));
}

/** Actions any of `roles` may take on a case in `snapshot`'s state, in the profile's order. */
export function allowedTransitions(profile: JurisdictionProfile, snap: WorkflowSnapshot, ...roles: WorkflowRole[]): Action[] {
  return profile.transitions.filter((r) => r.roles.some((role) => roles.includes(role)) && available(r, snap)).map((r) => r.action);
}

function refuse(error: TransitionError, message: string, allowed: Action[]): TransitionResult {
  return { ok: false, error, message, allowed };
}

function checkExtension(profile: JurisdictionProfile, snap: WorkflowSnapshot, event: WorkflowEvent): string | null {
  const ext = event.extension;
  if (!ext) return 'an extension needs a complexity and a number of days';
  if (snap.clock.phase !== profile.extensions.phase || snap.clock.paused) return 'the settlement clock is not running';
  const limit = profile.extensions.limits[ext.complexity];
  if (!Number.isInteger(ext.amount) || ext.amount < 1 || ext.amount > limit.maxAmount) {
    return `an extension for a ${ext.complexity} case is at most ${limit.maxAmount}`;
  }
  if (snap.clock.extensions >= limit.count) return `a ${ext.complexity} case may be extended ${limit.count} time(s)`;
  return null;
}

function nextClock(
  profile: JurisdictionProfile, rule: TransitionRule, snap: WorkflowSnapshot, event: WorkflowEvent,
  receivedOn: Day, cal: HolidayCalendar,
): ClockState {
  const effect = rule.clock;
  if (!effect) return snap.clock;
  switch (effect.kind) {
    case 'start':
      return startPhase(snap.clock, effect, event.onDay, receivedOn, cal);
    case 'extend':
      return extendClock(snap.clock, { amount: event.extension?.amount ?? 0, unit: profile.extensions.unit }, cal);
    case 'pause':
      return pauseClock(snap.clock, event.onDay, cal);
    case 'resume':
      return resumeClock(snap.clock, event.onDay, cal);
    case 'stop':
      return stopClock(snap.clock, event.onDay);
  }
}

function isLate(profile: JurisdictionProfile, rule: TransitionRule, snap: WorkflowSnapshot, event: WorkflowEvent, receivedOn: Day, cal: HolidayCalendar): boolean {
  if (rule.within) return event.onDay > addPeriod(receivedOn, rule.within, cal);
  // Late = the running phase is left (stopped, or replaced by the next phase) after its due day.
  const leaves = rule.clock?.kind === 'stop' || (rule.clock?.kind === 'start' && rule.clock.phase !== snap.clock.phase);
  if (!leaves || snap.clock.stoppedOn || snap.clock.paused) return false;
  const due = effectiveDue(profile, snap.clock, cal);
  return due !== null && event.onDay > due;
}

/**
 * The state `rule` leads to from `snap`: 'same' keeps it, 'previous' returns to the state
 * before the suspension. What a transition's signer names as `to` (PROTOCOL.md §8.3.4).
 */
export function stateAfter(rule: TransitionRule, snap: WorkflowSnapshot): CaseState {
  switch (rule.to) {
    case 'same': return snap.state;
    case 'previous': return snap.beforeSuspension ?? 'ACCEPTED';
    case 'before_review': return snap.beforeReview ?? 'ACCEPTED';
    default: return rule.to;
  }
}

/** Why the step's ground does not fit its rule (one of the rule's grounds, or none when it has none), or null. */
function groundProblem(rule: TransitionRule, snap: WorkflowSnapshot, event: WorkflowEvent): string | null {
  if (!rule.grounds) return event.ground === undefined ? null : `${rule.action} names no ground`;
  const ground = event.ground ? rule.grounds.find((g) => g.ground === event.ground) : undefined;
  if (!ground) return `${rule.action} names one ground: ${rule.grounds.map((g) => g.ground).join(', ')}`;
  if (ground.findings && !(snap.finding && ground.findings.includes(snap.finding))) {
    return `${ground.ground} follows a conclusion that found the denunciation ${ground.findings.join(' or ')} (${ground.legalBasis})`;
  }
  return null;
}

/**
 * The duties after `event`: those it meets get its day (late when after their due day),
 * and those its rule set opens on it start, each due its period after the step's day.
 */
function nextDuties(profile: JurisdictionProfile, snap: WorkflowSnapshot, event: WorkflowEvent, cal: HolidayCalendar) {
  const met: DutyState[] = [];
  const kept = snap.duties.map((d) => {
    if (d.metOn !== null || (d.metBy !== event.action && !d.alsoMetBy.includes(event.action))) return d;
    const done = { ...d, metOn: event.onDay, late: event.onDay > d.due };
    met.push(done);
    return done;
  });
  const opened = (profile.duties ?? [])
    .filter((r) => r.openedBy === event.action && !kept.some((d) => d.duty === r.duty))
    .map((r): DutyState => {
      const nominal = addPeriod(event.onDay, r.within, cal);
      const due = profile.rollForward.enabled ? onOrNextWorkingDay(nominal, cal) : nominal;
      return { duty: r.duty, metBy: r.metBy, alsoMetBy: r.alsoMetBy ?? [], openedOn: event.onDay, due, metOn: null, late: false, legalBasis: r.legalBasis };
    });
  return { duties: [...kept, ...opened], opened, met };
}

/** The rule's citation, with the provision of the ground the step names. */
function basisOf(rule: TransitionRule, event: WorkflowEvent): string {
  const ground = rule.grounds?.find((g) => g.ground === event.ground);
  return ground ? `${rule.legalBasis}; ${ground.legalBasis}` : rule.legalBasis;
}

/** One step of the machine, with every rule checked: the role, the state, the day, the limits. */
export function applyTransition(
  profile: JurisdictionProfile, snap: WorkflowSnapshot, event: WorkflowEvent, role: WorkflowRole,
  receivedOn: Day, cal: HolidayCalendar,
): TransitionResult {
  const allowed = allowedTransitions(profile, snap, role);
  const rule = ruleFor(profile, event.action);
  if (!rule || !allowed.includes(event.action)) {
    return refuse('illegal_transition', `${event.action} is not allowed from ${snap.state} for ${role}`, allowed);
  }
  if (event.onDay < snap.lastDay) return refuse('day_out_of_order', 'a transition cannot be dated before the previous one', allowed);
  if (rule.requiresFinding && !event.finding) return refuse('finding_required', 'a conclusion needs a finding', allowed);
  const badGround = groundProblem(rule, snap, event);
  if (badGround) return refuse('ground_required', badGround, allowed);
  if (event.figures) {
    const bad = rule.carriesFigures ? figuresProblem(event.figures) : `${rule.action} carries no figures: only a conclusion does`;
    if (bad) return refuse('figures_invalid', bad, allowed);
  }
  if (rule.clock?.kind === 'extend') {
    const problem = checkExtension(profile, snap, event);
    if (problem) return refuse('extension_refused', problem, allowed);
  }
  const { duties, opened, met } = nextDuties(profile, snap, event, cal);
  const late = isLate(profile, rule, snap, event, receivedOn, cal) || met.some((d) => d.late);
  const clock = nextClock(profile, rule, snap, event, receivedOn, cal);
  const state = stateAfter(rule, snap);
  const taken = new Set(snap.taken).add(rule.action);
  const snapshot: WorkflowSnapshot = {
    state, clock, taken, lastDay: event.onDay, duties, finding: rule.requiresFinding ? event.finding ?? null : snap.finding,
    beforeSuspension: rule.clock?.kind === 'pause' ? snap.state : rule.clock?.kind === 'resume' ? null : snap.beforeSuspension,
    beforeReview: rule.opensReview ? snap.state : rule.to === 'before_review' ? null : snap.beforeReview,
  };
  const due = clock.stoppedOn || clock.paused ? null : effectiveDue(profile, clock, cal);
  return { ok: true, snapshot, rule, noticeOwed: rule.notice, legalBasis: basisOf(rule, event), due, late, opened, met };
}

/**
 * A transition asked by an actor holding `roles` on the case, best first: the first role
 * the action's rule names acts. An action the profile does not know (a petition track
 * under the EU profile) is a state-machine refusal for everyone, not a question of role.
 */
export function applyTransitionAs(
  profile: JurisdictionProfile, snap: WorkflowSnapshot, event: WorkflowEvent, roles: readonly WorkflowRole[],
  receivedOn: Day, cal: HolidayCalendar,
): TransitionResult {
  const rule = ruleFor(profile, event.action);
  if (!rule) return refuse('illegal_transition', `the ${profile.id} profile has no ${event.action}`, []);
  const role = roles.find((r) => rule.roles.includes(r));
  if (!role) return refuse('forbidden', `your role may not ${event.action}`, allowedTransitions(profile, snap, ...roles));
  return applyTransition(profile, snap, event, role, receivedOn, cal);
}

/**
 * Replays a recorded history; the roles were checked when each event was recorded. Each
 * event is replayed under the rule set it was taken under (rulesFor): a case open when
 * the law changed follows the rules in force on the day of each of its steps.
 */
export function replay(j: Jurisdiction, history: CaseHistory, cal: HolidayCalendar): WorkflowSnapshot {
  let snap = openSnapshot(rulesFor(j, history.receivedOn, history.receivedOn), history.receivedOn, cal);
  for (const event of history.events) {
    const profile = rulesFor(j, history.receivedOn, event.onDay);
    const rule = ruleFor(profile, event.action);
    const role = rule?.roles[0] ?? 'supervisor';
    const result = applyTransition(profile, snap, event, role, history.receivedOn, cal);
    if (!result.ok) throw new Error(`recorded history does not replay: ${result.message}`);
    snap = result.snapshot;
  }
  return snap;
}

export function computeClock(j: Jurisdiction, history: CaseHistory, cal: HolidayCalendar, asOf: Day): ClockView {
  return viewClock(rulesFor(j, history.receivedOn, asOf), replay(j, history, cal).clock, cal, asOf);
}
