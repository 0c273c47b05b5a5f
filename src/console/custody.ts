import { approvalsOf } from '../domain/index.js';
import {
  checkedIdentityRequests, identityRequest, readReasons, revealIdentity, type CheckedRequest, type IdentityRequest, type RequestReview,
} from '../client/staff-identity.js';
import { readProtectionDetails } from '../client/staff-protection.js';
import type { MessageKey } from './i18n/index.js';
import type { ConsoleSession } from './session.js';

// The custodian's inbox and the requester's side of a reveal, as the console sees them.
// Every request comes through the SDK's check against the verified bundle; its reason
// is decrypted here with this staff member's request key. What a custodian may not do
// mirrors what the SDK and the server refuse (no share, their own request, a second
// decision), plus one rule of the console's own: a request that is no longer pending
// has nothing left to decide.

export interface ListedRequest {
  checked: CheckedRequest;
  /** The decrypted reason, or null when the request was refused or its reason did not open. */
  reason: string | null;
  refusals: { staffId: string; reason: string }[];
}

const isUrgentProtection = (r: IdentityRequest) => r.subject === 'protection' && r.urgent;

/** Pending first; among them urgent protection asks first (the law gives those days); then newest first. */
export function byUrgency(a: ListedRequest, b: ListedRequest): number {
  const x = a.checked.request;
  const y = b.checked.request;
  return Number(y.state === 'pending') - Number(x.state === 'pending')
    || Number(isUrgentProtection(y)) - Number(isUrgentProtection(x))
    || y.createdAt.localeCompare(x.createdAt);
}

async function withReasons(s: ConsoleSession, checked: CheckedRequest): Promise<ListedRequest> {
  if (checked.refused || !checked.request.requestKey) return { checked, reason: null, refusals: [] };
  try {
    const { reason, refusals } = await readReasons(checked.request, s.keys);
    return { checked, reason, refusals };
  } catch {
    return { checked, reason: null, refusals: [] };
  }
}

export async function loadRequests(s: ConsoleSession): Promise<ListedRequest[]> {
  const listed = await Promise.all((await checkedIdentityRequests(s.client)).map((c) => withReasons(s, c)));
  return listed.sort(byUrgency);
}

export const isCustodian = (s: ConsoleSession) => s.client.session.roles.includes('custodian');
const mayAsk = (s: ConsoleSession) => s.client.session.roles.some((r) => r === 'investigator' || r === 'supervisor');

/** The Requests view is for custodians, and for investigators and supervisors who have asked. */
export async function hasCustodyView(s: ConsoleSession): Promise<boolean> {
  if (isCustodian(s)) return true;
  if (!mayAsk(s)) return false;
  return (await checkedIdentityRequests(s.client)).some((c) => c.request.requesterId === s.staffId);
}

export const approvals = (r: IdentityRequest) => approvalsOf(r.decisions);
export const myDecision = (s: ConsoleSession, r: IdentityRequest) => r.decisions.find((d) => d.staffId === s.staffId);

/** Why this custodian may not decide on the request, or null when they may. */
export function decisionBlocked(s: ConsoleSession, l: ListedRequest): MessageKey | null {
  const r = l.checked.request;
  if (r.requesterId === s.staffId) return 'custody.block.own';
  if (myDecision(s, r)) return 'custody.block.decided';
  if (r.state !== 'pending') return 'custody.block.closed';
  if (!r.myShare || l.reason === null) return 'custody.block.noShare';
  return null;
}

/** Approve only what was shown: the review approveIdentity fetched afresh must say the same. */
export function sameAsShown(shown: RequestReview, fresh: RequestReview): boolean {
  const a = shown.request;
  const b = fresh.request;
  return a.identityRequestId === b.identityRequestId && a.caseId === b.caseId && a.protectionRequestId === b.protectionRequestId
    && a.requesterId === b.requesterId && fresh.requester.staffId === shown.requester.staffId && fresh.reason === shown.reason;
}

/** May this requester read what was released? */
export const mayRead = (s: ConsoleSession, r: IdentityRequest) => r.requesterId === s.staffId && r.state === 'approved';

/**
 * Fetches the request with its sealed block (the server records a reveal), combines the
 * re-sealed shares and opens it here. Returned as label/value pairs to show; nothing of
 * it is sent anywhere.
 */
export type Released = [field: string, value: string | boolean][];

export async function readReleased(s: ConsoleSession, requestId: string): Promise<Released> {
  const r = await identityRequest(s.client, requestId);
  if (r.subject === 'protection') return entries(await readProtectionDetails(s.client, r, s.keys));
  const text = await revealIdentity(r, s.keys);
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* a plain-text identity block */ }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? entries(parsed as Record<string, unknown>) : [['', text]];
}

function entries(o: Record<string, unknown>): Released {
  return Object.entries(o).map(([k, v]) => [k, typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v)]);
}
