import { loadBackend } from '../../../protocol/index.js';
import type { Database } from '../../db/connect.js';
import { submissionQueue, type SubmissionQueue } from '../../db/submission-queue.js';
import type { Submission } from '../../db/submissions.js';
import { fail } from '../../errors.js';
import { bundleCache, type BundleCache, type VerifiedBundle } from './bundle-cache.js';
import { checkSubmission } from './submission-checks.js';

// The one way a sealed case is accepted, whether it arrives at POST /v1/cases or as a
// retaliation report (POST /v1/case/retaliation): checked against the agency's verified
// bundle, stored through the submission queue under the bundle guard, and every refusal
// answered with the same code. Idempotent on the client-chosen case id.

/** A sealed case as the client sent it; the bundle it is checked against is the server's to pick. */
export interface SealedSubmission extends Omit<Submission, 'bundleSerial'> {
  /** The bundle serial the client says it sealed to, where the route takes one: it must be the one checked against. */
  sealedTo?: number;
}

export interface AcceptedSubmission { outcome: 'created' | 'replayed'; caseId: string; publicNumber: string; receivedOn: string }

// One queue and one cache of verified bundles per database, shared by both routes: the
// queue keeps one statement in flight per process (submission-queue.ts).
interface Desk { queue: SubmissionQueue; bundles: BundleCache }
const desks = new WeakMap<Database, Promise<Desk>>();

function deskOf(db: Database): Promise<Desk> {
  let desk = desks.get(db);
  if (!desk) {
    desk = loadBackend('sodium').then((be) => ({ queue: submissionQueue(db), bundles: bundleCache(be) }));
    desks.set(db, desk);
  }
  return desk;
}

/**
 * Checks and stores a sealed case, or fails with the code the client branches on:
 * payload_too_large, validation_failed (it does not fit the agency's current bundle),
 * submission_conflict (its case id or verifier is another submission's), bundle_invalid
 * (the bundle does not verify, or kept changing). A retry with the same bytes is
 * answered as the stored case.
 */
export async function acceptSubmission(db: Database, sealed: SealedSubmission, limits: { maxEnvelopeBytes: number }): Promise<AcceptedSubmission> {
  if (sealed.envelope.length > limits.maxEnvelopeBytes) return fail('payload_too_large', 'the case is too large');
  const { queue, bundles } = await deskOf(db);

  /**
   * Null when the bundle may be out of date: the store refused it as no longer current,
   * or, unless `final`, the submission does not fit it (it may have been sealed to a
   * bundle published since).
   */
  async function against(bundle: VerifiedBundle, final: boolean): Promise<AcceptedSubmission | null> {
    const { sealedTo, ...rest } = sealed;
    const submission: Submission = { ...rest, bundleSerial: bundle.serial };
    const problem = sealedTo !== undefined && sealedTo !== bundle.serial
      ? `sealed to key bundle ${sealedTo}; the agency's current one is ${bundle.serial}: seal again`
      : checkSubmission(submission, bundle.content);
    if (problem) return final ? fail('validation_failed', problem) : null;
    const result = await queue.submit(submission, bundle.stored);
    if (result.outcome === 'stale_bundle') return null;
    if (result.outcome === 'conflict') return fail('submission_conflict', 'this case id was already used for a different submission');
    if (result.outcome === 'unknown_staff') return fail('validation_failed', 'a recipient is not a staff member of the agency');
    return { ...result, caseId: submission.caseId };
  }

  const cached = await bundles.get(db, sealed.agencyId);
  // The agency may have published (or withdrawn) a bundle since this process verified
  // its copy: check once more against the bundle now stored, and fail closed after that.
  return (await against(cached, false))
    ?? (await against(await bundles.refresh(db, sealed.agencyId, cached), true))
    ?? fail('bundle_invalid', "the agency's key bundle changed during the submission; retry");
}
