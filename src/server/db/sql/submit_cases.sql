-- Stores a batch of submissions (src/server/db/submission-statement.ts): its columns as
-- arrays, one element per case, key or identity share; a key or share names its case by
-- the case's position in the batch (ord). One answer per case, in batch order:
--   'created'       stored, with its number and day of receipt;
--   'taken'         its case id or verifier is a stored case's, or an earlier case's of
--                   the same batch (the caller tells a retry from a conflict);
--   'stale_bundle'  the bundle guard: the bundle it was checked against is no longer the
--                   agency's newest, or not under the agency's current signing key.
--
-- A taken id or verifier is answered, never raised: a unique violation is an error line
-- in the database's log, dated, beside the action of the denouncer who caused it
-- (docs/OPERATIONS.md, "What the database still dates"). So the check must see every
-- case stored before it, even one whose statement commits while this one starts: the
-- lock below serialises every submission (as the yearly counter row does anyway), and
-- the statement after it takes a fresh snapshot (each statement of a volatile PL/pgSQL
-- function does), which holds every case committed by whoever held the lock before.
--
-- Then, in one statement: one draw of numbers for the cases accepted, in arrival order,
-- so numbers are never shared or skipped; the case rows, their keys and shares. A
-- failed statement (an unknown staff member) rolls the draw back with everything else.
--
-- One fixed text for any batch size: the statement with its values inline would change
-- with the size of the batch and be planned anew on every call, and the embedded
-- database cannot keep the plan of a statement with parameters at all; inside a
-- function its plan is kept for the session (1.8 -> 1.1 ms for one case on the embedded
-- database). PostgreSQL calls it too, with its byte arrays in binary
-- (src/server/db/binary-array.ts): 25-35 % less time per batch than the plain statement
-- planned anew.
create or replace function submit_cases(
  p_ord int[], p_id uuid[], p_agency_id uuid[], p_kind text[], p_has_identity boolean[], p_parent_case_id uuid[],
  p_bundle_serial int[], p_verifier bytea[], p_digest bytea[], p_envelope bytea[], p_identity_block bytea[],
  p_identity_threshold int[], p_identity_denouncer_key bytea[],
  p_checked_serial int[], p_checked_signature bytea[], p_checked_key bytea[],
  k_id uuid[], k_ord int[], k_recipient text[], k_staff_id uuid[], k_wrapped bytea[],
  s_ord int[], s_staff_id uuid[], s_wrapped bytea[]
)
returns table (ord int, outcome text, public_number text, received_on text) language plpgsql volatile
-- Planned for the arrays' values, the statement would be planned on every call
-- (a custom plan is never costed above the generic one by enough to be dropped).
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
  perform pg_advisory_xact_lock(hashtext('tipline/case-numbers'));
  return query
    with batch as (
      select * from unnest(p_ord, p_id, p_agency_id, p_kind, p_has_identity, p_parent_case_id, p_bundle_serial,
        p_verifier, p_digest, p_envelope, p_identity_block, p_identity_threshold, p_identity_denouncer_key,
        p_checked_serial, p_checked_signature, p_checked_key)
        as b (ord, id, agency_id, kind, has_identity, parent_case_id, bundle_serial, verifier, digest, envelope,
          identity_block, identity_threshold, identity_denouncer_key, checked_serial, checked_signature, checked_key)
    ),
    checked as (
      select b.*,
        case
          when exists (select 1 from cases c where c.id = b.id) or exists (select 1 from cases c where c.verifier = b.verifier)
            then 'taken'
          when b.checked_serial is not null and not exists (
            select 1 from key_bundles kb join agencies a on a.id = kb.agency_id
            where kb.agency_id = b.agency_id and kb.serial = b.checked_serial and kb.signature = b.checked_signature
              and a.signing_public_key = b.checked_key
              and not exists (select 1 from key_bundles n where n.agency_id = b.agency_id and n.serial > b.checked_serial))
            then 'stale_bundle'
        end as refusal
      from batch b
    ),
    accepted as (
      select k.*, row_number() over (order by k.ord) as rank from checked k
      where k.refusal is null and not exists (
        select 1 from checked e where e.refusal is null and e.ord < k.ord and (e.id = k.id or e.verifier = k.verifier))
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
    -- Keys and shares name their case by its place in the batch: a case refused as a
    -- duplicate of an earlier one in the batch has the same id, and none of its rows.
    key_rows as (
      insert into case_keys (id, case_id, recipient, staff_id, wrapped, granted_on)
      select k.id, kase.id, k.recipient, k.staff_id, k.wrapped, kase.received_on
      from unnest(k_id, k_ord, k_recipient, k_staff_id, k_wrapped) as k (id, ord, recipient, staff_id, wrapped)
        join accepted a on a.ord = k.ord join kase on kase.id = a.id
    ),
    share_rows as (
      insert into identity_shares (case_id, custodian_id, wrapped)
      select kase.id, s.staff_id, s.wrapped
      from unnest(s_ord, s_staff_id, s_wrapped) as s (ord, staff_id, wrapped)
        join accepted a on a.ord = s.ord join kase on kase.id = a.id
    )
    select k.ord, case when stored.id is not null then 'created' else coalesce(k.refusal, 'taken') end,
      stored.public_number, stored.received_on::text
    from checked k left join accepted a on a.ord = k.ord left join kase stored on stored.id = a.id
    order by k.ord;
end $$
