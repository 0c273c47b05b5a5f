import type { Backend } from './backend.js';
import { concat, uuidBytes, uuidString } from './bytes.js';
import { inputInvalid } from './errors.js';
import { PROTOCOL_VERSION } from './labels.js';
import { dayBytes, noticeBytes, shortText, type SignedNotice } from './signing-bytes.js';

// The bytes signed over a protection after its decision (PROTOCOL.md §8.3.13–14): each
// later step of an applied protection (a measure changed, added or ended, a written
// confirmation of an urgent request received) and the intake officer's record of an
// urgent request made by phone or in person. Steps are chained: each binds its place
// (seq) and the signature of the step before it, so a server can neither move a step to
// another request or case, nor reorder the history, nor slip a step of its own between
// two others.

const VERSION = Uint8Array.of(PROTOCOL_VERSION);
const NO_PREVIOUS = new Uint8Array(32);

/** One step of a protection after its request (Law Art. 50(3), 54). */
export interface SignedProtectionStep {
  protectionRequestId: string;
  caseId: string;
  /** 1 for the first step of the request, then one more for each. */
  seq: number;
  /** The 64-byte signature of step seq − 1; null for the first step. */
  previous: Uint8Array | null;
  /** change | add | end | confirm_writing (src/domain/protection-steps.ts). */
  step: string;
  /** The limb of the provision the step rests on; the empty text where the step names none. */
  ground: string;
  onDay: string;
  /** The sealed record of the step (what changed, why; or what the letter said), exactly as posted. */
  record: Uint8Array;
  /** The notice sent to the protected person with it; null when none is sent. */
  notice: SignedNotice | null;
}

/**
 * V || protectionRequestId(16) || caseId(16) || u16be(seq) || prev(32) || sh(step) || sh(ground)
 * || day(10) || H(32, record) || notice, where prev = H(32, previous signature), or 32 zero
 * bytes for the first step.
 */
export function protectionStepSigningBytes(s: SignedProtectionStep, be: Backend): Uint8Array {
  if (!Number.isInteger(s.seq) || s.seq < 1 || s.seq > 0xffff) throw inputInvalid();
  if ((s.seq === 1) !== (s.previous === null) || (s.previous !== null && s.previous.length !== 64)) throw inputInvalid();
  const prev = s.previous === null ? NO_PREVIOUS : be.blake2b(32, s.previous);
  return concat(
    VERSION, uuidBytes(s.protectionRequestId), uuidBytes(s.caseId), Uint8Array.of(s.seq >> 8, s.seq & 0xff), prev,
    shortText(s.step), shortText(s.ground), dayBytes(s.onDay), be.blake2b(32, s.record), noticeBytes(be, s.notice),
  );
}

/** An intake officer's record of an urgent protection request made by phone or in person (§5.4). */
export interface SignedProtectionIntake {
  protectionRequestId: string;
  caseId: string;
  /** phone | in_person */
  channel: string;
  /** The day it was recorded: the request's day. */
  onDay: string;
  /** The custodians' threshold m the details were split at. */
  threshold: number;
  /** The sealed details as posted, or, for a reader that holds only the digest the server stored, H(32, sealedDetails). */
  details: Uint8Array | { digest: Uint8Array };
}

/** V || protectionRequestId(16) || caseId(16) || sh(channel) || day(10) || u8(m) || H(32, sealedDetails) */
export function protectionIntakeSigningBytes(r: SignedProtectionIntake, be: Backend): Uint8Array {
  if (!Number.isInteger(r.threshold) || r.threshold < 1 || r.threshold > 0xff) throw inputInvalid();
  const digest = r.details instanceof Uint8Array ? be.blake2b(32, r.details) : r.details.digest;
  if (digest.length !== 32) throw inputInvalid();
  return concat(VERSION, uuidBytes(r.protectionRequestId), uuidBytes(r.caseId), shortText(r.channel), dayBytes(r.onDay), Uint8Array.of(r.threshold), digest);
}

/** What the audit log's verifier reads from these layouts: the request, its case and, for a step, which step. */
export function protectionSignedNames(kind: 'protection-step' | 'protection-intake', bytes: Uint8Array): { first: string; second: string; action?: string } | undefined {
  if (bytes[0] !== PROTOCOL_VERSION || bytes.length < 34) return undefined;
  const names = { first: uuidString(bytes.subarray(1, 17)), second: uuidString(bytes.subarray(17, 33)) };
  if (kind === 'protection-intake') return names;
  const length = bytes[67];
  if (length === undefined || bytes.length < 68 + length) return undefined;
  return { ...names, action: new TextDecoder().decode(bytes.subarray(68, 68 + length)) };
}
