import type { StaffKeys } from '../protocol/index.js';
import { ApiClientError } from './http.js';
import { protectionDetailsContext } from './protection-context.js';
import type { StaffClient } from './staff.js';
import { identityRequest, identityRequests, openReleased, sendRequest, type IdentityRequest } from './staff-identity.js';
import type { ProtectionRequestSummary } from './staff-workflow.js';

// The supervisor's side of a protection request's details (Law ch. VI). The details are
// sealed by the denouncer like an identity block, bound to the protection request
// (protectionDetailsContext); a supervisor asks the custodians holding its shares to
// release them, exactly as an investigator asks for an identity, and opens them here
// once m custodians have re-sealed their shares. Custodians decide with approveIdentity
// and refuseIdentity (staff-identity.ts), which work for either subject.

export interface ProtectionRequestView extends ProtectionRequestSummary {
  agencyId: string; hasDetails: boolean; threshold: number; custodians: string[];
}

/** What the denouncer's page seals (src/web/workflow-client.ts); readers keep unknown fields. */
export interface ProtectionDetails { reasons?: string; measures?: string; urgent?: boolean; [field: string]: unknown }

export function protectionRequest(c: StaffClient, protectionRequestId: string): Promise<ProtectionRequestView> {
  return c.http.get(`/v1/staff/protection/${protectionRequestId}`);
}

/** Asks the custodians holding the request's shares to release its details to me (supervisor); returns the ask's id. */
export async function requestProtectionDetails(c: StaffClient, protectionRequestId: string, reason: string, keys: StaffKeys): Promise<string> {
  const p = await protectionRequest(c, protectionRequestId);
  if (!p.hasDetails) throw new ApiClientError(409, 'conflict', 'the details of this protection request have been purged');
  return sendRequest(
    c, `/v1/staff/protection/${p.id}/details-requests`, protectionDetailsContext(p.agencyId, p.id), p.custodians, reason, keys,
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
 * Combines the released shares and opens the details on this machine. Fails closed
 * (open_failed) with fewer than m genuine shares, or shares of anything else.
 */
export async function readProtectionDetails(r: IdentityRequest, keys: StaffKeys): Promise<ProtectionDetails> {
  if (r.subject !== 'protection') throw new ApiClientError(409, 'wrong_subject', 'this request is not for protection details');
  const opened = await openReleased(r, r.sealedDetails, keys);
  const details: unknown = JSON.parse(new TextDecoder().decode(opened));
  opened.fill(0);
  if (typeof details !== 'object' || details === null || Array.isArray(details)) throw new ApiClientError(422, 'bad_details', 'the details are not a JSON object');
  return details as ProtectionDetails;
}
