import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import type { Database } from '../../src/server/db/connect.js';
import { sql } from 'kysely';
import { byteaArrayBinary } from '../../src/server/db/binary-array.js';
import { engineOf } from '../../src/server/db/connect.js';
import { storeCases, type PendingCase } from '../../src/server/db/submission-statement.js';
import { submissionDigest, type CheckedBundle, type Submission } from '../../src/server/db/submissions.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, type FixtureAgency } from '../helpers/fixtures.js';

// A batch of submissions is stored by one call of submit_cases(), its byte columns sent
// as binary arrays on PostgreSQL and as JavaScript arrays on the embedded database
// (src/server/db/submission-statement.ts). What it stores must be exactly what was
// submitted, on both databases; what it answers, one outcome per case and the numbers
// in arrival order. A taken case id or verifier is answered, never raised.

// The same bytes for every batch where a name is given, so batches differ only in ids.
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

/** What the tables hold for a batch, in the batch's order. */
async function stored(db: Database, batch: PendingCase[]) {
  const ids = batch.map((c) => c.submission.caseId);
  const cases = await db.selectFrom('cases').selectAll().where('id', 'in', ids).execute();
  const keys = await db.selectFrom('case_keys').select(['case_id', 'recipient', 'staff_id', 'wrapped']).where('case_id', 'in', ids).execute();
  const shares = await db.selectFrom('identity_shares').select(['case_id', 'custodian_id', 'wrapped']).where('case_id', 'in', ids).execute();
  return { cases, keys, shares };
}

const hex = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('hex') : null);

t.test('submit_cases() stores exactly what was submitted and numbers it in arrival order', async (t) => {
  const { database } = await createTestApp(t);
  const db = database.db;
  const agency = await createTestAgency(db, { custodians: 3, threshold: 2 });
  const bundle = await db.selectFrom('key_bundles').innerJoin('agencies', 'agencies.id', 'key_bundles.agency_id')
    .select(['key_bundles.serial', 'key_bundles.signature', 'agencies.signing_public_key']).where('agency_id', '=', agency.id).executeTakeFirstOrThrow();
  const current: CheckedBundle = { serial: bundle.serial, signature: bundle.signature, signingPublicKey: bundle.signing_public_key };
  const parent = batchFor(agency, randomUUID(), current).slice(0, 1);
  await storeCases(db, parent);

  const batch = batchFor(agency, parent[0]!.submission.caseId, current);
  const { rows } = await storeCases(db, batch);
  t.same(rows.map((r) => r.ord), [0, 1, 2, 3], 'one answer per case, in the batch order');
  const numbers = rows.map((r) => r.public_number);
  t.equal(rows.filter((r) => r.outcome === 'created').length, 3, 'three cases stored, the stale-bundle one left out');
  t.equal(rows[2]!.outcome, 'stale_bundle', 'the stale-bundle one is answered as such');
  t.equal(numbers[2], null, 'no number for the refused case');
  const drawn = numbers.filter((n): n is string => n !== null).map((n) => Number(n.split('-')[2]));
  t.same(drawn, [drawn[0]!, drawn[0]! + 1, drawn[0]! + 2], 'consecutive numbers in arrival order');
  t.ok(rows.every((r) => r.outcome !== 'created' || /^\d{4}-\d{2}-\d{2}$/.test(r.received_on)), 'the day of receipt as text');

  const tables = await stored(db, batch);
  const accepted = batch.filter((_, i) => i !== 2);
  t.same(
    tables.cases.map((c) => [c.id, c.kind, c.status, c.has_identity, c.parent_case_id, c.urgent, hex(c.verifier), hex(c.submission_digest), hex(c.envelope), hex(c.identity_block), c.identity_threshold, hex(c.identity_denouncer_key)]).sort(),
    accepted.map(({ submission: s, digest }) => [s.caseId, s.kind, 'RECEIVED', s.identity !== undefined, s.parentCaseId ?? null, s.parentCaseId !== undefined, hex(s.verifier), hex(digest), hex(s.envelope), hex(s.identity?.block), s.identity?.threshold ?? null, hex(s.identity?.denouncerKey)]).sort(),
    'each case row holds the submitted bytes, byte for byte, and NULL where nothing was sent',
  );
  t.same(
    tables.keys.map((k) => [k.case_id, k.recipient, k.staff_id, hex(k.wrapped)]).sort(),
    accepted.flatMap(({ submission: s }) => [[s.caseId, 'denouncer', null, hex(s.denouncerKey)], ...s.recipientKeys.map((r) => [s.caseId, 'staff', r.staffId, hex(r.wrapped)])]).sort(),
    "the denouncer's key and each recipient's",
  );
  t.same(
    tables.shares.map((k) => [k.case_id, k.custodian_id, hex(k.wrapped)]).sort(),
    accepted.flatMap(({ submission: s }) => (s.identity?.shares ?? []).map((r) => [s.caseId, r.staffId, hex(r.wrapped)])).sort(),
    'the identity shares, one per custodian',
  );
  t.equal(tables.shares.length, 3);

  const numbersUsed = async () => (await db.selectFrom('case_numbers').selectAll().execute()).map((r) => r.last).reduce((a, b) => a + b, 0);
  const leftOf = async (caseId: string) => ({
    cases: (await db.selectFrom('cases').select('id').where('id', '=', caseId).execute()).length,
    keys: (await db.selectFrom('case_keys').select('id').where('case_id', '=', caseId).execute()).length,
  });

  await t.test('a failed statement fails the whole call and leaves nothing behind', async (t) => {
    const batch = batchFor(agency, parent[0]!.submission.caseId, current).slice(0, 2);
    batch[1]!.submission.recipientKeys = [{ staffId: randomUUID(), wrapped: bytes(80) }];
    const before = await db.selectFrom('case_numbers').selectAll().execute();
    await t.rejects(storeCases(db, batch), { code: '23503' }, 'a recipient who is no staff member');
    t.equal((await db.selectFrom('cases').select('id').where('id', '=', batch[0]!.submission.caseId).execute()).length, 0, 'nothing of the batch is left');
    t.same(await db.selectFrom('case_numbers').selectAll().execute(), before, 'no number was used up');
  });

  await t.test('a collision is answered, not raised: the colliding case leaves nothing and uses no number', async (t) => {
    const batch = batchFor(agency, parent[0]!.submission.caseId, current).slice(0, 2);
    batch[1]!.submission.verifier = parent[0]!.submission.verifier;
    const used = await numbersUsed();
    const { rows } = await storeCases(db, batch);
    t.same(rows.map((r) => r.outcome), ['created', 'taken'], 'a verifier already used is taken');
    t.same(await leftOf(batch[1]!.submission.caseId), { cases: 0, keys: 0 }, 'nothing of the colliding case is stored');
    t.equal(await numbersUsed(), used + 1, 'one number, for the case stored');
    const again = await storeCases(db, batch.slice(0, 1));
    t.same(again.rows.map((r) => r.outcome), ['taken'], 'a case id already used is taken');
  });

  await t.test('the same case twice in one batch: the first is stored, the second is taken and writes nothing', async (t) => {
    const [first] = batchFor(agency, parent[0]!.submission.caseId, current);
    const twin: PendingCase = { ...first!, submission: { ...first!.submission, verifier: bytes(32), recipientKeys: [] } };
    const used = await numbersUsed();
    const { rows } = await storeCases(db, [first!, twin]);
    t.same(rows.map((r) => r.outcome), ['created', 'taken']);
    t.same(await leftOf(first!.submission.caseId), { cases: 1, keys: 2 }, "one case, with the first's denouncer and recipient keys only");
    t.equal(await numbersUsed(), used + 1, 'one number');
  });
});

t.test('byte arrays travel intact: NULLs, empty elements, empty arrays', async (t) => {
  const { database } = await createTestApp(t);
  const db = database.db;
  const cases: (Uint8Array | null)[][] = [[], [null], [new Uint8Array(0)], [bytes(1), null, bytes(70_000), new Uint8Array(0)], [null, null]];
  // The parameter as storeCases sends it to this database: binary on PostgreSQL, a
  // JavaScript array on the embedded one; both must arrive as the values sent.
  const sent = engineOf(db).byteaArray;
  t.comment(engineOf(db).name === 'postgres' ? 'PostgreSQL: the binary form through the pg driver' : 'embedded: JavaScript arrays');
  for (const values of cases) {
    const { rows } = await sql<{ a: (Buffer | null)[] | null; n: number | null; wire: Uint8Array }>`
      select ${sent(values)}::bytea[] as a, cardinality(${sent(values)}::bytea[]) as n, array_send(${sent(values)}::bytea[]) as wire`.execute(db);
    t.same((rows[0]!.a ?? []).map(hex), values.map(hex), `${values.length} element(s) come back as sent`);
    t.equal(rows[0]!.n, values.length);
    // The binary form PostgreSQL gets is its own array_send, byte for byte: checked on
    // either database, so the encoder is tested where no PostgreSQL server runs too.
    t.equal(hex(byteaArrayBinary(values)), hex(rows[0]!.wire), `${values.length} element(s): the binary form is PostgreSQL's own`);
  }
});
