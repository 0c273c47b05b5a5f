import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from './connect.js';

// Storing a new case, idempotently. The case id is chosen by the client and is also the
// submission id: a retry after a lost response (same bytes) gets the same answer, never
// a second case; the same id with other bytes is a conflict. Everything — case, keys,
// identity shares, case number — is written in one transaction or not at all.

export interface Submission {
  caseId: string;
  agencyId: string;
  kind: string;
  bundleSerial: number;
  verifier: Uint8Array;
  envelope: Uint8Array;
  denouncerKey: Uint8Array;
  recipientKeys: { staffId: string; wrapped: Uint8Array }[];
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
  return h.digest();
}

export function publicNumber(year: number, sequence: number): string {
  return `TL-${year}-${String(sequence).padStart(6, '0')}`;
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

export async function submitCase(db: Database, s: Submission): Promise<SubmitOutcome> {
  const digest = submissionDigest(s);
  const before = await existing(db, s.caseId, digest);
  if (before) return before;
  try {
    return await db.transaction().execute((trx) => insertCase(trx, s, digest));
  } catch (err) {
    if (pgCode(err) === '23503') return { outcome: 'unknown_staff' };
    // A concurrent twin won the race (same id), or the verifier is already taken.
    if (pgCode(err) !== '23505') throw err;
    return (await existing(db, s.caseId, digest)) ?? { outcome: 'conflict' };
  }
}

async function insertCase(trx: Database, s: Submission, digest: Uint8Array): Promise<SubmitOutcome> {
  const today = (await sql<{ today: string }>`select current_date::text as today`.execute(trx)).rows[0]!.today;
  // The case number is drawn last: its counter row stays locked until commit, so
  // drawing it first would make every concurrent submission wait for the slowest.
  const pending = `pending-${s.caseId}`;
  await trx
    .insertInto('cases')
    .values({
      id: s.caseId,
      agency_id: s.agencyId,
      public_number: pending,
      kind: s.kind,
      status: 'RECEIVED',
      has_identity: s.identity !== undefined,
      parent_case_id: s.parentCaseId ?? null,
      urgent: s.parentCaseId !== undefined,
      received_on: today,
      bundle_serial: s.bundleSerial,
      verifier: s.verifier,
      submission_digest: digest,
      envelope: s.envelope,
      identity_block: s.identity?.block ?? null,
      identity_threshold: s.identity?.threshold ?? null,
      identity_denouncer_key: s.identity?.denouncerKey ?? null,
    })
    .execute();
  const keys = [
    { recipient: 'denouncer' as const, staff_id: null, wrapped: s.denouncerKey },
    ...s.recipientKeys.map((r) => ({ recipient: 'staff' as const, staff_id: r.staffId, wrapped: r.wrapped })),
  ];
  await trx
    .insertInto('case_keys')
    .values(keys.map((k) => ({ ...k, id: crypto.randomUUID(), case_id: s.caseId, granted_on: today })))
    .execute();
  if (s.identity && s.identity.shares.length > 0) {
    await trx
      .insertInto('identity_shares')
      .values(s.identity.shares.map((r) => ({ case_id: s.caseId, custodian_id: r.staffId, wrapped: r.wrapped })))
      .execute();
  }
  const { rows } = await sql<{ year: number; last: number }>`
    insert into case_numbers (year, last) values (extract(year from current_date)::int, 1)
    on conflict (year) do update set last = case_numbers.last + 1
    returning year, last`.execute(trx);
  const counter = rows[0];
  if (!counter) throw new Error('case number counter returned nothing');
  const number = publicNumber(counter.year, counter.last);
  await trx.updateTable('cases').set({ public_number: number }).where('id', '=', s.caseId).execute();
  return { outcome: 'created', publicNumber: number, receivedOn: today };
}
