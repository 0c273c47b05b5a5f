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
  const digest = submissionDigest(s);
  try {
    // Optimistic: a retry is rare, so the look-up for one runs only when the insert
    // collides with an existing case.
    const row = (await insertCase(s, digest, checkedAgainst).execute(db)).rows[0];
    if (!row && checkedAgainst) return { outcome: 'stale_bundle' };
    if (!row) throw new Error('the case insert returned nothing');
    return { outcome: 'created', publicNumber: row.public_number, receivedOn: row.received_on };
  } catch (err) {
    if (pgCode(err) === '23503') return { outcome: 'unknown_staff' };
    // The same case id again (a retry or a concurrent twin), or the verifier is taken.
    if (pgCode(err) !== '23505') throw err;
    return (await existing(db, s.caseId, digest)) ?? { outcome: 'conflict' };
  }
}

const recipientRows = (rows: { id: string; recipient: string; staffId: string | null; wrapped: Uint8Array }[]) =>
  sql.join(rows.map((r) => sql`(${r.id}::uuid, ${r.recipient}, ${r.staffId}::uuid, ${r.wrapped}::bytea)`));

/**
 * The whole submission as one statement, committed on its own: no round trip to this
 * process happens while the yearly counter row is locked, so the lock is held for the
 * statement and its commit only. The number is drawn first because the case row carries
 * it; a failed statement (conflict, unknown staff) rolls its increment back, so numbers
 * are still never shared or skipped. No row back means the bundle guard refused.
 */
function insertCase(s: Submission, digest: Uint8Array, bundle: CheckedBundle | undefined) {
  const keys = [
    { id: crypto.randomUUID(), recipient: 'denouncer', staffId: null, wrapped: s.denouncerKey },
    ...s.recipientKeys.map((r) => ({ id: crypto.randomUUID(), recipient: 'staff', staffId: r.staffId, wrapped: r.wrapped })),
  ];
  const shares = s.identity?.shares ?? [];
  const guard = bundle
    ? sql`select 1 from key_bundles b join agencies a on a.id = b.agency_id
        where b.agency_id = ${s.agencyId} and b.serial = ${bundle.serial} and b.signature = ${bundle.signature}
          and a.signing_public_key = ${bundle.signingPublicKey}
          and not exists (select 1 from key_bundles n where n.agency_id = ${s.agencyId} and n.serial > ${bundle.serial})`
    : sql`select 1`;
  return sql<{ public_number: string; received_on: string }>`
    with checked as (${guard}),
    drawn as (
      insert into case_numbers (year, last)
      select extract(year from current_date)::int, 1 from checked
      on conflict (year) do update set last = case_numbers.last + 1
      returning year, last
    ),
    kase as (
      insert into cases (id, agency_id, public_number, kind, status, has_identity, parent_case_id, urgent, received_on,
        bundle_serial, verifier, submission_digest, envelope, identity_block, identity_threshold, identity_denouncer_key)
      select ${s.caseId}, ${s.agencyId}, 'TL-' || year || '-' || lpad(last::text, greatest(6, length(last::text)), '0'),
        ${s.kind}, 'RECEIVED', ${s.identity !== undefined}, ${s.parentCaseId ?? null}, ${s.parentCaseId !== undefined}, current_date,
        ${s.bundleSerial}, ${s.verifier}, ${digest}, ${s.envelope}, ${s.identity?.block ?? null},
        ${s.identity?.threshold ?? null}, ${s.identity?.denouncerKey ?? null}
      from drawn
      returning id, public_number, received_on
    ),
    case_key_rows as (
      insert into case_keys (id, case_id, recipient, staff_id, wrapped, granted_on)
      select k.id, kase.id, k.recipient, k.staff_id, k.wrapped, kase.received_on
      from kase, (values ${recipientRows(keys)}) as k (id, recipient, staff_id, wrapped)
    )${
      shares.length > 0
        ? sql`,
    share_rows as (
      insert into identity_shares (case_id, custodian_id, wrapped)
      select kase.id, r.staff_id, r.wrapped
      from kase, (values ${recipientRows(shares.map((r) => ({ id: crypto.randomUUID(), recipient: 'custodian', staffId: r.staffId, wrapped: r.wrapped })))}) as r (id, recipient, staff_id, wrapped)
    )`
        : sql``
    }
    select public_number, received_on::text as received_on from kase`;
}
