import {
  combineSubShares, fromBase64Url, loadBackend, newShareX, resealShare, resharePartSigningBytes, resharePlanSigningBytes, signDetached,
  splitShare, toBase64Url, unwrapShare, unwrapSubShare, wrapSubShare, type BundleContent, type BundleStaff, type ResharePlan, type StaffKeys, readerKeysOf,
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
  /** In the plan's order: subjects each old custodian has re-split, each new custodian has taken (the server's word, like `done`). */
  fromDone: number[]; toDone: number[];
}
interface Subject { subjectId: string; caseId: string; protectionRequestId: string | null; threshold: number }
/** Called after each batch: subjects done by this client so far. */
export type OnProgress = (done: number) => void;

const u = fromBase64Url;
const b = toBase64Url;
const pair = readerKeysOf;
const today = () => new Date().toISOString().slice(0, 10);
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const ctxOf = (agencyId: string, s: Subject) => subjectContext({ agencyId, caseId: s.caseId, protectionRequestId: s.protectionRequestId });

/**
 * The admin's plan: `from` (the old custodians who take part, at least the m of every
 * block) re-split to `to` at threshold m'. Every new custodian must be a custodian in the
 * current verified bundle (their box keys come from it), and m' is that bundle's
 * threshold: publish it with them and with m' first. By default the new set is that
 * bundle's custodians.
 */
export async function planReshare(
  c: StaffClient, keys: StaffKeys, o: { from: string[]; to?: string[]; threshold?: number; onDay?: string },
): Promise<ReshareView> {
  const be = await loadBackend();
  const bundle = await c.verifiedBundle();
  const to = o.to ?? bundle.staff.filter((s) => s.roles.includes('custodian')).map((s) => s.staffId);
  for (const id of to) memberWithRole(bundle, id, ['custodian'], 'a new custodian');
  if (o.threshold !== undefined && o.threshold !== bundle.threshold) {
    throw new StaffTrustError('signature_invalid', `the new threshold must be the one the agency key signs in the bundle in force (${bundle.threshold}): publish a bundle with ${o.threshold} first`);
  }
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
 * The plan as the agency's verified bundles back it, and as the bundle in force now
 * still backs it: signed by an admin the current bundle lists with the key that signed;
 * its threshold the one the agency key signs in that bundle (an online admin key cannot
 * lower m'); every new custodian a custodian of the bundle the plan names with the same
 * keys as in the current one. So a plan the server replays from the past, or one a key
 * rotated out or taken from someone who left signs and backdates, re-splits nothing to a
 * key the agency no longer lists. Returns the current bundle (the new custodians' box keys).
 */
export async function verifyPlan(c: StaffClient, plan: ReshareView): Promise<{ target: BundleContent; current: BundleContent }> {
  const be = await loadBackend();
  const refuse = (why: string) => new StaffTrustError('signature_invalid', `reshare ${plan.reshareId}: ${why}`);
  if (plan.agencyId !== c.session.agencyId) throw refuse(`it is for agency ${plan.agencyId}, not yours`);
  const bundles = await c.verifiedBundles(plan.agencyId);
  const current = bundles[bundles.length - 1];
  if (!current) throw new StaffTrustError('bundle_missing', `reshare ${plan.reshareId}: the agency has no verified bundle`);
  if (plan.day > dayAfter(today())) throw refuse(`it is dated ${plan.day}, in the future`);
  const message = resharePlanSigningBytes({ ...plan, onDay: plan.day });
  const claim = { staffId: plan.plannedBy, roles: ['admin'] as const, onDay: plan.day, kind: 'reshare-plan' as const, signature: u(plan.signature), message };
  const signer = bundleSigner(be, [current], claim);
  if (typeof signer === 'string') throw refuse(`${signer} (serial ${current.serial}, the bundle in force)`);
  if (plan.threshold !== current.threshold) {
    throw refuse(`its threshold ${plan.threshold} is not the ${current.threshold} the agency key signs in bundle ${current.serial}: a new threshold comes with a bundle first`);
  }
  const target = bundles.find((x) => x.serial === plan.bundleSerial);
  if (!target) throw new StaffTrustError('bundle_missing', `reshare ${plan.reshareId} names bundle ${plan.bundleSerial}, which the agency's verified bundles do not hold`);
  for (const id of plan.to) {
    const then = memberWithRole(target, id, ['custodian'], 'a new custodian');
    const now = memberWithRole(current, id, ['custodian'], 'a new custodian');
    if (then.boxPublicKey !== now.boxPublicKey || then.signPublicKey !== now.signPublicKey) throw refuse(`new custodian ${id} holds other keys in the bundle in force`);
  }
  return { target, current };
}

/** What an old custodian is shown before handing their share on: the verified plan and the new set as the signed bundle lists it. */
export interface ReshareReview { plan: ReshareView; newSet: BundleStaff[] }

/**
 * An old custodian's part: every covered share re-split and sealed to the new set, signed,
 * once `confirm` (shown the verified plan and the new custodians' signed names) agrees.
 */
export async function reshareMyShares(
  c: StaffClient, keys: StaffKeys,
  o: { confirm?: (review: ReshareReview) => boolean | Promise<boolean>; onProgress?: OnProgress; plan?: ReshareView } = {},
): Promise<number> {
  const be = await loadBackend();
  const plan = await currentReshare(c);
  // The console shows a plan, then splits: the plan split under must be the one shown.
  if (o.plan && (o.plan.reshareId !== plan.reshareId || o.plan.signature !== plan.signature)) {
    throw new StaffTrustError('signature_invalid', 'the server now serves another reshare plan than the one you confirmed; nothing was re-split');
  }
  const { current } = await verifyPlan(c, plan);
  const newSet = plan.to.map((id) => memberWithRole(current, id, ['custodian'], 'a new custodian'));
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

/** My sub-share from each old custodian of the plan, each part's signature checked first against the bundle in force (a key it no longer lists signs no part). */
function mySubShares(be: Awaited<ReturnType<typeof loadBackend>>, plan: ReshareView, current: BundleContent, s: Subject & { parts: ServedPart[] }, keys: StaffKeys, position: number) {
  if (s.parts.length !== plan.from.length || s.parts.some((p, i) => p.from !== plan.from[i]) || plan.from.length < s.threshold) {
    throw new StaffTrustError('signature_invalid', `subject ${s.subjectId}: the parts are not those of the plan's old custodians`);
  }
  const ctx = ctxOf(plan.agencyId, s);
  return s.parts.map((p) => {
    const wrapped = p.wrapped.map(u);
    const message = resharePartSigningBytes(plan.reshareId, s.subjectId, wrapped, be);
    const signer = wrapped.length === plan.to.length
      ? bundleSigner(be, [current], { staffId: p.from, roles: ['custodian'], onDay: plan.day, kind: 'reshare-part', signature: u(p.signature), message })
      : 'one sealed sub-share per new custodian';
    if (typeof signer === 'string') throw new StaffTrustError('signature_invalid', `subject ${s.subjectId}, part of ${p.from}: ${signer}`);
    return unwrapSubShare(be, ctx, wrapped[position]!, pair(keys));
  });
}

/** A new custodian's part: for each subject every old custodian has re-split, sum my sub-shares and seal the share to myself. */
export async function acceptReshare(c: StaffClient, keys: StaffKeys, onProgress: OnProgress = () => {}): Promise<{ posted: number; completed: number }> {
  const be = await loadBackend();
  const plan = await currentReshare(c);
  const { current } = await verifyPlan(c, plan);
  const position = plan.to.indexOf(c.session.staffId);
  if (position < 0) throw new StaffTrustError('not_in_bundle', 'you are not a new custodian of this reshare');
  let posted = 0;
  let completed = 0;
  for (;;) {
    const { subjects } = await c.http.get<{ subjects: (Subject & { parts: ServedPart[] })[] }>(`/v1/staff/reshares/${plan.reshareId}/shares`);
    if (subjects.length === 0) return { posted, completed };
    const shares = subjects.map((s) => {
      const subs = mySubShares(be, plan, current, s, keys, position);
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
