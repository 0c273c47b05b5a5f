import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import type { Database } from '../../src/server/db/connect.js';
import { callSubmitCases, insertCases, type PendingCase } from '../../src/server/db/submission-statement.js';
import { submissionDigest, type CheckedBundle, type Submission } from '../../src/server/db/submissions.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, type FixtureAgency } from '../helpers/fixtures.js';

// Submissions are stored by the plain statement on PostgreSQL and by submit_cases() on
// the embedded database (src/server/db/submissions.ts). Both exist on both databases:
// here each stores the same kinds of batch, and what they store and answer must agree.

// The same bytes for every batch, so two batches differ only in case ids and verifiers.
const fixed = new Map<string, Uint8Array>();
const bytes = (n: number, name = '') => {
  if (!name) return new Uint8Array(randomBytes(n));
  if (!fixed.has(name)) fixed.set(name, new Uint8Array(randomBytes(n)));
  return fixed.get(name)!;
};

function batchFor(agency: FixtureAgency, parentCaseId: string, current: CheckedBundle): PendingCase[] {
  const [intake] = agency.withRole('intake');
  const custodians = agency.withRole('custodian');
  const submission = (extra: Partial<Submission>): Submission => ({
    caseId: randomUUID(), agencyId: agency.id, kind: 'denunciation', bundleSerial: 1, verifier: bytes(32),
    envelope: bytes(300, 'envelope'), denouncerKey: bytes(80, 'denouncer key'), recipientKeys: [{ staffId: intake!.id, wrapped: bytes(80, 'wrapped') }], ...extra,
  });
  const cases: [Submission, CheckedBundle | undefined][] = [
    [submission({}), undefined],
    [submission({ identity: { block: bytes(120, 'identity'), denouncerKey: bytes(80, 'identity key'), threshold: 2, shares: custodians.map((c, i) => ({ staffId: c.id, wrapped: bytes(90, `share ${i}`) })) } }), current],
    // Checked against a bundle that is not the agency's current one: left out, no number drawn.
    [submission({}), { ...current, signature: bytes(64) }],
    [submission({ kind: 'retaliation', parentCaseId }), current],
  ];
  return cases.map(([s, checkedAgainst]) => ({ submission: s, digest: submissionDigest(s), checkedAgainst }));
}

/** What a batch left in the tables, without the values that differ from run to run. */
async function stored(db: Database, batch: PendingCase[]) {
  const ids = batch.map((c) => c.submission.caseId);
  const cases = await db.selectFrom('cases').selectAll().where('id', 'in', ids).execute();
  const keys = await db.selectFrom('case_keys').select(['case_id', 'recipient', 'staff_id', 'wrapped', 'granted_on']).where('case_id', 'in', ids).execute();
  const shares = await db.selectFrom('identity_shares').select(['case_id', 'custodian_id', 'wrapped']).where('case_id', 'in', ids).execute();
  const position = (id: string) => ids.indexOf(id);
  const byPosition = <T extends { case_id: string }>(rows: T[]) =>
    rows.map(({ case_id, ...rest }) => ({ at: position(case_id), ...rest })).sort((a, b) => a.at - b.at || JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    cases: cases
      .map(({ id, public_number, verifier, submission_digest, ...rest }: Record<string, unknown>) => ({ at: position(String(id)), hasNumber: typeof public_number === 'string', ...rest }))
      .sort((a, b) => a.at - b.at),
    keys: byPosition(keys),
    shares: byPosition(shares),
  };
}

t.test('the plain statement and submit_cases() store and answer alike', async (t) => {
  const { database } = await createTestApp(t);
  const db = database.db;
  const agency = await createTestAgency(db, { custodians: 3, threshold: 2 });
  const bundle = await db.selectFrom('key_bundles').innerJoin('agencies', 'agencies.id', 'key_bundles.agency_id')
    .select(['key_bundles.serial', 'key_bundles.signature', 'agencies.signing_public_key']).where('agency_id', '=', agency.id).executeTakeFirstOrThrow();
  const current: CheckedBundle = { serial: bundle.serial, signature: bundle.signature, signingPublicKey: bundle.signing_public_key };
  const parent = batchFor(agency, randomUUID(), current).slice(0, 1);
  await insertCases(parent).execute(db);

  const results = [];
  for (const [name, build] of [['plain statement', insertCases], ['submit_cases()', callSubmitCases]] as const) {
    const batch = batchFor(agency, parent[0]!.submission.caseId, current);
    // Numbers are drawn in arrival order: the rows come back in any order, the numbers may not.
    const rows = (await build(batch).execute(db)).rows;
    const numbers = batch.map((c) => rows.find((r) => r.id === c.submission.caseId)?.public_number ?? null);
    t.equal(rows.length, 3, `${name}: three cases stored, the stale-bundle one left out`);
    t.equal(numbers[2], null, `${name}: no number for the refused case`);
    const drawn = numbers.filter((n): n is string => n !== null).map((n) => Number(n.split('-')[2]));
    t.same(drawn, [drawn[0]!, drawn[0]! + 1, drawn[0]! + 2], `${name}: consecutive numbers in arrival order`);
    t.ok(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.received_on)), `${name}: the day of receipt as text`);
    results.push(await stored(db, batch));
  }
  t.same(results[1], results[0], 'the same rows in cases, case_keys and identity_shares');
  t.equal(results[0]!.shares.length, 3, 'the identity shares are there');
  t.ok(results[0]!.cases.some((c) => (c as { urgent?: boolean }).urgent === true), 'the retaliation report is urgent');

  await t.test('a collision fails the whole call, as the statement does', async (t) => {
    for (const build of [insertCases, callSubmitCases]) {
      const batch = batchFor(agency, parent[0]!.submission.caseId, current).slice(0, 2);
      batch[1]!.submission.verifier = parent[0]!.submission.verifier;
      await t.rejects(build(batch).execute(db), { code: '23505' });
      t.equal((await db.selectFrom('cases').select('id').where('id', '=', batch[0]!.submission.caseId).execute()).length, 0, 'nothing of the batch is left');
    }
  });
});
