import {
  combineSubShares, fromBase64Url, loadBackend, newShareX, resealShare, resharePartSigningBytes, resharePlanSigningBytes, signDetached,
  splitShare, toBase64Url, unwrapShare, unwrapSubShare, wrapSubShare, type BundleContent, type BundleStaff, type ResharePlan, type StaffKeys,
} from '../protocol/index.js';
import type { StaffClient } from './staff.js';
import { subjectContext } from './staff-identity.js';
import { bundleSigner } from './staff-signers.js';
import { memberWithRole, StaffTrustError } from './staff-trust.js';

// Custodian turnover by resharing, client side (PROTOCOL.md §6.2). The admin signs a plan;
// each old custodian of it re-splits their share of every covered subject to the new
// custodians; each new custodian checks every part against the pinned bundles, sums and
// seals the result to themselves. No client ever holds more than its own share, and the
// plan, the keys sealed to and the signatures are all checked against the verified
// bundles, never taken from the server.

export interface ReshareView extends Omit<ResharePlan, 'from' | 'to' | 'onDay'> {
  /** The plan's day (onDay of the signed bytes). */
  day: string; from: string[]; to: string[]; plannedBy: string; signature: string; finished: boolean; subjects: number; done: number;
}
interface Subject { subjectId: string; caseId: string; protectionRequestId: string | null; threshold: number }
/** Called after each batch: subjects done by this client so far. */
export type OnProgress = (done: number) => void;

const u = fromBase64Url;
const b = toBase64Url;
const pair = (k: StaffKeys) => ({ publicKey: k.boxPublicKey, secretKey: k.boxSecretKey });
const today = () => new Date().toISOString().slice(0, 10);
const ctxOf = (agencyId: string, s: Subject) => subjectContext({ agencyId, caseId: s.caseId, protectionRequestId: s.protectionRequestId });

/**
 * The admin's plan: `from` (the old custodians who take part, at least the m of every
 * block) re-split to `to` at threshold m'. Every new custodian must be a custodian in the
 * current verified bundle (their box keys come from it): publish it with them first.
 * By default the new set is that bundle's custodians and m' its threshold.
 */
export async function planReshare(
  c: StaffClient, keys: StaffKeys, o: { from: string[]; to?: string[]; threshold?: number; onDay?: string },
): Promise<ReshareView> {
  const be = await loadBackend();
  const bundle = await c.verifiedBundle();
  const to = o.to ?? bundle.staff.filter((s) => s.roles.includes('custodian')).map((s) => s.staffId);
  for (const id of to) memberWithRole(bundle, id, ['custodian'], 'a new custodian');
  const plan: ResharePlan = {
    agencyId: bundle.agencyId, reshareId: crypto.randomUUID(), onDay: o.onDay ?? today(), bundleSerial: bundle.serial,
    threshold: o.threshold ?? bundle.threshold, from: o.from, to,
  };
  const signature = signDetached(be, 'reshare-plan', resharePlanSigningBytes(plan), keys.signSecretKey);
  const { agencyId: _a, onDay, ...body } = plan;
  return c.http.post<ReshareView>('/v1/staff/reshares', { ...body, day: onDay, signature: b(signature) });
}

export async function currentReshare(c: StaffClient): Promise<ReshareView> {
  return c.http.get<ReshareView>('/v1/staff/reshares/current');
}

/**
 * The plan as the agency's verified bundles back it: signed by an admin they list, and
 * every new custodian a custodian of the bundle it names. Returns that bundle (the new
 * custodians' box keys) and the bundle history (the old custodians' sign keys).
 */
export async function verifyPlan(c: StaffClient, plan: ReshareView): Promise<{ target: BundleContent; bundles: BundleContent[] }> {
  const be = await loadBackend();
  const bundles = await c.verifiedBundles(plan.agencyId);
  const message = resharePlanSigningBytes({ ...plan, onDay: plan.day });
  const signer = bundleSigner(be, bundles, { staffId: plan.plannedBy, roles: ['admin'], onDay: plan.day, kind: 'reshare-plan', signature: u(plan.signature), message });
  if (typeof signer === 'string') throw new StaffTrustError('signature_invalid', `reshare ${plan.reshareId}: ${signer}`);
  const target = bundles.find((x) => x.serial === plan.bundleSerial);
  if (!target) throw new StaffTrustError('bundle_missing', `reshare ${plan.reshareId} names bundle ${plan.bundleSerial}, which the agency's verified bundles do not hold`);
  for (const id of plan.to) memberWithRole(target, id, ['custodian'], 'a new custodian');
  return { target, bundles };
}

/** What an old custodian is shown before handing their share on: the verified plan and the new set as the signed bundle lists it. */
export interface ReshareReview { plan: ReshareView; newSet: BundleStaff[] }

/**
 * An old custodian's part: every covered share re-split and sealed to the new set, signed,
 * once `confirm` (shown the verified plan and the new custodians' signed names) agrees.
 */
export async function reshareMyShares(
  c: StaffClient, keys: StaffKeys,
  o: { confirm?: (review: ReshareReview) => boolean | Promise<boolean>; onProgress?: OnProgress } = {},
): Promise<number> {
  const be = await loadBackend();
  const plan = await currentReshare(c);
  const { target } = await verifyPlan(c, plan);
  const newSet = plan.to.map((id) => memberWithRole(target, id, ['custodian'], 'a new custodian'));
  if (!plan.from.includes(c.session.staffId)) throw new StaffTrustError('not_in_bundle', 'you are not an old custodian of this reshare');
  if (o.confirm && !(await o.confirm({ plan, newSet }))) throw new StaffTrustError('cancelled', 'not confirmed; no share was re-split');
  const onProgress = o.onProgress ?? (() => {});
  const boxes = newSet.map((m) => u(m.boxPublicKey));
  const xs = plan.to.map((_, j) => newShareX(j));
  let done = 0;
  for (;;) {
    const { subjects } = await c.http.get<{ subjects: (Subject & { share: string | null })[] }>(`/v1/staff/reshares/${plan.reshareId}/parts`);
    if (subjects.length === 0) return done;
    const parts = subjects.map((s) => {
      if (!s.share) throw new StaffTrustError('signature_invalid', `the server lists subject ${s.subjectId} without your share`);
      const ctx = ctxOf(plan.agencyId, s);
      const share = unwrapShare(be, ctx, u(s.share), pair(keys));
      const wrapped = splitShare(be, share, xs, plan.threshold).map((sub, j) => { const w = wrapSubShare(be, ctx, sub, boxes[j]!); sub.fill(0); return w; });
      share.fill(0);
      const signature = signDetached(be, 'reshare-part', resharePartSigningBytes(plan.reshareId, s.subjectId, wrapped, be), keys.signSecretKey);
      return { subjectId: s.subjectId, wrapped: wrapped.map(b), signature: b(signature) };
    });
    await c.http.post(`/v1/staff/reshares/${plan.reshareId}/parts`, { parts });
    onProgress(done += parts.length);
  }
}

interface ServedPart { from: string; signature: string; wrapped: string[] }

/** My sub-share from each old custodian of the plan, each part's signature checked against the bundles first. */
function mySubShares(be: Awaited<ReturnType<typeof loadBackend>>, plan: ReshareView, bundles: BundleContent[], s: Subject & { parts: ServedPart[] }, keys: StaffKeys, position: number) {
  if (s.parts.length !== plan.from.length || s.parts.some((p, i) => p.from !== plan.from[i]) || plan.from.length < s.threshold) {
    throw new StaffTrustError('signature_invalid', `subject ${s.subjectId}: the parts are not those of the plan's old custodians`);
  }
  const ctx = ctxOf(plan.agencyId, s);
  return s.parts.map((p) => {
    const wrapped = p.wrapped.map(u);
    const message = resharePartSigningBytes(plan.reshareId, s.subjectId, wrapped, be);
    const signer = wrapped.length === plan.to.length
      ? bundleSigner(be, bundles, { staffId: p.from, roles: ['custodian'], onDay: plan.day, kind: 'reshare-part', signature: u(p.signature), message })
      : 'one sealed sub-share per new custodian';
    if (typeof signer === 'string') throw new StaffTrustError('signature_invalid', `subject ${s.subjectId}, part of ${p.from}: ${signer}`);
    return unwrapSubShare(be, ctx, wrapped[position]!, pair(keys));
  });
}

/** A new custodian's part: for each subject every old custodian has re-split, sum my sub-shares and seal the share to myself. */
export async function acceptReshare(c: StaffClient, keys: StaffKeys, onProgress: OnProgress = () => {}): Promise<{ posted: number; completed: number }> {
  const be = await loadBackend();
  const plan = await currentReshare(c);
  const { bundles } = await verifyPlan(c, plan);
  const position = plan.to.indexOf(c.session.staffId);
  if (position < 0) throw new StaffTrustError('not_in_bundle', 'you are not a new custodian of this reshare');
  let posted = 0;
  let completed = 0;
  for (;;) {
    const { subjects } = await c.http.get<{ subjects: (Subject & { parts: ServedPart[] })[] }>(`/v1/staff/reshares/${plan.reshareId}/shares`);
    if (subjects.length === 0) return { posted, completed };
    const shares = subjects.map((s) => {
      const subs = mySubShares(be, plan, bundles, s, keys, position);
      const share = combineSubShares(subs, newShareX(position));
      for (const sub of subs) sub.fill(0);
      const wrapped = resealShare(be, ctxOf(plan.agencyId, s), share, keys.boxPublicKey);
      share.fill(0);
      return { subjectId: s.subjectId, wrapped: b(wrapped) };
    });
    const res = await c.http.post<{ completed: number }>(`/v1/staff/reshares/${plan.reshareId}/shares`, { shares });
    completed += res.completed;
    onProgress(posted += shares.length);
  }
}
