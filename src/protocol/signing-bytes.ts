import type { Backend } from './backend.js';
import { concat, utf8, uuidBytes, uuidString } from './bytes.js';
import { inputInvalid } from './errors.js';
import { PROTOCOL_VERSION } from './labels.js';
import type { SignedKind } from './types.js';
import { protectionSignedNames } from './protection-signing.js';

// The exact bytes a staff member signs for each accountable action (PROTOCOL.md §8.3;
// signDetached prefixes the kind's label). Shared by the client that signs and the
// server that verifies against the registered key, so a server cannot attribute to a
// staff member an action they did not take, nor move a signature to another case,
// request, recipient or day. Every layout starts with the version byte, then fixed
// fields in a fixed order; ids are 16 raw bytes, variable text carries its length, and
// a ciphertext is bound by H(32, ciphertext) (BLAKE2b-256).

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const VERSION = Uint8Array.of(PROTOCOL_VERSION);

const digest = (be: Backend, bytes: Uint8Array) => be.blake2b(32, bytes);

/** u8(len) || ASCII: the enum names (actions, states, findings) are short ASCII. */
export function shortText(value: string): Uint8Array {
  const bytes = utf8(value);
  if (bytes.length > 0xff || !/^[\x20-\x7e]*$/.test(value)) throw inputInvalid();
  return concat(Uint8Array.of(bytes.length), bytes);
}

/** u16be(len) || UTF-8 */
function longText(value: string): Uint8Array {
  const bytes = utf8(value);
  if (bytes.length > 0xffff) throw inputInvalid();
  return concat(Uint8Array.of(bytes.length >> 8, bytes.length & 0xff), bytes);
}

export function dayBytes(day: string): Uint8Array {
  if (!DAY.test(day)) throw inputInvalid();
  return utf8(day);
}

/** 0x00, or 0x01 || messageId(16) || H(32, ciphertext): the notice a decision sends the denouncer. */
export function noticeBytes(be: Backend, notice: SignedNotice | null): Uint8Array {
  if (notice === null) return Uint8Array.of(0x00);
  const bound = 'digest' in notice ? notice.digest : noticeDigest(be, notice.ciphertext);
  if (bound.length !== 32) throw inputInvalid();
  return concat(Uint8Array.of(0x01), uuidBytes(notice.messageId), bound);
}

/**
 * The notice a decision sends: its ciphertext as the signer posts it, or, for a staff
 * client checking a decision recorded earlier, the H(32, ciphertext) the server stored
 * with it (a wrong digest fails the signature like a wrong ciphertext would).
 */
export type SignedNotice = { messageId: string; ciphertext: Uint8Array } | { messageId: string; digest: Uint8Array };

/** H(32, ciphertext): how a decision's signature binds the notice sent with it. */
export function noticeDigest(be: Backend, ciphertext: Uint8Array): Uint8Array {
  return digest(be, ciphertext);
}

/**
 * V || caseId(16) || recipientStaffId(16) || H(32, wrapped). For a key re-sealed at a
 * rotation, `wrapped` is given as the digest the grant signed (its origin, §8.3.12).
 */
export function grantSigningBytes(caseId: string, recipientId: string, wrapped: Uint8Array | { digest: Uint8Array }, be: Backend): Uint8Array {
  const bound = wrapped instanceof Uint8Array ? digest(be, wrapped) : wrapped.digest;
  if (bound.length !== 32) throw inputInvalid();
  return concat(VERSION, uuidBytes(caseId), uuidBytes(recipientId), bound);
}

/** V || caseId(16) || messageId(16) || H(32, ciphertext): a staff member's message to the denouncer. */
export function messageSigningBytes(caseId: string, messageId: string, ciphertext: Uint8Array, be: Backend): Uint8Array {
  return concat(VERSION, uuidBytes(caseId), uuidBytes(messageId), digest(be, ciphertext));
}

/**
 * V || subjectId(16) || requestId(16) || H(32, sealedReason). The subject is the case, or
 * the protection request whose details are asked for (the id in the case slot of §6.1).
 */
export function identityRequestSigningBytes(subjectId: string, requestId: string, reason: Uint8Array, be: Backend): Uint8Array {
  return concat(VERSION, uuidBytes(subjectId), uuidBytes(requestId), digest(be, reason));
}

/** V || requestId(16) || decision(1) || H(32, payload); 0x01 = approve (payload: the re-sealed share), 0x00 = refuse (the sealed reason). */
export function identityDecisionSigningBytes(requestId: string, approve: boolean, payload: Uint8Array, be: Backend): Uint8Array {
  return concat(VERSION, uuidBytes(requestId), Uint8Array.of(approve ? 0x01 : 0x00), digest(be, payload));
}

/** A workflow transition as its actor saw and decided it. */
export interface SignedTransition {
  caseId: string;
  action: string;
  /** The state the actor moved the case from, and the state it moves to. */
  from: string;
  to: string;
  onDay: string;
  /** The sealed reason, exactly as posted. */
  reason: Uint8Array;
  notice: SignedNotice | null;
  finding: string | null;
  extension: { complexity: string; days: number } | null;
  legalBasis: string | null;
  /**
   * Why a settlement goes on after a full withdrawal; null for every other step. Appended
   * only when present, so the bytes of every step signed before it existed are unchanged.
   */
  ground?: string | null;
  /**
   * What a conclusion recommends in numbers (money in đồng, land in m², persons); null for
   * every other step and for a conclusion that states none. Appended only when present.
   */
  figures?: SignedFigures | null;
}

/** The figures in their signed order (the same names as src/domain/conclusion-figures.ts: money in đồng, land in m², persons). */
export const SIGNED_FIGURES = [
  'recoveryMoney', 'recoveryLand', 'returnedMoney', 'returnedLand', 'sanctionPersons', 'sanctionOfficials', 'referredPersons',
] as const;
export type SignedFigures = Readonly<Record<(typeof SIGNED_FIGURES)[number], number>>;

/** 0x00 || u64be of each figure in conclusionFigureNames' order. The tag 0x00 cannot begin a ground (never empty), so the two never meet. */
export function figuresBytes(f: SignedFigures): Uint8Array {
  const out = new Uint8Array(1 + 8 * SIGNED_FIGURES.length);
  const view = new DataView(out.buffer);
  SIGNED_FIGURES.forEach((name, i) => {
    const v = f[name];
    if (!Number.isSafeInteger(v) || v < 0) throw inputInvalid();
    view.setUint32(1 + 8 * i, Math.floor(v / 0x1_0000_0000));
    view.setUint32(5 + 8 * i, v % 0x1_0000_0000);
  });
  return out;
}

/**
 * V || caseId(16) || action || from || to (each u8(len) || ASCII) || day(10) || H(32, reason)
 * || notice || finding (u8(len) || ASCII, empty if none) || extension (u8(len) || complexity
 * || u16be(days), both zero if none) || legalBasis (u16be(len) || UTF-8, empty if none)
 * [|| ground (u8(len) || ASCII, never empty), only when the step names one]
 * [|| 0x00 || figures (7 × u64be), only when a conclusion carries them].
 */
export function transitionSigningBytes(t: SignedTransition, be: Backend): Uint8Array {
  const days = t.extension?.days ?? 0;
  if (!Number.isInteger(days) || days < 0 || days > 0xffff) throw inputInvalid();
  // An empty ground would sign the same bytes as one more empty text: refused, so absent and present never meet.
  if (t.ground === '') throw inputInvalid();
  return concat(
    VERSION, uuidBytes(t.caseId), shortText(t.action), shortText(t.from), shortText(t.to), dayBytes(t.onDay),
    digest(be, t.reason), noticeBytes(be, t.notice), shortText(t.finding ?? ''),
    shortText(t.extension?.complexity ?? ''), Uint8Array.of(days >> 8, days & 0xff), longText(t.legalBasis ?? ''),
    t.ground ? shortText(t.ground) : new Uint8Array(0), t.figures ? figuresBytes(t.figures) : new Uint8Array(0),
  );
}

/** A head of agency's decision on a protection request (Law ch. VI). */
export interface SignedProtectionDecision {
  protectionRequestId: string;
  caseId: string;
  granted: boolean;
  onDay: string;
  /** The sealed record of the decision (reason, measures), exactly as posted. */
  reason: Uint8Array;
  notice: SignedNotice;
}

/** V || protectionRequestId(16) || caseId(16) || decision(1: 0x01 granted, 0x00 refused) || day(10) || H(32, reason) || notice */
export function protectionDecisionSigningBytes(d: SignedProtectionDecision, be: Backend): Uint8Array {
  return concat(
    VERSION, uuidBytes(d.protectionRequestId), uuidBytes(d.caseId), Uint8Array.of(d.granted ? 0x01 : 0x00),
    dayBytes(d.onDay), digest(be, d.reason), noticeBytes(be, d.notice),
  );
}

/**
 * An investigator's proposal that the head of agency extend or conclude a case, or the
 * head's answer declining one (LEGAL.md "Who decides": the verification team prepares,
 * the head decides). `action` is 'extend' or 'conclude' for a proposal, 'decline' for
 * the answer; finding and extension are what is proposed (none for a decline).
 */
export interface SignedProposal {
  caseId: string;
  proposalId: string;
  action: string;
  onDay: string;
  /** The sealed reasoning (or the decline's sealed reason), exactly as posted. */
  body: Uint8Array;
  finding: string | null;
  extension: { complexity: string; days: number } | null;
}

/**
 * V || caseId(16) || proposalId(16) || action (u8(len) || ASCII) || day(10) || H(32, body)
 * || finding (u8(len) || ASCII, empty if none) || extension (u8(len) || complexity || u16be(days), both zero if none).
 */
export function proposalSigningBytes(p: SignedProposal, be: Backend): Uint8Array {
  const days = p.extension?.days ?? 0;
  if (!Number.isInteger(days) || days < 0 || days > 0xffff) throw inputInvalid();
  return concat(
    VERSION, uuidBytes(p.caseId), uuidBytes(p.proposalId), shortText(p.action), dayBytes(p.onDay), digest(be, p.body),
    shortText(p.finding ?? ''), shortText(p.extension?.complexity ?? ''), Uint8Array.of(days >> 8, days & 0xff),
  );
}

/** What a staff layout names, read back from its bytes (ids as UUID strings). */
export interface SignedNames {
  /** The case (grant, message, transition, proposal), the subject (identity-request, rekey), the request (identity-decision), the protection request (protection-decision), the agency (reshare-plan, rotation) or the reshare (reshare-part). */
  first: string;
  /** The recipient, message, request, proposal, case, reshare (reshare-plan) or subject (reshare-part) that follows it; absent for a transition or decision. */
  second?: string;
  /** A decision's byte (identity-decision, protection-decision) or a transition's or proposal's action. */
  decision?: number;
  action?: string;
}

const FIXED_LENGTH: Partial<Record<SignedKind, number>> = { grant: 65, message: 65, 'identity-request': 65, 'identity-decision': 50, rotation: 161, rekey: 98 };

/**
 * Reads the names out of signed bytes of `kind`, for a verifier that holds only the bytes
 * (the audit log, §14): undefined when they are not that kind's layout. The offsets are
 * the layouts above; one place, so a layout change cannot leave its reader behind.
 */
export function signedNames(kind: SignedKind, bytes: Uint8Array): SignedNames | undefined {
  if (bytes[0] !== PROTOCOL_VERSION) return undefined;
  const fixed = FIXED_LENGTH[kind];
  if (fixed !== undefined && bytes.length !== fixed) return undefined;
  const id = (offset: number) => uuidString(bytes.subarray(offset, offset + 16));
  switch (kind) {
    case 'grant': case 'message': case 'identity-request':
      return { first: id(1), second: id(17) };
    case 'reshare-plan': case 'reshare-part':
      return bytes.length < 34 ? undefined : { first: id(1), second: id(17) };
    case 'identity-decision':
      return { first: id(1), decision: bytes[17]! };
    case 'rotation':
      return { first: id(1), second: id(17) };
    case 'rekey':
      return { first: id(2), second: id(18), decision: bytes[1]! };
    case 'transition': {
      const length = bytes[17];
      if (length === undefined || bytes.length < 18 + length) return undefined;
      return { first: id(1), action: new TextDecoder().decode(bytes.subarray(18, 18 + length)) };
    }
    case 'protection-decision':
      return bytes.length < 34 ? undefined : { first: id(1), second: id(17), decision: bytes[33]! };
    case 'protection-step': case 'protection-intake':
      return protectionSignedNames(kind, bytes);
    case 'proposal': {
      const length = bytes[33];
      if (length === undefined || bytes.length < 34 + length) return undefined;
      return { first: id(1), second: id(17), action: new TextDecoder().decode(bytes.subarray(34, 34 + length)) };
    }
    default:
      return undefined;
  }
}
