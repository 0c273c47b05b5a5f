import {
  combineShares, fromBase64Url, type CaseContext, grantContentKey, loadBackend, openIdentity, openMessage, resealShare, sealMessage,
  signDetached, toBase64Url, unwrapContentKey, unwrapShare, type StaffKeys,
} from '../protocol/index.js';
import { ApiClientError } from './http.js';
import { protectionDetailsContext } from './protection-context.js';
import type { StaffClient } from './staff.js';
import { identityDecisionSigningBytes, identityRequestSigningBytes } from '../protocol/signing-bytes.js';

// Identity custody, client side. The reason for a request is
// encrypted under a fresh request key (a message sealed with it, direction
// 'to_denouncer', id = the request id), wrapped to the requester and every custodian.
// A request's subject is a case's identity block or a protection request's details;
// every key, share and reason of it is bound to the subject's context (subjectContext).

export interface IdentityRequest {
  requestId: string; subject: 'identity' | 'protection'; caseId: string; protectionRequestId: string | null; urgent: boolean;
  agencyId: string; requesterId: string; createdAt: string;
  state: 'pending' | 'approved' | 'refused'; threshold: number; custodians: string[];
  reason: string; requestKey: string | null; myShare: string | null;
  /** The sealed block, for the requester once approved: identityBlock for an identity, sealedDetails for protection details. */
  identityBlock: string | null; sealedDetails: string | null;
  decisions: { custodianId: string; decision: 'approve' | 'refuse'; resealedShare: string | null; reason: string | null; decidedAt: string }[];
}

const b = toBase64Url;
const u = fromBase64Url;
const pair = (k: StaffKeys) => ({ publicKey: k.boxPublicKey, secretKey: k.boxSecretKey });
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
  const sealedReason = sealMessage(be, ctx, requestKey, { messageId: requestId, direction: 'to_denouncer', plaintext: text(reason) });
  const recipients = [{ staffId: c.session.staffId, box: keys.boxPublicKey }];
  for (const custodian of custodians) recipients.push({ staffId: custodian, box: await c.staffBoxKey(custodian, ctx.agencyId) });
  const requestKeys = recipients.map((r) => ({ staffId: r.staffId, wrapped: b(grantContentKey(be, ctx, requestKey, r.box)) }));
  requestKey.fill(0);
  const signature = signDetached(be, 'identity-request', identityRequestSigningBytes(ctx.caseId, requestId, sealedReason), keys.signSecretKey);
  await c.http.post(path, { requestId, reason: b(sealedReason), signature: b(signature), requestKeys });
  return requestId;
}

export async function requestIdentity(c: StaffClient, caseId: string, reason: string, keys: StaffKeys): Promise<string> {
  const detail = await c.caseDetail(caseId);
  return sendRequest(c, `/v1/staff/cases/${caseId}/identity-requests`, { agencyId: detail.agencyId, caseId }, detail.custodians, reason, keys);
}

export function identityRequests(c: StaffClient): Promise<{ requests: IdentityRequest[] }> {
  return c.http.get('/v1/staff/identity-requests');
}

export function identityRequest(c: StaffClient, requestId: string): Promise<IdentityRequest> {
  return c.http.get(`/v1/staff/identity-requests/${requestId}`);
}

/** The request's reason and any refusal reasons, decrypted with the caller's request key. */
export async function readReasons(r: IdentityRequest, keys: StaffKeys): Promise<{ reason: string; refusals: { custodianId: string; reason: string }[] }> {
  const be = await loadBackend();
  if (!r.requestKey) throw new ApiClientError(403, 'no_key', 'you hold no key for this request');
  const ctx = subjectContext(r);
  const key = unwrapContentKey(be, ctx, u(r.requestKey), pair(keys));
  const open = (ct: string, id: string) => new TextDecoder().decode(openMessage(be, ctx, key, { messageId: id, direction: 'to_denouncer', ciphertext: u(ct) }));
  const reason = open(r.reason, r.requestId);
  const refusals = r.decisions.filter((d) => d.decision === 'refuse' && d.reason).map((d) => ({ custodianId: d.custodianId, reason: open(d.reason!, d.custodianId) }));
  key.fill(0);
  return { reason, refusals };
}

/** Approve: re-seal my share to the requester's key from their agency's verified bundle. */
export async function approveIdentity(c: StaffClient, requestId: string, keys: StaffKeys): Promise<string> {
  const be = await loadBackend();
  const r = await identityRequest(c, requestId);
  if (!r.myShare) throw new ApiClientError(403, 'no_share', 'you hold no share for this subject');
  // Bound to the subject: a share of anything else fails to open here (open_failed).
  const ctx = subjectContext(r);
  const share = unwrapShare(be, ctx, u(r.myShare), pair(keys));
  const resealed = resealShare(be, ctx, share, await c.staffBoxKey(r.requesterId, r.agencyId));
  share.fill(0);
  const signature = signDetached(be, 'identity-decision', identityDecisionSigningBytes(requestId, true, resealed), keys.signSecretKey);
  const res = await c.http.post<{ state: string }>(`/v1/staff/identity-requests/${requestId}/decisions`, { decision: 'approve', resealedShare: b(resealed), signature: b(signature) });
  return res.state;
}

export async function refuseIdentity(c: StaffClient, requestId: string, reason: string, keys: StaffKeys): Promise<string> {
  const be = await loadBackend();
  const r = await identityRequest(c, requestId);
  if (!r.requestKey) throw new ApiClientError(403, 'no_key', 'you hold no key for this request');
  const ctx = subjectContext(r);
  const key = unwrapContentKey(be, ctx, u(r.requestKey), pair(keys));
  const sealed = sealMessage(be, ctx, key, { messageId: c.session.staffId, direction: 'to_denouncer', plaintext: text(reason) });
  key.fill(0);
  const signature = signDetached(be, 'identity-decision', identityDecisionSigningBytes(requestId, false, sealed), keys.signSecretKey);
  const res = await c.http.post<{ state: string }>(`/v1/staff/identity-requests/${requestId}/decisions`, { decision: 'refuse', reason: b(sealed), signature: b(signature) });
  return res.state;
}

/**
 * Combines the re-sealed shares and opens the subject's block. Fails closed (open_failed)
 * with fewer than m genuine shares, whatever the server sent.
 */
export async function openReleased(r: IdentityRequest, block: string | null, keys: StaffKeys): Promise<Uint8Array> {
  const be = await loadBackend();
  if (!block) throw new ApiClientError(409, 'not_approved', `${r.decisions.filter((d) => d.decision === 'approve').length} of ${r.threshold} custodians have approved`);
  const ctx = subjectContext(r);
  const shares = r.decisions.filter((d) => d.resealedShare).map((d) => unwrapShare(be, ctx, u(d.resealedShare!), pair(keys)));
  const subjectKey = await combineShares(be, ctx, shares, u(block));
  const opened = openIdentity(be, ctx, u(block), subjectKey);
  subjectKey.fill(0);
  for (const share of shares) share.fill(0);
  return opened;
}

export async function revealIdentity(r: IdentityRequest, keys: StaffKeys): Promise<string> {
  if (r.subject !== 'identity') throw new ApiClientError(409, 'wrong_subject', 'this request is not for an identity');
  return new TextDecoder().decode(await openReleased(r, r.identityBlock, keys));
}
