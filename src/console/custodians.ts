import { ApiClientError } from '../client/http.js';
import { currentReshare, verifyPlan, type ReshareView } from '../client/staff-reshare.js';
import { base32Encode } from '../protocol/base32.js';
import { fromBase64Url, loadBackend, recoveryKeyId, type BundleContent } from '../protocol/index.js';
import { describeError } from './errors.js';
import type { ConsoleSession } from './session.js';

// The admin's custodian part (views/admin-custodians.tsx): what the verified bundle says
// of recovery (§9.1) and custodians, and the agency's reshare (§6.2). Everything shown
// comes from the bundle verified against this session's pin; a plan is shown only once
// `verifyPlan` accepts it, as a custodian's console and `tipline reshare status` do.

/** The bundle's recovery recipient, by the key id its paper shares carry. */
export interface RecoveryRecipient { keyId: string; threshold: number; shares: number }

export interface CustodianView {
  bundle: BundleContent;
  recovery: RecoveryRecipient | null;
  /** The latest reshare, verified; null when there is none. */
  plan: ReshareView | null;
  /** Why the served plan was refused: then it is not shown. */
  planError: string | null;
  /** Old custodians the admin may name: active custodians the server lists (their shares are on the server). */
  oldCustodians: string[];
  /** New custodians: custodians of the bundle in force, where their box keys come from. */
  newCustodians: string[];
}

export async function recoveryOf(bundle: BundleContent): Promise<RecoveryRecipient | null> {
  if (!bundle.recovery) return null;
  const be = await loadBackend();
  const { boxPublicKey, threshold, shares } = bundle.recovery;
  return { keyId: base32Encode(recoveryKeyId(be, fromBase64Url(boxPublicKey))), threshold, shares };
}

async function verifiedLatest(s: ConsoleSession): Promise<{ plan: ReshareView | null; planError: string | null }> {
  let plan: ReshareView;
  try {
    plan = await currentReshare(s.client);
  } catch (err) {
    if (err instanceof ApiClientError && err.status === 404) return { plan: null, planError: null };
    throw err;
  }
  try {
    await verifyPlan(s.client, plan);
    return { plan, planError: null };
  } catch (err) {
    return { plan: null, planError: describeError(err) };
  }
}

export async function loadCustodianView(s: ConsoleSession): Promise<CustodianView> {
  const [bundle, { staff }, latest] = await Promise.all([s.client.verifiedBundle(), s.client.listStaff(), verifiedLatest(s)]);
  const isCustodian = (m: { roles: readonly string[] }) => m.roles.includes('custodian');
  return {
    bundle, recovery: await recoveryOf(bundle), ...latest,
    // Parts are taken only from custodians of the bundle in force (staff-reshare.ts), so the
    // old set is drawn from the verified bundle; the server's list only says who is active.
    oldCustodians: bundle.staff.filter(isCustodian).map((m) => m.staffId)
      .filter((id) => staff.some((m) => m.staffId === id && m.status === 'active')),
    newCustodians: bundle.staff.filter(isCustodian).map((m) => m.staffId),
  };
}

/**
 * What stops a plan in the page, as planReshare and the server would: m' other than the
 * agency-signed threshold (an online admin key cannot lower it), no old custodian, fewer
 * new custodians than m'.
 */
export function planProblem(bundle: BundleContent, p: { from: readonly string[]; to: readonly string[]; threshold: number }):
  { key: 'custodians.reshare.badThreshold' | 'custodians.reshare.noFrom' | 'custodians.reshare.noTo'; params: Record<string, number> } | null {
  if (p.threshold !== bundle.threshold) return { key: 'custodians.reshare.badThreshold', params: { threshold: p.threshold, signed: bundle.threshold } };
  if (p.from.length === 0) return { key: 'custodians.reshare.noFrom', params: {} };
  if (p.to.length < bundle.threshold) return { key: 'custodians.reshare.noTo', params: { threshold: bundle.threshold } };
  return null;
}

/** An open plan blocks another (the server allows one at a time); so does a served plan that was refused, which may be open. */
export const planOpen = (v: CustodianView) => v.planError !== null || (v.plan !== null && !v.plan.finished);
