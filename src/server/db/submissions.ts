import { createHash, timingSafeEqual } from 'node:crypto';
import type { Database } from './connect.js';
import { storeCases, type PendingCase, type StoredCase } from './submission-statement.js';

// Storing a new case, idempotently. The case id is chosen by the client and is also the
// submission id: a retry after a lost response (same bytes) gets the same answer, never
// a second case; the same id with other bytes is a conflict. Everything — case, keys,
// identity shares, case number — is written in one statement or not at all.
// submission-queue.ts gathers concurrent submissions into one statement; the routes
// reach both through acceptSubmission() (routes/cases/accept-submission.ts).

export interface Submission {
  caseId: string;
  agencyId: string;
  kind: string;
  bundleSerial: number;
  verifier: Uint8Array;
  envelope: Uint8Array;
  denouncerKey: Uint8Array;
  recipientKeys: { staffId: string; wrapped: Uint8Array }[];
  /** The content key wrapped to the bundle's recovery recipient (PROTOCOL.md §9.1). */
  recoveryKey?: Uint8Array;
  identity?: {
    block: Uint8Array;
    denouncerKey: Uint8Array;
    threshold: number;
    shares: { staffId: string; wrapped: Uint8Array }[];
  };
  /** A retaliation report names the case it retaliates against; such reports are urgent. */
  parentCaseId?: string;
}

export type SubmitOutcome =
  | { outcome: 'created' | 'replayed'; publicNumber: string; receivedOn: string }
  | { outcome: 'conflict' }
  /** A named staff member does not exist in this agency (the bundle and staff table disagree). */
  | { outcome: 'unknown_staff' };

/** SHA-256 over every submitted field, length-prefixed, so two submissions compare by one value. */
export function submissionDigest(s: Submission): Uint8Array {
  const h = createHash('sha256');
  const field = (v: string | number | Uint8Array) => {
    const bytes = typeof v === 'string' || typeof v === 'number' ? Buffer.from(String(v), 'utf8') : v;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    h.update(len).update(bytes);
  };
  field('tipline/v1/submission');
  [s.caseId, s.agencyId, s.kind, s.verifier, s.envelope, s.denouncerKey].forEach(field);
  field(s.recipientKeys.length);
  for (const r of s.recipientKeys) [r.staffId, r.wrapped].forEach(field);
  if (s.identity) {
    [s.identity.block, s.identity.denouncerKey, s.identity.threshold, s.identity.shares.length].forEach(field);
    for (const r of s.identity.shares) [r.staffId, r.wrapped].forEach(field);
  }
  if (s.parentCaseId) ['parent', s.parentCaseId].forEach(field);
  if (s.recoveryKey) ['recovery', s.recoveryKey].forEach(field);
  return h.digest();
}

async function existing(db: Database, caseId: string, digest: Uint8Array): Promise<SubmitOutcome | undefined> {
  const row = await db
    .selectFrom('cases')
    .select(['public_number', 'received_on', 'submission_digest'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!row) return undefined;
  const same = row.submission_digest.length === digest.length && timingSafeEqual(row.submission_digest, digest);
  return same ? { outcome: 'replayed', publicNumber: row.public_number, receivedOn: row.received_on } : { outcome: 'conflict' };
}

const pgCode = (err: unknown) => (err as { code?: unknown } | null)?.code;

/**
 * The signed bundle a submission was checked against, as stored: the insert proceeds
 * only while it is still the agency's newest bundle under the agency's current signing
 * key, so a check made against a cached bundle can never outlive a newer one.
 */
export interface CheckedBundle { serial: number; signature: Uint8Array; signingPublicKey: Uint8Array }

/** The bundle a guarded submission was checked against is no longer the current one. */
export interface StaleBundle { outcome: 'stale_bundle' }

export async function submitCase(db: Database, s: Submission): Promise<SubmitOutcome>;
export async function submitCase(db: Database, s: Submission, checkedAgainst: CheckedBundle): Promise<SubmitOutcome | StaleBundle>;
export async function submitCase(db: Database, s: Submission, checkedAgainst?: CheckedBundle): Promise<SubmitOutcome | StaleBundle> {
  const [outcome] = await submitCases(db, [{ submission: s, digest: submissionDigest(s), checkedAgainst }]);
  return outcome!;
}

/**
 * Stores several submissions in one statement (see submission-statement.ts), each
 * outcome in the order given. A case whose id or verifier is taken is told apart here:
 * the same bytes again are a retry, answered as the stored case; anything else is a
 * conflict. Taken ids are answered by submit_cases(), never raised, so a denouncer
 * cannot put a dated error line in the database's log (docs/OPERATIONS.md, "What the
 * database still dates"). When the statement fails (a staff member the bundle names
 * but the staff table lacks), each case is stored again on its own, so one invalid
 * submission never decides another's outcome.
 */
export async function submitCases(db: Database, cases: PendingCase[]): Promise<(SubmitOutcome | StaleBundle)[]> {
  let answers: StoredCase[];
  try {
    answers = (await storeCases(db, cases)).rows;
  } catch (err) {
    if (cases.length > 1) return Promise.all(cases.map((c) => submitCases(db, [c]).then(([outcome]) => outcome!)));
    if (pgCode(err) === '23503') return [{ outcome: 'unknown_staff' }];
    throw err;
  }
  return Promise.all(cases.map(async ({ submission, digest }, ord) => {
    const answer = answers[ord];
    if (answer?.ord !== ord) throw new Error('submit_cases() gave no answer for a case');
    if (answer.outcome === 'created') return { outcome: 'created', publicNumber: answer.public_number, receivedOn: answer.received_on };
    if (answer.outcome === 'stale_bundle') return { outcome: 'stale_bundle' };
    return (await existing(db, submission.caseId, digest)) ?? { outcome: 'conflict' };
  }));
}
