import { sql } from 'kysely';
import { compiledOnce } from './compiled-query.js';
import { engineOf, type Database } from './connect.js';
import type { PublicTimelineEntry } from './workflow-queries.js';

// Cases as the denouncer side sees them. Submission lives in submissions.ts; this file
// holds the look-ups by receipt verifier and what the receipt holder may fetch.

/** The case a receipt opens: metadata only, never content. */
export interface ReceiptCase {
  id: string;
  agencyId: string;
  publicNumber: string;
  status: string;
  kind: string;
}

const caseByVerifier = compiledOnce((db) =>
  db
    .selectFrom('cases')
    .select(['id', 'agency_id', 'public_number', 'status', 'kind'])
    .where('verifier', '=', new Uint8Array(32)),
);

/**
 * Finds the case whose verifier (hash of the receipt's auth key) matches. One indexed
 * equality look-up whatever the outcome, so a wrong receipt and a purged case take the
 * same path and the same time.
 */
export async function findCaseByVerifier(db: Database, verifier: Uint8Array): Promise<ReceiptCase | undefined> {
  const row = (await caseByVerifier(db, [verifier])).rows[0];
  if (!row) return undefined;
  return { id: row.id, agencyId: row.agency_id, publicNumber: row.public_number, status: row.status, kind: row.kind };
}

export interface CaseStatus extends ReceiptCase {
  agencySlug: string;
  agencyName: string;
  receivedOn: string;
  /** The deadline recorded by the last transition; null before the first one. */
  dueOn: string | null;
  hasIdentity: boolean;
}

interface CaseStatusRow {
  id: string; agency_id: string; public_number: string; status: string; kind: string; received_on: string;
  has_identity: boolean; due_on: string | null; slug: string; name: string;
}

function toCaseStatus(row: CaseStatusRow): CaseStatus {
  return {
    id: row.id,
    agencyId: row.agency_id,
    publicNumber: row.public_number,
    status: row.status,
    kind: row.kind,
    agencySlug: row.slug,
    agencyName: row.name,
    receivedOn: row.received_on,
    dueOn: row.due_on,
    hasIdentity: row.has_identity,
  };
}

export async function caseStatus(db: Database, caseId: string): Promise<CaseStatus | undefined> {
  const row = await db
    .selectFrom('cases')
    .innerJoin('agencies', 'agencies.id', 'cases.agency_id')
    .select([
      'cases.id', 'cases.agency_id', 'cases.public_number', 'cases.status', 'cases.kind',
      'cases.received_on', 'cases.has_identity', 'cases.due_on', 'agencies.slug', 'agencies.name',
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  return row && toCaseStatus(row);
}

export interface ReceiptStatus extends CaseStatus {
  timeline: PublicTimelineEntry[];
  /** What the agency's deadline rules are keyed by (workflow-calendar.ts), read in the same query. */
  agency: { profile: string; calendar_version: number };
}

interface ReceiptStatusRow extends CaseStatusRow { profile: string; calendar_version: number; timeline: PublicTimelineEntry[] }

// The look-up is receipt_status_rows() (src/server/db/sql/receipt_status_rows.sql), a
// function the planner inlines: PostgreSQL runs it as a named prepared statement
// (prepared.ts), its plan kept per connection. PGlite cannot keep the plan of a
// statement with parameters, so there it goes through receipt_status(), a PL/pgSQL
// wrapper that keeps the plan for the session.
const statusByVerifier = compiledOnce((db) => ({
  compile: () => {
    const look = sql.raw(engineOf(db).receiptStatusFunction);
    return sql<ReceiptStatusRow>`select * from ${look}(${new Uint8Array(32)})`.compile(db);
  },
}));

/**
 * The status view of the case a receipt opens, with its public timeline, in the one
 * indexed look-up by verifier that `findCaseByVerifier` makes: the busiest anonymous
 * read costs a single round trip, whatever the outcome.
 */
export async function receiptStatusByVerifier(db: Database, verifier: Uint8Array): Promise<ReceiptStatus | undefined> {
  const row = (await statusByVerifier(db, [verifier])).rows[0];
  if (!row) return undefined;
  return { ...toCaseStatus(row), timeline: row.timeline, agency: { profile: row.profile, calendar_version: row.calendar_version } };
}

/** What the receipt holder needs to read their own case back: all of it sealed. */
export interface DenouncerKeys {
  envelope: Uint8Array;
  denouncerKey: Uint8Array;
  identity: { block: Uint8Array; denouncerKey: Uint8Array } | null;
}

export async function denouncerKeys(db: Database, caseId: string): Promise<DenouncerKeys | undefined> {
  const row = await db
    .selectFrom('cases')
    .innerJoin('case_keys', (j) => j.onRef('case_keys.case_id', '=', 'cases.id').on('case_keys.recipient', '=', 'denouncer'))
    .select(['cases.envelope', 'cases.identity_block', 'cases.identity_denouncer_key', 'case_keys.wrapped'])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!row || !row.envelope) return undefined;
  const identity =
    row.identity_block && row.identity_denouncer_key
      ? { block: row.identity_block, denouncerKey: row.identity_denouncer_key }
      : null;
  return { envelope: row.envelope, denouncerKey: row.wrapped, identity };
}
