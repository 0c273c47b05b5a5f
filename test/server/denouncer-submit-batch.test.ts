import t from 'tap';
import { randomUUID } from 'node:crypto';
import { generateAgencyKeys, signBundle } from '../../src/protocol/index.js';
import { submissionDigest, submitCases, type Submission } from '../../src/server/db/submissions.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle, sealTestCase, submissionOf } from '../helpers/fixtures.js';

// Submissions are stored in batches and checked against a bundle this process keeps:
// neither may change what any one submitter is told, nor let a stale bundle through.

const numberOf = (publicNumber: string) => Number(publicNumber.split('-')[2]);

t.test('a burst of submissions gets distinct numbers with no gap; a conflict stays its sender’s', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db);
  const subs = await Promise.all(Array.from({ length: 12 }, (_, i) => sealTestCase(agency, `burst ${i}`)));
  const twin = await sealTestCase(agency, 'another case under a taken id');
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/cases', payload });
  const [answers, conflict, replay] = await Promise.all([
    Promise.all(subs.map((s) => post(s.body))),
    post({ ...twin.body, caseId: subs[3]!.caseId }),
    post(subs[5]!.body),
  ]);
  t.equal(conflict.statusCode, 400, 'an envelope sealed for another case id is refused');
  t.ok([200, 201].includes(replay.statusCode), 'a concurrent retry is answered');
  t.ok(answers.every((a) => a.statusCode === 201 || a.statusCode === 200), 'every submission in the burst is stored');
  const numbers = answers.map((a) => numberOf(a.json().publicNumber)).sort((a, b) => a - b);
  t.same(numbers, Array.from({ length: 12 }, (_, i) => i + 1), 'numbers 1..12, none shared, none skipped');
  t.same(replay.json(), answers[5]!.json(), 'the retry gets the same answer');
});

t.test('one failing case in a batch is stored alone; the others keep their numbers without a gap', async (t) => {
  const { database } = await createTestApp(t);
  const db = database.db;
  const agency = await createTestAgency(db);
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((x) => sealTestCase(agency, x)));
  const pending = (s: Submission) => ({ submission: s, digest: submissionDigest(s), checkedAgainst: undefined });
  const first = await submitCases(db, [pending(submissionOf(a!))]);
  t.match(first, [{ outcome: 'created', publicNumber: /-000001$/ }]);
  const stranger = { ...submissionOf(b!), recipientKeys: [{ staffId: randomUUID(), wrapped: new Uint8Array(114) }] };
  const outcomes = await submitCases(db, [pending(submissionOf(b!)), pending(submissionOf(a!)), pending(stranger), pending(submissionOf(c!))]);
  t.equal(outcomes[0]?.outcome, 'created');
  t.match(outcomes[1], { outcome: 'replayed', publicNumber: /-000001$/ }, 'the retry in the batch is answered as a retry');
  t.equal(outcomes[2]?.outcome === 'unknown_staff' || outcomes[2]?.outcome === 'conflict', true, 'the bad case is refused on its own');
  t.equal(outcomes[3]?.outcome, 'created');
  const numbers = outcomes.flatMap((o) => (o.outcome === 'created' ? [numberOf(o.publicNumber)] : [])).sort();
  t.same(numbers, [2, 3], 'the stored ones took the next numbers, none skipped');
});

t.test('the bundle this process keeps never outlives a newer, withdrawn or replaced one', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await createTestAgency(db, { intake: 2 });
  const [kept, dropped] = agency.withRole('intake');
  const post = (payload: object) => app.inject({ method: 'POST', url: '/v1/cases', payload });
  const serialOf = async (caseId: string) => (await db.selectFrom('cases').select('bundle_serial').where('id', '=', caseId).executeTakeFirstOrThrow()).bundle_serial;

  const toBoth = await sealTestCase(agency, 'sealed to both intake officers');
  t.equal((await post(toBoth.body)).statusCode, 201, 'accepted under serial 1 (and the bundle is now kept)');

  // Serial 2 drops one intake officer: a case still sealed to them is refused at once.
  await publishBundle(db, agency.be, { ...agency.bundle, serial: 2, staff: agency.bundle.staff.filter((s) => s.staffId !== dropped!.id) }, agency.keys);
  const stale = await post((await sealTestCase(agency, 'sealed under serial 1')).body);
  t.equal(stale.statusCode, 400, 'a recipient outside the newer bundle is refused');
  t.equal(stale.json().error.code, 'validation_failed');
  const onlyKept = { ...agency, withRole: (role: string) => (role === 'intake' ? [kept!] : []) };
  const fresh = await sealTestCase(onlyKept, 'sealed under serial 2');
  t.equal((await post(fresh.body)).statusCode, 201);
  t.equal(await serialOf(fresh.caseId), 2, 'checked against serial 2');

  // Serial 2 withdrawn: the kept copy of it must not be used.
  await db.deleteFrom('key_bundles').where('agency_id', '=', agency.id).where('serial', '=', 2).execute();
  const back = await sealTestCase(agency, 'sealed to both again');
  const backRes = await post(back.body);
  t.equal(backRes.statusCode, 201, backRes.body);
  t.equal(await serialOf(back.caseId), 1);

  // The stored bundle replaced by one the agency did not sign: fail closed.
  const forged = signBundle(agency.be, { ...agency.bundle, serial: 1 }, generateAgencyKeys(agency.be).secretKey);
  await db.updateTable('key_bundles').set({ payload: forged.payload, signature: forged.signature }).where('agency_id', '=', agency.id).execute();
  const refused = await post((await sealTestCase(agency, 'after the forgery')).body);
  t.equal(refused.statusCode, 422);
  t.equal(refused.json().error.code, 'bundle_invalid');
});
