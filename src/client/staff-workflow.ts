import {
  getJurisdiction, rulesFor, stateAfter, utcToDay, type Action, type CaseState, type Complexity, type StepGround, type ConclusionFigures,
  type Finding, type Jurisdiction, type ProtectionChannel,
  type JurisdictionProfile,
} from '../domain/index.js';
import {
  fromBase64Url, loadBackend, messageSigningBytes, openMessage, sealMessage, signDetached, toBase64Url, transitionSigningBytes,
  type Backend, type BundleContent, type CaseContext, type StaffKeys,
} from '../protocol/index.js';
import { concat, uuidBytes, uuidString } from '../protocol/bytes.js';
import { TiplineCryptoError } from '../protocol/errors.js';
import { ApiClientError } from './http.js';
import { encodeJson, type MessageBody } from './plaintext.js';
import type { ListedIntakeRecord, ListedStep } from './protection-steps-check.js';
import type { StaffClient } from './staff.js';
import { checkHistory, type CheckedHistory, type ListedDecision, type ListedEvent } from './staff-history.js';
import { signedNames, type SignedName } from './staff-names.js';
import { StaffTrustError } from './staff-trust.js';

// Workflow decisions sealed on the staff member's machine: the reason for a transition or
// a protection decision, and the notice the law owes the denouncer (Art. 9.1.c), are
// encrypted under the case's content key and the notice is signed by its author, exactly
// like a reply. The transition itself is signed (PROTOCOL.md §8.3, transition) over the
// states its actor saw and chose, the day and the sealed bytes, so a server cannot
// record a decision its actor did not take. The server stores ciphertext and checks
// only the rules it can see.
//
// A sealed reason is reasonId (16 bytes) || a message sealed with id = reasonId and
// direction 'to_denouncer': the id travels with the bytes because an event's reason is
// stored on its own, with no message row to name it.

export interface TransitionInput {
  action: Action;
  /** Why, for the file; kept sealed, never on the denouncer's public timeline. */
  reason: string;
  /** The notice's text; a default for the action when a notice is owed and none is given. */
  notice?: string | undefined;
  onDay?: string | undefined;
  legalBasis?: string | undefined;
  finding?: Finding | undefined;
  extension?: { complexity: Complexity; days: number } | undefined;
  /** Why a settlement goes on after a full withdrawal (continue_settlement). */
  ground?: StepGround | undefined;
  /** What a conclusion recommends in numbers (src/domain/conclusion-figures.ts), signed with it. */
  figures?: ConclusionFigures | undefined;
  /** Sign on top of unsigned events recorded before signatures were kept with them (see signedStates). */
  acceptLegacy?: boolean | undefined;
}

export interface TransitionOutcome {
  caseId: string; seq: number; action: Action; from: CaseState; to: CaseState; onDay: string;
  legalBasis: string; due: string | null; late: boolean; noticeMessageId: string | null;
}

/** A protection request as the server lists it; `decision` is checked before it is shown (staff-protection.ts). */
export interface ProtectionRequestSummary {
  protectionRequestId: string; caseId: string; urgent: boolean; requestedOn: string; dueOn: string;
  /** online: the denouncer's own; phone or in_person: an urgent request an intake officer recorded (Art. 50(3)), to be confirmed in writing. */
  channel?: ProtectionChannel;
  status: 'pending' | 'granted' | 'refused'; decidedOn: string | null; decision: ListedDecision | null;
  /** The server's word on where the steps left it: believed only as checkProtectionSteps confirms it. */
  endedOn: string | null; confirmedOn: string | null;
  /** The intake officer's signed record (§8.3.14); null for a request made online. */
  intakeRecord: ListedIntakeRecord | null;
  /** The signed steps after the request (§8.3.13), in seq order. */
  steps: ListedStep[];
}

export interface SealedNotice { messageId: string; ciphertext: string; signature: string }

/** Default notice texts, Vietnamese then English, one per decision the denouncer is told of. */
export const defaultNotices: Readonly<Record<string, string>> = {
  transfer: 'Vụ việc của bạn đã được chuyển đến cơ quan có thẩm quyền. / Your case has been transferred to the competent agency.',
  not_accept: 'Vụ việc của bạn không được thụ lý. / Your case has not been accepted.',
  accept: 'Vụ việc của bạn đã được thụ lý. / Your case has been accepted.',
  extend: 'Thời hạn giải quyết vụ việc của bạn đã được gia hạn. / The time limit for settling your case has been extended.',
  suspend: 'Việc giải quyết vụ việc của bạn đã được tạm đình chỉ. / The settlement of your case has been suspended.',
  resume: 'Việc giải quyết vụ việc của bạn đã được tiếp tục. / The settlement of your case has resumed.',
  terminate: 'Việc giải quyết vụ việc của bạn đã được đình chỉ. / The settlement of your case has been terminated.',
  continue_settlement: 'Bạn đã rút tố cáo, nhưng theo quy định, vụ việc vẫn phải được tiếp tục giải quyết. / You withdrew your denunciation, but the law requires the settlement of your case to continue.',
  conclude: 'Đã có kết luận nội dung tố cáo của bạn. / A conclusion has been reached on your case.',
  answer: 'Cơ quan đã trả lời kiến nghị, phản ánh của bạn. / The agency has answered your petition.',
  request_assessment: 'Cơ quan đã trưng cầu giám định để làm rõ nội dung tố cáo; thời gian giám định không tính vào thời hạn giải quyết. / An expert assessment has been requested; its time does not count against the time limit.',
  'protection.granted': 'Yêu cầu bảo vệ của bạn đã được chấp nhận. / Your request for protection has been granted.',
  'protection.refused': 'Yêu cầu bảo vệ của bạn không được chấp nhận. / Your request for protection has been refused.',
};

const text = (s: string) => new TextEncoder().encode(s);

export function sealReason(be: Backend, ctx: CaseContext, contentKey: Uint8Array, reason: string): Uint8Array {
  const reasonId = crypto.randomUUID();
  return concat(uuidBytes(reasonId), sealMessage(be, ctx, contentKey, { messageId: reasonId, direction: 'to_denouncer', plaintext: text(reason) }));
}

/** The text of a sealed reason (sealReason's layout); throws open_failed when it does not open under the case key. */
export function openReason(be: Backend, ctx: CaseContext, contentKey: Uint8Array, sealed: Uint8Array): string {
  if (sealed.length < 16) throw new TiplineCryptoError('open_failed');
  const reasonId = uuidString(sealed.subarray(0, 16));
  return new TextDecoder('utf-8', { fatal: true }).decode(openMessage(be, ctx, contentKey, { messageId: reasonId, direction: 'to_denouncer', ciphertext: sealed.subarray(16) }));
}

/** A notice to the denouncer, sealed and signed as `reply` does, tagged with the decision it reports. */
export function sealNotice(
  be: Backend, ctx: CaseContext, contentKey: Uint8Array, keys: StaffKeys, notice: { text: string; transition: string; on: string },
): SealedNotice {
  const messageId = crypto.randomUUID();
  const body: MessageBody = { text: notice.text, attachments: [], notice: { transition: notice.transition, on: notice.on } };
  const ciphertext = sealMessage(be, ctx, contentKey, { messageId, direction: 'to_denouncer', plaintext: encodeJson(body) });
  const signature = signDetached(be, 'message', messageSigningBytes(ctx.caseId, messageId, ciphertext, be), keys.signSecretKey);
  return { messageId, ciphertext: toBase64Url(ciphertext), signature: toBase64Url(signature) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A case id from either its id or its public number (TL-…), looked up among the cases the caller may see. */
export async function resolveCaseId(c: Pick<StaffClient, 'cases'>, caseIdOrNumber: string): Promise<string> {
  if (UUID.test(caseIdOrNumber)) return caseIdOrNumber;
  for (let cursor: string | undefined; ;) {
    const page = await c.cases({ limit: 200, cursor });
    const found = page.cases.find((k) => k.publicNumber === caseIdOrNumber);
    if (found) return found.caseId;
    if (!page.nextCursor) throw new ApiClientError(404, 'not_found', `no case ${caseIdOrNumber} among the cases you may see`);
    cursor = page.nextCursor;
  }
}

/**
 * The jurisdiction of an agency — its workflow rule sets, by the day each takes effect —
 * as its newest verified bundle signs it, never as the server says: a server that named
 * another law would have clients check steps by rules the agency does not apply.
 */
export function signedJurisdiction(bundles: readonly BundleContent[]): Jurisdiction {
  const newest = bundles.reduce<BundleContent | undefined>((a, b) => (a && a.serial > b.serial ? a : b), undefined);
  const jurisdiction = newest?.jurisdiction === undefined ? undefined : getJurisdiction(newest.jurisdiction);
  if (!jurisdiction) {
    throw new StaffTrustError('jurisdiction_unsigned',
      `Gói khóa của cơ quan không ghi luật áp dụng${newest?.jurisdiction ? ` mà máy này biết (${newest.jurisdiction})` : ''}; không kiểm tra được quy trình. ` +
      'Quản trị viên cần ký gói khóa mới (tipline bundle publish). / ' +
      `The agency's key bundle names no jurisdiction${newest?.jurisdiction ? ` this client knows (${newest.jurisdiction})` : ''}, so its workflow cannot be checked: ` +
      'the admin must publish a new bundle (tipline bundle publish).');
  }
  return jurisdiction;
}

/** GET /v1/staff/cases/:id/workflow: the server's word, until checkHistory has been through it. */
export interface WorkflowView {
  caseId: string; agencyId: string; receivedOn: string; state: string; allowed: string[]; clock: unknown; events: ListedEvent[];
}

/**
 * A case's workflow with every event checked against the agency's verified bundles
 * (staff-history.ts), and the names those bundles sign for its signers. The server's
 * `state` and `allowed` are shown beside the checked history, never used for signing.
 * `profile` is the rule set the case's next step is taken under today.
 */
export async function checkedWorkflow(c: StaffClient, caseId: string): Promise<{
  view: WorkflowView; history: CheckedHistory; jurisdiction: Jurisdiction; profile: JurisdictionProfile; names: Map<string, SignedName>;
}> {
  const view = await c.http.get<WorkflowView>(`/v1/staff/cases/${caseId}/workflow`);
  if (view.caseId !== caseId) throw new StaffTrustError('history_refused', `the server answered for case ${caseId} with the workflow of ${view.caseId}`);
  const [bundles, be] = await Promise.all([c.verifiedBundles(view.agencyId), loadBackend()]);
  const jurisdiction = signedJurisdiction(bundles);
  const history = checkHistory(be, { caseId, jurisdiction, receivedOn: view.receivedOn, events: view.events, bundles });
  const profile = rulesFor(jurisdiction, view.receivedOn, utcToDay(Date.now()));
  return { view, history, jurisdiction, profile, names: signedNames(bundles) };
}

/**
 * The states a transition is signed over: where the checked history leads, and where the
 * profile's rule takes it from there. Never the server's word for the state: a server
 * that shows a false state gets a signature that does not verify against the one it
 * holds. A history with a refused event is not signed on (history_refused). Nor, unless
 * the signer says so, is one with legacy events (history_unverified): a database writer
 * can strip every signature of a case and add unsigned rows, which then read as legacy,
 * so only someone who knows the case predates signed events may build on them.
 */
export function signedStates(
  profile: JurisdictionProfile, history: CheckedHistory, action: Action, opts: { acceptLegacy?: boolean | undefined } = {},
): { from: CaseState; to: CaseState } {
  if (history.refused > 0) {
    const seqs = history.events.filter((e) => e.authenticity === 'refused').map((e) => e.seq).join(', ');
    throw new StaffTrustError('history_refused',
      `Lịch sử xử lý vụ việc ${history.caseId} có sự kiện không xác thực được (số ${seqs}); không ký chuyển trạng thái nào trên lịch sử này. / ` +
      `The workflow history of case ${history.caseId} has events that do not verify (seq ${seqs}): no transition is signed on top of it; ` +
      'see `tipline case history` and report it to your agency.');
  }
  if (history.legacy > 0 && !opts.acceptLegacy) {
    throw new StaffTrustError('history_unverified',
      `Lịch sử xử lý vụ việc ${history.caseId} có ${history.legacy} sự kiện không có chữ ký (ghi trước khi chữ ký được lưu kèm sự kiện, hoặc bị sửa trong cơ sở dữ liệu). / ` +
      `The workflow history of case ${history.caseId} has ${history.legacy} unsigned event(s): recorded before signatures were kept with events, ` +
      'or stripped in the database. Check them (`tipline case history`) and, if the case predates signed events, sign on top with --accept-unverified-history.');
  }
  const snap = history.snapshot;
  const rule = profile.transitions.find((r) => r.action === action);
  return { from: snap.state, to: rule ? stateAfter(rule, snap) : snap.state };
}

/**
 * Checks the case's history, opens the case key here, seals the reason (and the notice
 * when one is owed), signs over the checked history and posts the transition.
 */
export async function transitionCase(c: StaffClient, caseId: string, input: TransitionInput, keys: StaffKeys): Promise<TransitionOutcome> {
  const be = await loadBackend();
  const { view, history, jurisdiction } = await checkedWorkflow(c, caseId);
  const onDay = input.onDay ?? utcToDay(Date.now());
  // The step is taken under the rules in force on its day, as the server applies them.
  const profile = rulesFor(jurisdiction, view.receivedOn, onDay);
  const { from, to } = signedStates(profile, history, input.action, { acceptLegacy: input.acceptLegacy });
  const { detail, contentKey } = await openCaseKey(c, caseId, keys);
  try {
    if (detail.agencyId !== view.agencyId) throw new StaffTrustError('history_refused', `the server names two agencies for case ${caseId}`);
    const ctx = { agencyId: detail.agencyId, caseId };
    const owed = profile.transitions.some((r) => r.action === input.action && r.notice);
    const noticeText = input.notice ?? defaultNotices[input.action];
    const notice = owed || input.notice !== undefined
      ? sealNotice(be, ctx, contentKey, keys, { text: noticeText ?? input.action, transition: input.action, on: onDay })
      : undefined;
    const reason = sealReason(be, ctx, contentKey, input.reason);
    const signed = transitionSigningBytes({
      caseId, action: input.action, from, to, onDay, reason,
      notice: notice ? { messageId: notice.messageId, ciphertext: fromBase64Url(notice.ciphertext) } : null,
      finding: input.finding ?? null, extension: input.extension ?? null, legalBasis: input.legalBasis || null, ground: input.ground ?? null,
      figures: input.figures ?? null,
    }, be);
    return await c.http.post<TransitionOutcome>(`/v1/staff/cases/${caseId}/transitions`, {
      action: input.action, reason: toBase64Url(reason), onDay,
      signature: toBase64Url(signDetached(be, 'transition', signed, keys.signSecretKey)),
      ...(input.legalBasis ? { legalBasis: input.legalBasis } : {}),
      ...(input.finding ? { finding: input.finding } : {}),
      ...(input.extension ? { extension: input.extension } : {}),
      ...(input.ground ? { ground: input.ground } : {}),
      ...(input.figures ? { figures: input.figures } : {}),
      ...(notice ? { notice } : {}),
    });
  } finally {
    contentKey.fill(0);
  }
}

/** The case key, or a refusal that says what to do: without a grant nothing can be sealed for the case. */
export async function openCaseKey(c: StaffClient, caseId: string, keys: StaffKeys) {
  try {
    return await c.openCase(caseId, keys);
  } catch (err) {
    if (err instanceof ApiClientError && err.code === 'no_key') {
      throw new ApiClientError(403, 'no_key', `you hold no key for case ${caseId}, so its reason and notice cannot be sealed; ask a colleague who holds one to grant it to you (tipline case assign)`);
    }
    throw err;
  }
}
