import { sql, type QueryResult } from 'kysely';
import { compiledOnce } from './compiled-query.js';
import { engineOf, type Database } from './connect.js';
import type { CheckedBundle, Submission } from './submissions.js';

// The statement that stores submissions: every case of a batch, its keys, its identity
// shares and its number, in one statement committed on its own. No round trip to the
// server happens while the submissions' lock is held, so the lock covers the statement
// and its commit only, and a batch of n cases takes it once, not n times. The statement
// is submit_cases() (src/server/db/sql/submit_cases.sql), which answers for each case.
//
// One fixed text for any batch size, its columns as arrays; on PostgreSQL the call is a
// named prepared statement (compiled-query.ts), so a batch is neither parsed nor planned
// again. PostgreSQL gets the byte arrays in binary (binary-array.ts); the embedded
// database takes JavaScript arrays.

export interface PendingCase { submission: Submission; digest: Uint8Array; checkedAgainst: CheckedBundle | undefined }

/** submit_cases()'s answer for the case at `ord` in the batch. */
export type StoredCase =
  | { ord: number; outcome: 'created'; public_number: string; received_on: string }
  | { ord: number; outcome: 'taken' | 'stale_bundle'; public_number: null; received_on: null };

interface KeyRow { ord: number; recipient: string; staffId: string | null; wrapped: Uint8Array }

/** The rows for case_keys (the denouncer's and each recipient's) and identity_shares, by case position. */
function keyRowsOf(cases: PendingCase[]): { keys: KeyRow[]; shares: KeyRow[] } {
  const keys: KeyRow[] = cases.flatMap(({ submission: s }, ord) => [
    { ord, recipient: 'denouncer', staffId: null, wrapped: s.denouncerKey },
    ...s.recipientKeys.map((r) => ({ ord, recipient: 'staff', staffId: r.staffId, wrapped: r.wrapped })),
    ...(s.recoveryKey ? [{ ord, recipient: 'recovery', staffId: null, wrapped: s.recoveryKey }] : []),
  ]);
  const shares: KeyRow[] = cases.flatMap(({ submission: s }, ord) =>
    (s.identity?.shares ?? []).map((r) => ({ ord, recipient: 'custodian', staffId: r.staffId, wrapped: r.wrapped })),
  );
  return { keys, shares };
}

/** submit_cases()'s parameter types, in order: 16 per case, 5 per key, 3 per share. */
const ARGUMENT_TYPES = [
  'int', 'uuid', 'uuid', 'text', 'boolean', 'uuid', 'int', 'bytea', 'bytea', 'bytea', 'bytea', 'int', 'bytea', 'int', 'bytea', 'bytea',
  'uuid', 'int', 'text', 'uuid', 'bytea',
  'int', 'uuid', 'bytea',
] as const;

const submitCasesCall = compiledOnce((db) => ({
  compile: () => sql<StoredCase>`select * from submit_cases(${sql.join(ARGUMENT_TYPES.map((type) => sql`${null}::${sql.raw(type)}[]`))})`.compile(db),
}));

/** Stores the batch in one call: one answer per case, in the batch's order. */
export function storeCases(db: Database, cases: PendingCase[]): Promise<QueryResult<StoredCase>> {
  const { keys, shares } = keyRowsOf(cases);
  const bytes = engineOf(db).byteaArray;
  const column = <T>(pick: (c: PendingCase) => T) => cases.map(pick);
  return submitCasesCall(db, [
    cases.map((_, i) => i),
    column((c) => c.submission.caseId),
    column((c) => c.submission.agencyId),
    column((c) => c.submission.kind),
    column((c) => c.submission.identity !== undefined),
    column((c) => c.submission.parentCaseId ?? null),
    column((c) => c.submission.bundleSerial),
    bytes(column((c) => c.submission.verifier)),
    bytes(column((c) => c.digest)),
    bytes(column((c) => c.submission.envelope)),
    bytes(column((c) => c.submission.identity?.block ?? null)),
    column((c) => c.submission.identity?.threshold ?? null),
    bytes(column((c) => c.submission.identity?.denouncerKey ?? null)),
    column((c) => c.checkedAgainst?.serial ?? null),
    bytes(column((c) => c.checkedAgainst?.signature ?? null)),
    bytes(column((c) => c.checkedAgainst?.signingPublicKey ?? null)),
    keys.map(() => crypto.randomUUID()),
    keys.map((r) => r.ord),
    keys.map((r) => r.recipient),
    keys.map((r) => r.staffId),
    bytes(keys.map((r) => r.wrapped)),
    shares.map((r) => r.ord),
    shares.map((r) => r.staffId),
    bytes(shares.map((r) => r.wrapped)),
  ]);
}
