import { utcToDay } from '../domain/index.js';
import { constantTimeEqual } from '../protocol/bytes.js';
import { fromBase64Url, loadBackend, protectionDecisionSigningBytes, signDetached, toBase64Url, type StaffKeys } from '../protocol/index.js';
import { ApiClientError } from './http.js';
import { checkProtectionDecision, type CheckedDecision } from './staff-history.js';
import { StaffTrustError } from './staff-trust.js';
import { protectionDetailsContext } from './protection-context.js';
import type { StaffClient } from './staff.js';
import { identityRequest, identityRequests, openReleased, sendRequest, type IdentityRequest } from './staff-identity.js';
import { defaultNotices, openCaseKey, sealNotice, sealReason, signedJurisdiction, type ProtectionRequestSummary } from './staff-workflow.js';
import { checkProtectionSteps, type CheckedSteps } from './protection-steps-check.js';

// The supervisor's side of a protection request's details (Law ch. VI). The details are
// sealed by the denouncer like an identity block, bound to the protection request
// (protectionDetailsContext); a supervisor asks the custodians holding its shares to
// release them, exactly as an investigator asks for an identity, and opens them here
// once m custodians have re-sealed their shares. Custodians decide with approveIdentity
// and refuseIdentity (staff-identity.ts), which work for either subject. The head of
// agency's decision is sealed and signed here (PROTOCOL.md §8.3, protection-decision).

export interface ProtectionDecisionInput {
  decision: 'granted' | 'refused';
  reason: string;
  /** For a grant: the protection measures and the body responsible for them (Art. 51). */
  measures?: string | undefined;
  responsibleBody?: string | undefined;
  notice?: string | undefined;
  onDay?: string | undefined;
}

/**
 * A request whose recorded decision and later steps have been checked: `status` is shown as
 * decided only when `checked` says 'signed', and ended or confirmed only as `history` says.
 */
export interface CheckedProtectionRequest extends ProtectionRequestSummary { checked: CheckedDecision; history: CheckedSteps }

export interface ProtectionRequestView extends CheckedProtectionRequest {
  agencyId: string; hasDetails: boolean; threshold: number; custodians: string[];
}

/** What the denouncer's page seals (src/web/workflow-client.ts); readers keep unknown fields. */
export interface ProtectionDetails { reasons?: string; measures?: string; urgent?: boolean; [field: string]: unknown }

/** Each request with its decision and steps checked against the agency's verified bundles (staff-history.ts, protection-steps-check.ts). */
async function checked<R extends ProtectionRequestSummary>(c: StaffClient, agencyId: string, requests: R[]): Promise<(R & { checked: CheckedDecision; history: CheckedSteps })[]> {
  if (requests.length === 0) return [];
  const [be, bundles] = await Promise.all([loadBackend(), c.verifiedBundles(agencyId)]);
  const jurisdiction = signedJurisdiction(bundles);
  return requests.map((r) => {
    const decision = checkProtectionDecision(be, bundles, r);
    return { ...r, checked: decision, history: checkProtectionSteps(be, bundles, jurisdiction, { ...r, channel: r.channel ?? 'online', checked: decision }) };
  });
}

export async function protectionRequest(c: StaffClient, protectionRequestId: string): Promise<ProtectionRequestView> {
  const view = await c.http.get<Omit<ProtectionRequestView, 'checked'>>(`/v1/staff/protection/${protectionRequestId}`);
  if (view.protectionRequestId !== protectionRequestId) throw new StaffTrustError('signature_invalid', `the server answered for protection request ${protectionRequestId} with another request`);
  return (await checked(c, view.agencyId, [view]))[0]!;
}

/** Asks the custodians holding the request's shares to release its details to me (supervisor); returns the ask's id. */
export async function requestProtectionDetails(c: StaffClient, protectionRequestId: string, reason: string, keys: StaffKeys): Promise<string> {
  const p = await protectionRequest(c, protectionRequestId);
  if (!p.hasDetails) throw new ApiClientError(409, 'conflict', 'the details of this protection request have been purged');
  return sendRequest(
    c, `/v1/staff/protection/${p.protectionRequestId}/details-requests`, protectionDetailsContext(p.agencyId, p.protectionRequestId), p.custodians, reason, keys,
  );
}

/** My asks for this protection request's details, an approved one first, then newest first (without the sealed details). */
export async function protectionDetailsRequests(c: StaffClient, protectionRequestId: string): Promise<IdentityRequest[]> {
  const { requests } = await identityRequests(c);
  const mine = requests.filter((r) => r.subject === 'protection' && r.protectionRequestId === protectionRequestId && r.requesterId === c.session.staffId);
  return mine.sort((a, b) => Number(b.state === 'approved') - Number(a.state === 'approved') || b.createdAt.localeCompare(a.createdAt));
}

/** Fetches an ask with its sealed details (the server records this as a reveal once approved). */
export function protectionDetailsRequest(c: StaffClient, askId: string): Promise<IdentityRequest> {
  return identityRequest(c, askId);
}

/**
 * A request an intake officer recorded by phone or in person carries their signature over
 * H(32, sealed details) (§8.3.14): the block opened must be that one. Custodians' keys are
 * public, so without this a server could put in a block and shares of its own making,
 * which would open cleanly. A request made online has no such record (the denouncer signs
 * nothing) and is opened as sealed.
 */
async function checkRecordedDetails(c: StaffClient, protectionRequestId: string, sealed: string | null): Promise<void> {
  const request = await protectionRequest(c, protectionRequestId);
  if ((request.channel ?? 'online') === 'online' || sealed === null) return;
  const digest = request.history.intake.authenticity === 'signed' ? request.intakeRecord?.detailsDigest : undefined;
  const be = await loadBackend();
  if (!digest || !constantTimeEqual(be.blake2b(32, fromBase64Url(sealed)), fromBase64Url(digest))) {
    throw new StaffTrustError('signature_invalid', `the details of protection request ${protectionRequestId} are not the ones its intake officer signed: nothing was opened`);
  }
}

/**
 * Combines the released shares and opens the details on this machine. Fails closed
 * (open_failed) with fewer than m genuine shares, or shares of anything else.
 */
export async function readProtectionDetails(c: StaffClient, r: IdentityRequest, keys: StaffKeys): Promise<ProtectionDetails> {
  if (r.subject !== 'protection' || !r.protectionRequestId) throw new ApiClientError(409, 'wrong_subject', 'this request is not for protection details');
  await checkRecordedDetails(c, r.protectionRequestId, r.sealedDetails);
  const opened = await openReleased(r, r.sealedDetails, keys);
  const details: unknown = JSON.parse(new TextDecoder().decode(opened));
  opened.fill(0);
  if (typeof details !== 'object' || details === null || Array.isArray(details)) throw new ApiClientError(422, 'bad_details', 'the details are not a JSON object');
  return details as ProtectionDetails;
}

/** Your agency's protection requests, each decision checked. */
export async function protectionRequests(c: StaffClient, status?: ProtectionRequestSummary['status']): Promise<CheckedProtectionRequest[]> {
  const { requests } = await c.http.get<{ requests: ProtectionRequestSummary[] }>(`/v1/staff/protection${status ? `?status=${status}` : ''}`);
  return checked(c, c.session.agencyId, requests);
}

/**
 * One case's protection requests, each decision and chain checked (supervisors, and intake
 * officers, who record the written confirmation); a request of another case is refused.
 */
export async function caseProtectionRequests(c: StaffClient, caseId: string): Promise<CheckedProtectionRequest[]> {
  const { requests } = await c.http.get<{ requests: ProtectionRequestSummary[] }>(`/v1/staff/protection?caseId=${encodeURIComponent(caseId)}`);
  if (requests.some((r) => r.caseId !== caseId)) throw new StaffTrustError('signature_invalid', `the server answered for case ${caseId} with another case's protection request`);
  return checked(c, c.session.agencyId, requests);
}

/**
 * Grants or refuses a protection request (Art. 51–52): the reason is sealed, the denouncer
 * gets a signed notice, and the decision is signed over the request, its case, the day
 * and both sealed texts, so it cannot be replayed onto another request or case.
 */
export async function decideProtection(c: StaffClient, requestId: string, input: ProtectionDecisionInput, keys: StaffKeys): Promise<ProtectionRequestSummary> {
  const be = await loadBackend();
  const request = (await protectionRequests(c)).find((r) => r.protectionRequestId === requestId);
  if (!request) throw new ApiClientError(404, 'not_found', `no protection request ${requestId} in your agency`);
  const { detail, contentKey } = await openCaseKey(c, request.caseId, keys);
  try {
    const ctx = { agencyId: detail.agencyId, caseId: request.caseId };
    const onDay = input.onDay ?? utcToDay(Date.now());
    const transition = `protection.${input.decision}`;
    const notice = sealNotice(be, ctx, contentKey, keys, { text: input.notice ?? protectionDecisionNotice(input), transition, on: onDay });
    const reason = sealReason(be, ctx, contentKey, protectionRecord(input));
    const signed = protectionDecisionSigningBytes({
      protectionRequestId: request.protectionRequestId, caseId: request.caseId, granted: input.decision === 'granted', onDay, reason,
      notice: { messageId: notice.messageId, ciphertext: fromBase64Url(notice.ciphertext) },
    }, be);
    return await c.http.post<ProtectionRequestSummary>(`/v1/staff/protection/${requestId}/decision`, {
      decision: input.decision, reason: toBase64Url(reason), notice, onDay,
      signature: toBase64Url(signDetached(be, 'protection-decision', signed, keys.signSecretKey)),
    });
  } finally {
    contentKey.fill(0);
  }
}

/**
 * The default notice: the decision, then what the denouncer must know of it (measures, or the
 * reasons for a refusal). Exported so that a form can show it, editable, before it is sealed.
 */
export function protectionDecisionNotice(input: Pick<ProtectionDecisionInput, 'decision' | 'reason' | 'measures' | 'responsibleBody'>): string {
  const lines = [defaultNotices[`protection.${input.decision}`]!];
  if (input.decision === 'granted') {
    if (input.measures) lines.push(`Biện pháp bảo vệ / Measures: ${input.measures}`);
    if (input.responsibleBody) lines.push(`Cơ quan thực hiện / Responsible body: ${input.responsibleBody}`);
  } else if (input.reason) {
    lines.push(`Lý do / Reasons: ${input.reason}`);
  }
  return lines.join('\n');
}

/** What the file keeps of the decision, sealed: the reason and, for a grant, its measures and responsible body. */
function protectionRecord(input: ProtectionDecisionInput): string {
  return JSON.stringify({ reason: input.reason, measures: input.measures ?? null, responsibleBody: input.responsibleBody ?? null });
}
