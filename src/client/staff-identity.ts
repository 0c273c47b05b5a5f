import {
  combineShares, fromBase64Url, grantContentKey, loadBackend, openIdentity, openMessage, resealShare, sealMessage,
  signDetached, toBase64Url, unwrapContentKey, unwrapShare, type StaffKeys,
} from '../protocol/index.js';
import { ApiClientError } from './http.js';
import type { StaffClient } from './staff.js';
import { identityDecisionSigningBytes, identityRequestSigningBytes } from './staff-signing.js';
import { AuditChainVerifier, type ChainBreak } from './staff-audit.js';

// Identity custody and audit verification, client side. The reason for a request is
// encrypted under a fresh request key (a message sealed with it, direction
// 'to_denouncer', id = the request id), wrapped to the requester and every custodian.

export interface IdentityRequest {
  requestId: string; caseId: string; agencyId: string; requesterId: string; createdAt: string;
  state: 'pending' | 'approved' | 'refused'; threshold: number; custodians: string[];
  reason: string; requestKey: string | null; myShare: string | null; identityBlock: string | null;
  decisions: { custodianId: string; decision: 'approve' | 'refuse'; resealedShare: string | null; reason: string | null; decidedAt: string }[];
}

const b = toBase64Url;
const u = fromBase64Url;
const pair = (k: StaffKeys) => ({ publicKey: k.boxPublicKey, secretKey: k.boxSecretKey });
const text = (s: string) => new TextEncoder().encode(s);

export async function requestIdentity(c: StaffClient, caseId: string, reason: string, keys: StaffKeys): Promise<string> {
  const be = await loadBackend();
  const detail = await c.caseDetail(caseId);
  const ctx = { agencyId: detail.agencyId, caseId };
  const requestId = crypto.randomUUID();
  const requestKey = be.randomBytes(32);
  const sealedReason = sealMessage(be, ctx, requestKey, { messageId: requestId, direction: 'to_denouncer', plaintext: text(reason) });
  const recipients = [{ staffId: c.session.staffId, box: keys.boxPublicKey }];
  for (const custodian of detail.custodians) recipients.push({ staffId: custodian, box: await c.staffBoxKey(custodian, detail.agencyId) });
  const requestKeys = recipients.map((r) => ({ staffId: r.staffId, wrapped: b(grantContentKey(be, ctx, requestKey, r.box)) }));
  requestKey.fill(0);
  const signature = signDetached(be, 'identity-request', identityRequestSigningBytes(caseId, requestId, sealedReason), keys.signSecretKey);
  await c.http.post(`/v1/staff/cases/${caseId}/identity-requests`, { requestId, reason: b(sealedReason), signature: b(signature), requestKeys });
  return requestId;
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
  const ctx = { agencyId: r.agencyId, caseId: r.caseId };
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
  if (!r.myShare) throw new ApiClientError(403, 'no_share', 'you hold no share for this case');
  const ctx = { agencyId: r.agencyId, caseId: r.caseId };
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
  const ctx = { agencyId: r.agencyId, caseId: r.caseId };
  const key = unwrapContentKey(be, ctx, u(r.requestKey), pair(keys));
  const sealed = sealMessage(be, ctx, key, { messageId: c.session.staffId, direction: 'to_denouncer', plaintext: text(reason) });
  key.fill(0);
  const signature = signDetached(be, 'identity-decision', identityDecisionSigningBytes(requestId, false, sealed), keys.signSecretKey);
  const res = await c.http.post<{ state: string }>(`/v1/staff/identity-requests/${requestId}/decisions`, { decision: 'refuse', reason: b(sealed), signature: b(signature) });
  return res.state;
}

/**
 * Combines the re-sealed shares and opens the identity. Fails closed (open_failed)
 * with fewer than m genuine shares, whatever the server sent.
 */
export async function revealIdentity(r: IdentityRequest, keys: StaffKeys): Promise<string> {
  const be = await loadBackend();
  if (!r.identityBlock) throw new ApiClientError(409, 'not_approved', `${r.decisions.filter((d) => d.decision === 'approve').length} of ${r.threshold} custodians have approved`);
  const ctx = { agencyId: r.agencyId, caseId: r.caseId };
  const shares = r.decisions.filter((d) => d.resealedShare).map((d) => unwrapShare(be, ctx, u(d.resealedShare!), pair(keys)));
  const identityKey = await combineShares(be, ctx, shares, u(r.identityBlock));
  const identity = openIdentity(be, ctx, u(r.identityBlock), identityKey);
  identityKey.fill(0);
  return new TextDecoder().decode(identity);
}

/** Walks the auditor's agency chain through the API; reports the first broken link. */
export async function verifyAuditViaApi(c: StaffClient, onPage?: (verified: number) => void): Promise<{ verified: number; firstBreak: ChainBreak | null }> {
  const v = new AuditChainVerifier();
  let after: string | null = null;
  do {
    const page: { rows: { seq: string; at: string; agencyId: string | null; staffId: string | null; action: string; caseId: string | null; detail: unknown; prevHash: string; hash: string }[]; nextAfter: string | null } =
      await c.http.get(`/v1/staff/audit?limit=1000${after ? `&after=${after}` : ''}`);
    for (const row of page.rows) if (!v.push({ ...row, prevHash: u(row.prevHash), hash: u(row.hash) })) break;
    onPage?.(v.verified);
    after = v.firstBreak ? null : page.nextAfter;
  } while (after);
  return { verified: v.verified, firstBreak: v.firstBreak };
}
