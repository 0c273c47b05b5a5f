import { approvalsOf } from '../domain/index.js';
import {
  combineShares, fromBase64Url, type BundleContent, type BundleStaff, type CaseContext, loadBackend, openIdentity, openRequestReason,
  resealShare, sealRequestReason, signDetached, toBase64Url, unwrapRequestKey, unwrapShare, verifyDetached, wrapRequestKey, type StaffKeys, readerKeysOf,
} from '../protocol/index.js';
import { ApiClientError } from './http.js';
import { protectionDetailsContext } from './protection-context.js';
import type { StaffClient } from './staff.js';
import { identityDecisionSigningBytes, identityRequestSigningBytes } from '../protocol/signing-bytes.js';
import { memberWithRole, StaffTrustError } from './staff-trust.js';

// Identity custody, client side. The reason for a request is
// sealed under a fresh request key (sealRequestReason, id = the request id), wrapped
// (kind 0x04) to the requester and every custodian.
// A request's subject is a case's identity block or a protection request's details;
// every key, share and reason of it is bound to the subject's context (subjectContext).
// Every request and decision the server hands over is checked against its signer's key
// in the agency's verified bundle before anything is read from it or done with it.

export interface IdentityRequest {
  identityRequestId: string; subject: 'identity' | 'protection'; caseId: string; protectionRequestId: string | null; urgent: boolean;
  agencyId: string; requesterId: string; createdAt: string;
  /** The case's public number, for display (what the share is bound to is caseId). */
  publicNumber: string;
  state: 'pending' | 'approved' | 'refused'; threshold: number; custodians: string[];
  reason: string; signature: string; requestKey: string | null; myShare: string | null;
  /** The sealed block, for the requester once approved: identityBlock for an identity, sealedDetails for protection details. */
  identityBlock: string | null; sealedDetails: string | null;
  /** One per deciding custodian, named by staffId. */
  decisions: { staffId: string; decision: 'approve' | 'refuse'; resealedShare: string | null; reason: string | null; signature: string; decidedAt: string }[];
}

const b = toBase64Url;
const u = fromBase64Url;
const pair = readerKeysOf;
const text = (s: string) => new TextEncoder().encode(s);

/** The context a request's keys, shares and reasons are bound to: the case, or the protection request. */
export function subjectContext(r: Pick<IdentityRequest, 'agencyId' | 'caseId' | 'protectionRequestId'>): CaseContext {
  return r.protectionRequestId ? protectionDetailsContext(r.agencyId, r.protectionRequestId) : { agencyId: r.agencyId, caseId: r.caseId };
}

/**
 * Seals the reason under a fresh request key, wraps that key to the requester and to each
 * custodian (keys from the agency's verified bundle), signs, and posts to `path`.
 */
export async function sendRequest(
  c: StaffClient, path: string, ctx: CaseContext, custodians: string[], reason: string, keys: StaffKeys,
): Promise<string> {
  const be = await loadBackend();
  const requestId = crypto.randomUUID();
  const requestKey = be.randomBytes(32);
  const sealedReason = sealRequestReason(be, ctx, requestKey, requestId, text(reason));
  // Custodians only as the agency's verified bundle lists them, whatever the server named.
  const bundle = await c.verifiedBundle(ctx.agencyId);
  const recipients = [{ staffId: c.session.staffId, box: keys.boxPublicKey }];
  for (const custodian of custodians) recipients.push({ staffId: custodian, box: u(memberWithRole(bundle, custodian, ['custodian'], 'custodian').boxPublicKey) });
  const requestKeys = recipients.map((r) => ({ staffId: r.staffId, wrapped: b(wrapRequestKey(be, ctx, requestKey, r.box)) }));
  requestKey.fill(0);
  const signature = signDetached(be, 'identity-request', identityRequestSigningBytes(ctx.caseId, requestId, sealedReason, be), keys.signSecretKey);
  await c.http.post(path, { identityRequestId: requestId, reason: b(sealedReason), signature: b(signature), requestKeys });
  return requestId;
}

export async function requestIdentity(c: StaffClient, caseId: string, reason: string, keys: StaffKeys): Promise<string> {
  const detail = await c.caseDetail(caseId);
  return sendRequest(c, `/v1/staff/cases/${caseId}/identity-requests`, { agencyId: detail.agencyId, caseId }, detail.custodians, reason, keys);
}

/** A listed request with the outcome of verifyRequest: its requester's bundle entry, or why it was refused. */
export type CheckedRequest =
  | { request: IdentityRequest; requester: BundleStaff; refused: null }
  | { request: IdentityRequest; requester: null; refused: StaffTrustError };

/**
 * Requests I made or must decide on, each checked on its own (verifyRequest), so that one
 * forged request is shown refused beside the genuine ones. A bundle that does not verify
 * still fails the whole list.
 */
export async function checkedIdentityRequests(c: StaffClient): Promise<CheckedRequest[]> {
  const { requests } = await c.http.get<{ requests: IdentityRequest[] }>('/v1/staff/identity-requests');
  const bundles = new Map<string, Promise<BundleContent>>();
  const bundleOf = (agencyId: string) => bundles.get(agencyId) ?? bundles.set(agencyId, c.verifiedBundle(agencyId)).get(agencyId)!;
  const checked: CheckedRequest[] = [];
  for (const request of requests) {
    const bundle = await bundleOf(request.agencyId);
    try {
      checked.push({ request, requester: await verifyRequest(request, bundle), refused: null });
    } catch (err) {
      if (!(err instanceof StaffTrustError)) throw err;
      checked.push({ request, requester: null, refused: err });
    }
  }
  return checked;
}

/** Requests I made or must decide on, each verified (verifyRequest); any that is not fails the list. */
export async function identityRequests(c: StaffClient): Promise<{ requests: IdentityRequest[] }> {
  const checked = await checkedIdentityRequests(c);
  const refused = checked.find((x) => x.refused);
  if (refused?.refused) throw refused.refused;
  return { requests: checked.map((x) => x.request) };
}

export async function identityRequest(c: StaffClient, requestId: string): Promise<IdentityRequest> {
  return (await verifiedRequest(c, requestId)).request;
}

async function verifiedRequest(c: StaffClient, requestId: string): Promise<{ request: IdentityRequest; requester: BundleStaff }> {
  const request = await c.http.get<IdentityRequest>(`/v1/staff/identity-requests/${requestId}`);
  if (request.identityRequestId !== requestId) throw new StaffTrustError('signature_invalid', `the server answered for request ${requestId} with another request`);
  return { request, requester: await verifyRequest(request, await c.verifiedBundle(request.agencyId)) };
}

const asker = (r: Pick<IdentityRequest, 'subject'>) => (r.subject === 'protection' ? 'supervisor' : 'investigator');

/**
 * A request as the server hands it over, checked against the verified bundle: the
 * requester holds the role that may ask (investigator for an identity, supervisor for
 * protection details) and signed it; every decision whose signed payload we were sent
 * was signed by a custodian of the subject. Returns the requester's bundle entry.
 */
export async function verifyRequest(r: IdentityRequest, bundle: BundleContent): Promise<BundleStaff> {
  const be = await loadBackend();
  const requester = memberWithRole(bundle, r.requesterId, [asker(r)], 'the requester');
  const signedFor = r.protectionRequestId ?? r.caseId;
  const signed = (kind: 'identity-request' | 'identity-decision', sig: string | undefined, bytes: Uint8Array, key: string) => {
    try { return !!sig && verifyDetached(be, kind, u(sig), bytes, u(key)); } catch { return false; }
  };
  if (!signed('identity-request', r.signature, identityRequestSigningBytes(signedFor, r.identityRequestId, u(r.reason), be), requester.signPublicKey)) {
    throw new StaffTrustError('signature_invalid', `request ${r.identityRequestId} is not signed by ${r.requesterId}'s key in the agency's bundle: refused, nothing was released`);
  }
  for (const d of r.decisions) {
    // The server sends a re-sealed share only to the requester: others cannot check (or use) approvals.
    const payload = d.decision === 'approve' ? d.resealedShare : d.reason;
    if (payload === null) continue;
    const custodian = memberWithRole(bundle, d.staffId, ['custodian'], 'the deciding custodian');
    if (!r.custodians.includes(d.staffId) || !signed('identity-decision', d.signature, identityDecisionSigningBytes(r.identityRequestId, d.decision === 'approve', u(payload), be), custodian.signPublicKey)) {
      throw new StaffTrustError('signature_invalid', `a decision on request ${r.identityRequestId} is not signed by custodian ${d.staffId}'s key in the agency's bundle: refused`);
    }
  }
  return requester;
}

/** The request's reason and any refusal reasons, decrypted with the caller's request key. */
export async function readReasons(r: IdentityRequest, keys: StaffKeys): Promise<{ reason: string; refusals: { staffId: string; reason: string }[] }> {
  const be = await loadBackend();
  if (!r.requestKey) throw new ApiClientError(403, 'no_key', 'you hold no key for this request');
  const ctx = subjectContext(r);
  const key = unwrapRequestKey(be, ctx, u(r.requestKey), pair(keys));
  const open = (ct: string, id: string) => new TextDecoder().decode(openRequestReason(be, ctx, key, id, u(ct)));
  const reason = open(r.reason, r.identityRequestId);
  const refusals = r.decisions.filter((d) => d.decision === 'refuse' && d.reason).map((d) => ({ staffId: d.staffId, reason: open(d.reason!, d.staffId) }));
  key.fill(0);
  return { reason, refusals };
}

/** What a custodian is shown before deciding: who asks, for which case, and why — all verified. */
export interface RequestReview {
  request: IdentityRequest; requester: BundleStaff; reason: string;
}

/** Fetches and verifies a request (identityRequest) and decrypts its reason. */
export async function reviewRequest(c: StaffClient, requestId: string, keys: StaffKeys): Promise<RequestReview> {
  const { request, requester } = await verifiedRequest(c, requestId);
  // The signed reason opens only under the genuine request key, so this also proves the key.
  const { reason } = await readReasons(request, keys);
  return { request, requester, reason };
}

/**
 * Approve: re-seal my share to the requester's key from their agency's verified bundle,
 * once `confirm` (shown the verified review) agrees. A forged request is refused first.
 */
export async function approveIdentity(
  c: StaffClient, requestId: string, keys: StaffKeys, confirm: (review: RequestReview) => boolean | Promise<boolean> = () => true,
): Promise<string> {
  const be = await loadBackend();
  const review = await reviewRequest(c, requestId, keys);
  const r = review.request;
  if (!r.myShare) throw new ApiClientError(403, 'no_share', 'you hold no share for this subject');
  // A requester who is also a custodian would count their own share towards m: one person fewer must agree.
  if (r.requesterId === c.session.staffId) throw new ApiClientError(403, 'own_request', 'you cannot approve your own request; other custodians decide on it');
  if (!(await confirm(review))) throw new StaffTrustError('cancelled', 'not approved; no share was released');
  // Bound to the subject: a share of anything else fails to open here (open_failed).
  const ctx = subjectContext(r);
  const share = unwrapShare(be, ctx, u(r.myShare), pair(keys));
  const resealed = resealShare(be, ctx, share, u(review.requester.boxPublicKey));
  share.fill(0);
  const signature = signDetached(be, 'identity-decision', identityDecisionSigningBytes(requestId, true, resealed, be), keys.signSecretKey);
  const res = await c.http.post<{ state: string }>(`/v1/staff/identity-requests/${requestId}/decisions`, { decision: 'approve', resealedShare: b(resealed), signature: b(signature) });
  return res.state;
}

export async function refuseIdentity(c: StaffClient, requestId: string, reason: string, keys: StaffKeys): Promise<string> {
  const be = await loadBackend();
  // Verified and its reason opened first: a refusal is sealed only under the genuine request key.
  const { request: r } = await reviewRequest(c, requestId, keys);
  const ctx = subjectContext(r);
  const key = unwrapRequestKey(be, ctx, u(r.requestKey!), pair(keys));
  const sealed = sealRequestReason(be, ctx, key, c.session.staffId, text(reason));
  key.fill(0);
  const signature = signDetached(be, 'identity-decision', identityDecisionSigningBytes(requestId, false, sealed, be), keys.signSecretKey);
  const res = await c.http.post<{ state: string }>(`/v1/staff/identity-requests/${requestId}/decisions`, { decision: 'refuse', reason: b(sealed), signature: b(signature) });
  return res.state;
}

/**
 * Combines the re-sealed shares of a request fetched with identityRequest (so each
 * decision's signature was checked) and opens the subject's block. Fails closed
 * (open_failed) with fewer than m genuine shares, whatever the server sent.
 */
export async function openReleased(r: IdentityRequest, block: string | null, keys: StaffKeys): Promise<Uint8Array> {
  const be = await loadBackend();
  if (!block) throw new ApiClientError(409, 'not_approved', `${approvalsOf(r.decisions)} of ${r.threshold} custodians have approved`);
  const ctx = subjectContext(r);
  const shares = r.decisions.filter((d) => d.resealedShare).map((d) => unwrapShare(be, ctx, u(d.resealedShare!), pair(keys)));
  // The current m (after a reshare, §6.2, not the header's); a wrong one only fails closed.
  const subjectKey = await combineShares(be, ctx, shares, u(block), r.threshold);
  const opened = openIdentity(be, ctx, u(block), subjectKey);
  subjectKey.fill(0);
  for (const share of shares) share.fill(0);
  return opened;
}

export async function revealIdentity(r: IdentityRequest, keys: StaffKeys): Promise<string> {
  if (r.subject !== 'identity') throw new ApiClientError(409, 'wrong_subject', 'this request is not for an identity');
  return new TextDecoder().decode(await openReleased(r, r.identityBlock, keys));
}
