import t, { type Test } from 'tap';
import { randomBytes } from 'node:crypto';
import { toBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import {
  decideProtection, makeAgency, makeCase, makeStaff, reason, sealedNotice, signTransition, signedDecision, storeProtectionRequest, transition,
} from './workflow-fixtures.js';

// A server that cannot be trusted with decisions: a transition or protection decision
// without its actor's signature, with someone else's, or with a genuine one replayed
// onto another case, request, state, day or finding, is refused and nothing is written.

t.setTimeout(300_000);

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const colleague = await makeStaff(db, agency, ['intake']);
  const head = await makeStaff(db, agency, ['supervisor']);
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  return { app, db, agency, intake, colleague, head, today: day(0), yesterday: day(1), received: day(30) };
}

const post = (app: Awaited<ReturnType<typeof setup>>['app'], auth: string, caseId: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/v1/staff/cases/${caseId}/transitions`, headers: { authorization: auth }, payload });

t.test('transitions: unsigned, forged and replayed signatures are refused', async (t) => {
  const { app, db, agency, intake, colleague, today, yesterday, received } = await setup(t);
  const a = await makeCase(db, agency, received);
  const b = await makeCase(db, agency, received);
  const body = { action: 'triage', onDay: today, reason: reason() };
  const stateOf = async (id: string) => (await db.selectFrom('cases').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  const unsigned = await post(app, intake.auth, a.id, body);
  t.equal(unsigned.statusCode, 400, 'no signature: refused by the schema');
  const garbage = await post(app, intake.auth, a.id, { ...body, signature: toBase64Url(randomBytes(64)) });
  t.same([garbage.statusCode, garbage.json().error.code], [422, 'crypto_failed'], 'random bytes are no signature');
  const byColleague = await post(app, intake.auth, a.id, { ...body, signature: await signTransition(app, colleague.auth, a.id, body) });
  t.same([byColleague.statusCode, byColleague.json().error.code], [422, 'crypto_failed'], "a colleague's signature is not the actor's");
  const forB = await signTransition(app, intake.auth, b.id, body);
  const replayed = await post(app, intake.auth, a.id, { ...body, signature: forB });
  t.same([replayed.statusCode, replayed.json().error.code], [422, 'crypto_failed'], "case B's signature does not move case A");
  const otherDay = await post(app, intake.auth, a.id, { ...body, onDay: yesterday, signature: await signTransition(app, intake.auth, a.id, body) });
  t.equal(otherDay.statusCode, 422, 'a signature for one day does not date the transition another day');
  t.equal(await stateOf(a.id), 'RECEIVED', 'nothing refused was written');
  t.equal(await db.selectFrom('case_events').select('seq').where('case_id', '=', a.id).execute().then((r) => r.length), 0);

  const signed = await post(app, intake.auth, a.id, { ...body, signature: await signTransition(app, intake.auth, a.id, body) });
  t.equal(signed.statusCode, 201, 'the actor-signed transition is applied');
  t.equal(await stateOf(a.id), 'TRIAGE');
  const again = await post(app, intake.auth, a.id, { ...body, action: 'reclassify_petition', signature: forB });
  t.same([again.statusCode, again.json().error.code], [422, 'crypto_failed'], 'a signature made for another action and state is refused');
});

t.test('transitions: a signature over a stale state, another finding or a forged notice is refused', async (t) => {
  const { app, db, agency, intake, head, today } = await setup(t);
  const a = await makeCase(db, agency, today);
  const triage = { action: 'triage', onDay: today, reason: reason() };
  // Signed while the case is RECEIVED, posted after it has moved on: the signed from-state is not the server's.
  const staleSignature = await signTransition(app, intake.auth, a.id, { ...triage, action: 'reclassify_petition' });
  t.equal((await transition(app, intake.auth, a.id, triage)).status, 201);
  const stale = await post(app, intake.auth, a.id, { ...triage, action: 'reclassify_petition', signature: staleSignature });
  t.same([stale.statusCode, stale.json().error.code], [422, 'crypto_failed'], 'signed from RECEIVED, refused from TRIAGE');

  // The head of agency decides acceptance (Law Art. 29(1)).
  const notice = await sealedNotice(a.id, head.auth);
  const accept = { action: 'accept', onDay: today, reason: reason(), notice };
  const signature = await signTransition(app, head.auth, a.id, accept);
  const swappedNotice = await post(app, head.auth, a.id, { ...accept, notice: await sealedNotice(a.id, head.auth), signature });
  t.equal(swappedNotice.statusCode, 422, 'another (genuinely signed) notice under the same transition signature is refused');
  const unsignedNotice = { ...notice, signature: toBase64Url(randomBytes(64)) };
  const forgedNotice = await post(app, head.auth, a.id, { ...accept, notice: unsignedNotice, signature: await signTransition(app, head.auth, a.id, { ...accept, notice: unsignedNotice }) });
  t.same([forgedNotice.statusCode, forgedNotice.json().error.message], [422, 'the notice signature does not verify'], 'a notice its actor did not sign is refused');
  t.equal((await post(app, head.auth, a.id, { ...accept, signature })).statusCode, 201, 'the genuine accept is applied');
});

t.test('protection decisions: unsigned, forged, replayed or flipped decisions are refused', async (t) => {
  const { app, db, agency, head, intake, today } = await setup(t);
  const a = await makeCase(db, agency, today);
  // Stored as the route stores one (the route's own checks: test/server/threshold-checks.test.ts).
  const ask = async () => ({ id: await storeProtectionRequest(db, agency, a.id, false), caseId: a.id });
  const first = await ask();
  const second = await ask();
  const url = (id: string) => `/v1/staff/protection/${id}/decision`;

  const unsigned = await app.inject({ method: 'POST', url: url(first.id), headers: { authorization: head.auth }, payload: { decision: 'granted', reason: reason(), notice: await sealedNotice(a.id, head.auth) } });
  t.equal(unsigned.statusCode, 400, 'no signature: refused by the schema');
  const byIntakeKey = await decideProtection(app, intake.auth, first, 'granted');
  t.equal(byIntakeKey.statusCode, 403, 'only the head of agency decides');

  // A valid decision for the first request, intercepted: replayed onto the second, or flipped.
  const genuine = await signedDecision(head.auth, first, 'granted');
  const replay = await app.inject({ method: 'POST', url: url(second.id), headers: { authorization: head.auth }, payload: genuine });
  t.same([replay.statusCode, replay.json().error.code], [422, 'crypto_failed'], 'the decision of one request does not decide another');
  const flipped = await app.inject({ method: 'POST', url: url(first.id), headers: { authorization: head.auth }, payload: { ...genuine, decision: 'refused' } });
  t.same([flipped.statusCode, flipped.json().error.code], [422, 'crypto_failed'], 'a grant cannot be turned into a refusal');
  const garbage = await app.inject({ method: 'POST', url: url(first.id), headers: { authorization: head.auth }, payload: { ...genuine, signature: toBase64Url(randomBytes(64)) } });
  t.same([garbage.statusCode, garbage.json().error.code], [422, 'crypto_failed'], 'random bytes are no signature');
  const status = async (id: string) => (await db.selectFrom('protection_requests').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  t.equal(await status(first.id), 'pending', 'nothing refused was written');

  const ok = await app.inject({ method: 'POST', url: url(first.id), headers: { authorization: head.auth }, payload: genuine });
  t.equal(ok.statusCode, 200, 'the genuine decision is recorded');
  t.equal(await status(first.id), 'granted');
});
