import { sql, type RawBuilder } from 'kysely';
import type { CheckedBundle, Submission } from './submissions.js';

// The statement that stores submissions: every case of a batch, its keys, its identity
// shares and its number, in one statement committed on its own. No round trip to the
// server happens while the yearly counter row is locked, so the lock covers the
// statement and its commit only, and a batch of n cases takes it once, not n times.
// The numbers are drawn in one increment of n and handed out in arrival order; a
// failed statement (a case id or verifier already used, an unknown staff member)
// rolls the increment back with everything else, so numbers are never shared or
// skipped. A case whose bundle guard refuses is left out before numbers are drawn.

export interface PendingCase { submission: Submission; digest: Uint8Array; checkedAgainst: CheckedBundle | undefined }

export interface StoredCase { id: string; public_number: string; received_on: string }

const caseRow = (c: PendingCase, ord: number) => {
  const s = c.submission;
  const b = c.checkedAgainst;
  return sql`(${ord}::int, ${s.caseId}::uuid, ${s.agencyId}::uuid, ${s.kind}::text, ${s.identity !== undefined}::boolean,
    ${s.parentCaseId ?? null}::uuid, ${s.bundleSerial}::int, ${s.verifier}::bytea, ${c.digest}::bytea, ${s.envelope}::bytea,
    ${s.identity?.block ?? null}::bytea, ${s.identity?.threshold ?? null}::int, ${s.identity?.denouncerKey ?? null}::bytea,
    ${b?.serial ?? null}::int, ${b?.signature ?? null}::bytea, ${b?.signingPublicKey ?? null}::bytea)`;
};

interface KeyRow { caseId: string; recipient: string; staffId: string | null; wrapped: Uint8Array }

const keyRows = (rows: KeyRow[]) =>
  sql.join(rows.map((r) => sql`(${crypto.randomUUID()}::uuid, ${r.caseId}::uuid, ${r.recipient}::text, ${r.staffId}::uuid, ${r.wrapped}::bytea)`));

/** Bind parameters the statement needs for these cases (PostgreSQL allows 65,535). */
export function parameterCount(c: PendingCase): number {
  return 16 + 5 * (1 + c.submission.recipientKeys.length + (c.submission.identity?.shares.length ?? 0));
}

/** The rows for case_keys (the denouncer's and each recipient's) and identity_shares. */
function keyRowsOf(cases: PendingCase[]): { keys: KeyRow[]; shares: KeyRow[] } {
  const keys: KeyRow[] = cases.flatMap(({ submission: s }) => [
    { caseId: s.caseId, recipient: 'denouncer', staffId: null, wrapped: s.denouncerKey },
    ...s.recipientKeys.map((r) => ({ caseId: s.caseId, recipient: 'staff', staffId: r.staffId, wrapped: r.wrapped })),
  ]);
  const shares: KeyRow[] = cases.flatMap(({ submission: s }) =>
    (s.identity?.shares ?? []).map((r) => ({ caseId: s.caseId, recipient: 'custodian', staffId: r.staffId, wrapped: r.wrapped })),
  );
  return { keys, shares };
}

export function insertCases(cases: PendingCase[]): RawBuilder<StoredCase> {
  const { keys, shares } = keyRowsOf(cases);
  const shareRows = shares.length === 0 ? sql`` : sql`,
    share_rows as (
      insert into identity_shares (case_id, custodian_id, wrapped)
      select r.case_id, r.staff_id, r.wrapped
      from (values ${keyRows(shares)}) as r (id, case_id, recipient, staff_id, wrapped) join kase on kase.id = r.case_id
    )`;
  return sql<StoredCase>`
    with batch (ord, id, agency_id, kind, has_identity, parent_case_id, bundle_serial, verifier, digest, envelope,
      identity_block, identity_threshold, identity_denouncer_key, checked_serial, checked_signature, checked_key) as (
      values ${sql.join(cases.map(caseRow))}
    ),
    -- A case checked against a cached bundle goes in only while that bundle is still the
    -- agency's newest, under the agency's current signing key.
    accepted as (
      select b.*, row_number() over (order by b.ord) as rank from batch b
      where b.checked_serial is null or exists (
        select 1 from key_bundles kb join agencies a on a.id = kb.agency_id
        where kb.agency_id = b.agency_id and kb.serial = b.checked_serial and kb.signature = b.checked_signature
          and a.signing_public_key = b.checked_key
          and not exists (select 1 from key_bundles n where n.agency_id = b.agency_id and n.serial > b.checked_serial))
    ),
    drawn as (
      insert into case_numbers (year, last)
      select extract(year from current_date)::int, count(*)::int from accepted having count(*) > 0
      on conflict (year) do update set last = case_numbers.last + excluded.last
      returning year, last
    ),
    kase as (
      insert into cases (id, agency_id, public_number, kind, status, has_identity, parent_case_id, urgent, received_on,
        bundle_serial, verifier, submission_digest, envelope, identity_block, identity_threshold, identity_denouncer_key)
      select a.id, a.agency_id, 'TL-' || d.year || '-' || lpad(n.number::text, greatest(6, length(n.number::text)), '0'),
        a.kind, 'RECEIVED', a.has_identity, a.parent_case_id, a.parent_case_id is not null, current_date,
        a.bundle_serial, a.verifier, a.digest, a.envelope, a.identity_block, a.identity_threshold, a.identity_denouncer_key
      from accepted a cross join drawn d
        cross join lateral (select d.last - (select count(*) from accepted) + a.rank as number) n
      returning id, public_number, received_on
    ),
    key_rows as (
      insert into case_keys (id, case_id, recipient, staff_id, wrapped, granted_on)
      select k.id, k.case_id, k.recipient, k.staff_id, k.wrapped, kase.received_on
      from (values ${keyRows(keys)}) as k (id, case_id, recipient, staff_id, wrapped) join kase on kase.id = k.case_id
    )${shareRows}
    select id, public_number, received_on::text as received_on from kase`;
}

/**
 * The same step as `insertCases`, through submit_cases() (migrations/0011): one fixed
 * text for any batch size, so its plan is kept for the session, on the embedded
 * database too. Columns go as arrays, one element per case, key or share.
 */
export function callSubmitCases(cases: PendingCase[]): RawBuilder<StoredCase> {
  const { keys, shares } = keyRowsOf(cases);
  return sql<StoredCase>`select * from submit_cases(
    ${cases.map((_, i) => i)}::int[], ${cases.map((c) => c.submission.caseId)}::uuid[], ${cases.map((c) => c.submission.agencyId)}::uuid[],
    ${cases.map((c) => c.submission.kind)}::text[], ${cases.map((c) => c.submission.identity !== undefined)}::boolean[],
    ${cases.map((c) => c.submission.parentCaseId ?? null)}::uuid[], ${cases.map((c) => c.submission.bundleSerial)}::int[],
    ${cases.map((c) => c.submission.verifier)}::bytea[], ${cases.map((c) => c.digest)}::bytea[], ${cases.map((c) => c.submission.envelope)}::bytea[],
    ${cases.map((c) => c.submission.identity?.block ?? null)}::bytea[], ${cases.map((c) => c.submission.identity?.threshold ?? null)}::int[],
    ${cases.map((c) => c.submission.identity?.denouncerKey ?? null)}::bytea[],
    ${cases.map((c) => c.checkedAgainst?.serial ?? null)}::int[], ${cases.map((c) => c.checkedAgainst?.signature ?? null)}::bytea[],
    ${cases.map((c) => c.checkedAgainst?.signingPublicKey ?? null)}::bytea[],
    ${keys.map(() => crypto.randomUUID())}::uuid[], ${keys.map((r) => r.caseId)}::uuid[], ${keys.map((r) => r.recipient)}::text[],
    ${keys.map((r) => r.staffId)}::uuid[], ${keys.map((r) => r.wrapped)}::bytea[],
    ${shares.map((r) => r.caseId)}::uuid[], ${shares.map((r) => r.staffId)}::uuid[], ${shares.map((r) => r.wrapped)}::bytea[]
  )`;
}
