import t from 'tap';
import { fromBase64Url, loadBackend, solvePow, toBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';

// Proof of work on anonymous routes: required, verified, single use, shared by instances.

t.test('submission and status need a fresh, solved challenge, used once', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 8 });
  const be = await loadBackend('sodium');
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'text');
  const solved = async () => {
    const { token, difficulty } = (await app.inject({ method: 'POST', url: '/v1/pow', payload: {} })).json();
    t.equal(difficulty, 8);
    return `${token}.${toBase64Url(solvePow(be, fromBase64Url(token), difficulty))}`;
  };
  const post = (pow?: string) => app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body, headers: pow ? { 'tipline-pow': pow } : {} });

  const none = await post();
  t.equal(none.statusCode, 401);
  t.equal(none.json().error.code, 'pow_required');
  const { token } = (await app.inject({ method: 'POST', url: '/v1/pow', payload: {} })).json();
  t.equal((await post(`${token}.${toBase64Url(new Uint8Array(8).fill(0xff))}`)).json().error.code, 'pow_invalid', 'an unsolved challenge');
  const good = await solved();
  const [tok, sol] = good.split('.');
  const forged = fromBase64Url(tok!);
  forged[1] = 0; // claim difficulty 0
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
  const { token } = (await app.inject({ method: 'POST', url: '/v1/pow', payload: {} })).json();
  const header = `${token}.${toBase64Url(solvePow(be, fromBase64Url(token), 1))}`;
  await new Promise((r) => setTimeout(r, 2100));
  const res = await app.inject({ method: 'GET', url: '/v1/case', headers: { 'tipline-pow': header } });
  t.equal(res.json().error.code, 'pow_invalid');
});
