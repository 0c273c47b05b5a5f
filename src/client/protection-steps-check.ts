import {
  NOTIFIED_STEPS, PROTECTION_STEP_ROLES, protectionStepProblem, rulesInForce,
  type Jurisdiction, type ProtectionChannel, type ProtectionStanding, type ProtectionStep,
} from '../domain/index.js';
import { fromBase64Url, protectionIntakeSigningBytes, protectionStepSigningBytes, type Backend, type BundleContent } from '../protocol/index.js';
import type { CheckedDecision } from './staff-history.js';
import { bundleSigner } from './staff-signers.js';

// What a staff client believes of a protection after its decision (PROTOCOL.md §8.3.13–14),
// from the agency's verified bundles only. Each step is rebuilt from the request's id and
// case, its place in the list (seq) and the signature of the step before it, and must verify
// under a key the bundles list for its maker with a role that takes it, and be a step the
// rules in force on its day admit on the protection as the steps before it left it. The
// chain means a refused step breaks all that follow: a server that forges, drops from the
// middle, reorders or re-points a step shows a history the client refuses, and the client
// signs nothing on it. The intake officer's record of an urgent request is checked the same
// way; one recorded before records were signed is shown as unsigned. Pure: the caller fetches.

export interface ListedStep {
  seq: number; step: ProtectionStep; ground: string; onDay: string; by: string;
  record: string | null; noticeMessageId: string | null; noticeDigest: string | null; signature: string;
}

export interface ListedIntakeRecord { by: string | null; threshold: number; detailsDigest: string | null; signature: string | null; confirmDueOn: string | null }

export interface CheckedStep extends ListedStep { authenticity: 'signed' | 'refused'; problem?: string }

export interface CheckedIntake { authenticity: 'online' | 'signed' | 'unsigned' | 'refused'; recordedBy: string | null; problem?: string }

export interface CheckedSteps {
  steps: CheckedStep[];
  /** Where the signed steps leave the protection; the server's endedOn / confirmedOn are not believed. */
  standing: ProtectionStanding;
  endedOn: string | null;
  confirmedOn: string | null;
  /** False once a step is refused: nothing may be signed on the chain. */
  intact: boolean;
  /** What the next step signs over: its seq and the signature before it. */
  next: { seq: number; previous: Uint8Array | null };
  intake: CheckedIntake;
}

export interface StepsInput {
  protectionRequestId: string; caseId: string; requestedOn: string; channel: ProtectionChannel;
  status: 'pending' | 'granted' | 'refused'; decidedOn: string | null; checked: CheckedDecision;
  intakeRecord: ListedIntakeRecord | null; steps: readonly ListedStep[];
}

const decoded = (text: string | null): Uint8Array | null => {
  if (text === null) return null;
  try { return fromBase64Url(text); } catch { return null; }
};

export function checkIntakeRecord(be: Backend, bundles: readonly BundleContent[], r: StepsInput): CheckedIntake {
  const rec = r.intakeRecord;
  if (r.channel === 'online') return rec === null ? { authenticity: 'online', recordedBy: null } : { authenticity: 'refused', recordedBy: null, problem: 'an online request with an intake record' };
  if (rec === null) return { authenticity: 'refused', recordedBy: null, problem: `a ${r.channel} request with no intake record` };
  if (rec.signature === null && rec.by === null && rec.detailsDigest === null) return { authenticity: 'unsigned', recordedBy: null, problem: 'recorded before intake records were signed' };
  const [signature, digest] = [decoded(rec.signature), decoded(rec.detailsDigest)];
  if (!signature || !digest || rec.by === null) return { authenticity: 'refused', recordedBy: null, problem: 'the signed fields are incomplete' };
  let message: Uint8Array;
  try {
    message = protectionIntakeSigningBytes({
      protectionRequestId: r.protectionRequestId, caseId: r.caseId, channel: r.channel, onDay: r.requestedOn, threshold: rec.threshold, details: { digest },
    }, be);
  } catch {
    return { authenticity: 'refused', recordedBy: null, problem: 'the signed fields are malformed' };
  }
  const signer = bundleSigner(be, bundles, { staffId: rec.by, roles: ['intake'], onDay: r.requestedOn, kind: 'protection-intake', signature, message });
  return typeof signer === 'string' ? { authenticity: 'refused', recordedBy: null, problem: signer } : { authenticity: 'signed', recordedBy: signer.staffId };
}

/** Checks one listed step at `seq` after `previous`; null when it holds, else why not. */
function stepProblem(be: Backend, bundles: readonly BundleContent[], jurisdiction: Jurisdiction, r: StepsInput, s: ListedStep, seq: number, previous: Uint8Array | null, standing: ProtectionStanding): string | null {
  if (s.seq !== seq) return `listed at ${seq} as step ${s.seq}`;
  const [signature, record] = [decoded(s.signature), decoded(s.record)];
  const digest = decoded(s.noticeDigest);
  if (s.record === null) return 'its sealed record was purged with the case: the signature can no longer be checked';
  if (!signature || !record) return 'the signed fields are incomplete';
  if ((s.noticeMessageId === null) !== (digest === null)) return 'the notice is incomplete';
  if (NOTIFIED_STEPS.includes(s.step) && s.noticeMessageId === null) return 'the protected person was sent no notice (Art. 54(3))';
  let message: Uint8Array;
  try {
    message = protectionStepSigningBytes({
      protectionRequestId: r.protectionRequestId, caseId: r.caseId, seq, previous, step: s.step, ground: s.ground, onDay: s.onDay, record,
      notice: s.noticeMessageId === null ? null : { messageId: s.noticeMessageId, digest: digest! },
    }, be);
  } catch {
    return 'the signed fields are malformed';
  }
  const roles = PROTECTION_STEP_ROLES[s.step];
  if (!roles) return `no such step ${String(s.step)}`;
  const signer = bundleSigner(be, bundles, { staffId: s.by, roles, onDay: s.onDay, kind: 'protection-step', signature, message });
  if (typeof signer === 'string') return signer;
  return protectionStepProblem(rulesInForce(jurisdiction, s.onDay), standing, { step: s.step, ground: s.ground, onDay: s.onDay });
}

export function checkProtectionSteps(be: Backend, bundles: readonly BundleContent[], jurisdiction: Jurisdiction, r: StepsInput): CheckedSteps {
  // Only a decision whose signature verified counts as applied: steps on anything else are refused.
  const granted = r.checked.authenticity === 'signed' && r.status === 'granted';
  const standing: ProtectionStanding = {
    status: granted ? 'granted' : r.status === 'granted' ? 'pending' : r.status, decidedOn: granted ? r.decidedOn : null,
    channel: r.channel, ended: false, confirmed: false, lastStepOn: null,
  };
  const out: CheckedStep[] = [];
  let previous: Uint8Array | null = null;
  let intact = true;
  let endedOn: string | null = null;
  let confirmedOn: string | null = null;
  r.steps.forEach((s, i) => {
    const problem = intact ? stepProblem(be, bundles, jurisdiction, r, s, i + 1, previous, standing) : 'a step before it was refused: the chain is broken';
    if (problem !== null) {
      intact = false;
      out.push({ ...s, authenticity: 'refused', problem });
      return;
    }
    out.push({ ...s, authenticity: 'signed' });
    previous = fromBase64Url(s.signature);
    standing.lastStepOn = s.onDay;
    if (s.step === 'end') { standing.ended = true; endedOn = s.onDay; }
    if (s.step === 'confirm_writing') { standing.confirmed = true; confirmedOn = s.onDay; }
  });
  return { steps: out, standing, endedOn, confirmedOn, intact, next: { seq: r.steps.length + 1, previous }, intake: checkIntakeRecord(be, bundles, r) };
}
