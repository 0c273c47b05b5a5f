import { createHmac } from 'node:crypto';
import t from 'tap';
import { fromBase64Url, loadBackend, toBase64Url } from '../../src/protocol/index.js';
import { serverSecret } from '../../src/server/db/secrets.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';
import { solvedHeader, solvedPow, type ChallengeJson } from '../helpers/pow.js';

// Proof of work on anonymous routes: required, verified, single use, shared by instances.

t.test('submission and status need a fresh, solved challenge, used once', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 8 });
  const be = await loadBackend('sodium');
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'text');
  const solved = async () => {
    const challenge = (await app.inject({ method: 'POST', url: '/v1/pow', payload: {} })).json() as ChallengeJson;
    t.same([challenge.puzzles, challenge.difficulty], [16, 4], 'a work of 2^8 is 16 puzzles of 4 bits');
    return solvedHeader(be, challenge);
  };
  const post = (pow?: string) => app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body, headers: pow ? { 'tipline-pow': pow } : {} });

  const none = await post();
  t.equal(none.statusCode, 401);
  t.equal(none.json().error.code, 'pow_required');
  const { token } = (await app.inject({ method: 'POST', url: '/v1/pow', payload: {} })).json();
  t.equal((await post(`${token}.${toBase64Url(new Uint8Array(16 * 8).fill(0xff))}`)).json().error.code, 'pow_invalid', 'an unsolved challenge');
  const good = await solved();
  const [tok, sol] = good.split('.');
  const forged = fromBase64Url(tok!);
  forged[2] = 0; // claim difficulty 0
  t.equal((await post(`${toBase64Url(forged)}.${sol}`)).json().error.code, 'pow_invalid', 'a token the server did not MAC');
  t.equal((await post(good)).statusCode, 201);
  t.equal((await post(good)).json().error.code, 'pow_invalid', 'a challenge is used once');
  const stored = await database.db.selectFrom('pow_spent').select('expires_at').execute();
  t.ok(stored.every((r) => new Date(r.expires_at).getUTCHours() === 0 && new Date(r.expires_at).getUTCMinutes() === 0), 'only the day is kept');

  t.equal((await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: sub.authorization } })).statusCode, 401);
  const status = await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: sub.authorization, 'tipline-pow': await solved() } });
  t.equal(status.statusCode, 200);
});

t.test('an expired challenge is refused', async (t) => {
  const { app } = await createTestApp(t, { powDifficulty: 1, powTtlSeconds: 1 });
  const be = await loadBackend('sodium');
  const header = await solvedPow(app, be);
  await new Promise((r) => setTimeout(r, 2100));
  const res = await app.inject({ method: 'GET', url: '/v1/case', headers: { 'tipline-pow': header } });
  t.equal(res.json().error.code, 'pow_invalid');
});

t.test('answers that skip work are refused: one puzzle short, one answer for every puzzle, the retired single puzzle', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 8 });
  const be = await loadBackend('sodium');
  const sub = await sealTestCase(await createTestAgency(database.db), 'text');
  const get = (pow: string) => app.inject({ method: 'GET', url: '/v1/case', headers: { authorization: sub.authorization, 'tipline-pow': pow } });
  const code = async (pow: string) => (await get(pow)).json().error?.code;

  const [token, solution] = (await solvedPow(app, be)).split('.');
  const answers = fromBase64Url(solution!);
  t.equal(await code(`${token}.${toBase64Url(answers.subarray(0, 15 * 8))}`), 'pow_invalid', 'fifteen answers to sixteen puzzles');
  const repeated = new Uint8Array(16 * 8);
  for (let i = 0; i < 16; i++) repeated.set(answers.subarray(0, 8), i * 8);
  t.equal(await code(`${token}.${toBase64Url(repeated)}`), 'pow_invalid', "puzzle 0's answer given for every puzzle");
  t.equal((await get(`${token}.${solution}`)).statusCode, 404, 'the honest answers pass the proof stage (the case was never sent)');

  // A version-1 token, MACed with the server's own key and solved as version 1 was: refused.
  const key = await serverSecret(database.db, 'pow-mac-key');
  const body = Buffer.alloc(22);
  body[0] = 1;
  body[1] = 8;
  body.writeUInt32BE(Math.floor(Date.now() / 1000) + 60, 2);
  const old = Buffer.concat([body, createHmac('sha256', key).update(body).digest()]);
  const label = new TextEncoder().encode('tipline/v1/pow');
  let s = 0;
  const answer = new Uint8Array(8);
  for (; ; s++) {
    new DataView(answer.buffer).setUint32(4, s);
    const h = be.blake2b(32, new Uint8Array([...label, ...old, ...answer]));
    if (h[0] === 0) break;
  }
  t.equal(await code(`${toBase64Url(old)}.${toBase64Url(answer)}`), 'pow_invalid', 'a single-puzzle token of version 1');
});
