import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { FetchLike } from '../../src/client/http.js';
import { solveInSlices } from '../../src/client/pow.js';
import { receiptHttp } from '../../src/client/receipt.js';
import { fromBase64Url, loadBackend, solvePow, toBase64Url, verifyPow } from '../../src/protocol/index.js';

// The client's solver gives the reference solver's answer (the first solution in the
// order PROTOCOL.md fixes) while letting the event loop run, so a page keeps painting.

t.test('same solution as the reference, with the event loop turning meanwhile', async (t) => {
  const be = await loadBackend('sodium');
  const challenge = new Uint8Array(32).fill(9);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = performance.now();
  let reported = 0;
  const solution = await solveInSlices(be, challenge, 15, (n) => { reported = n; });
  const took = performance.now() - started;
  clearInterval(timer);
  t.ok(verifyPow(be, challenge, solution, 15));
  t.same(solution, solvePow(be, challenge, 15), 'the first solution, as the reference finds it');
  if (took > 100) {
    t.ok(ticks > 0, `timers ran while solving (${ticks} in ${took.toFixed(0)} ms)`);
    t.ok(reported > 0, 'progress was reported');
  }
});

t.test('bad challenges and difficulties are refused, not looped on', async (t) => {
  const be = await loadBackend('noble');
  await t.rejects(solveInSlices(be, new Uint8Array(4), 8), 'too short a challenge');
  await t.rejects(solveInSlices(be, new Uint8Array(32), 300), 'impossible difficulty');
  t.same(await solveInSlices(be, new Uint8Array(32), 0), new Uint8Array(8), 'difficulty 0: the first try');
});

t.test('the receipt transport solves a fresh challenge for every request, asked with the same receipt', async (t) => {
  const be = await loadBackend('sodium');
  const seen: { url: string; method: string; headers: Record<string, string> }[] = [];
  const issued: string[] = [];
  // A server that hands out challenges and records what each request carried.
  const server: FetchLike = async (input, init = {}) => {
    const headers = { ...((init.headers as Record<string, string> | undefined) ?? {}) };
    seen.push({ url: input, method: init.method ?? 'GET', headers });
    if (input.endsWith('/v1/pow')) {
      const token = toBase64Url(randomBytes(54));
      issued.push(token);
      return Response.json({ token, difficulty: 6, expiresInSeconds: 300 });
    }
    return Response.json({ ok: true });
  };
  const authKey = new Uint8Array(32).fill(7);
  const http = receiptHttp(be, authKey, { server: 'http://tipline.test', fetch: server });
  await http.get('/v1/case');
  await http.get('/v1/case/messages?after=0');
  await http.post('/v1/case/messages', { messageId: 'x' });
  const work = seen.filter((r) => !r.url.endsWith('/v1/pow'));
  const challenges = seen.filter((r) => r.url.endsWith('/v1/pow'));
  t.equal(challenges.length, 3, 'one challenge per request');
  t.ok(challenges.every((c) => c.method === 'POST' && c.headers['authorization'] === `Receipt ${toBase64Url(authKey)}`), 'asked with the receipt, so it counts on its budget');
  work.forEach((r, i) => {
    const [token, solution] = r.headers['tipline-pow']!.split('.');
    t.equal(token, issued[i], `request ${i} carries the challenge issued just before it`);
    t.ok(verifyPow(be, fromBase64Url(token!), fromBase64Url(solution!), 6), `request ${i}'s solution verifies`);
    t.equal(r.headers['authorization'], `Receipt ${toBase64Url(authKey)}`);
  });
  t.equal(new Set(work.map((r) => r.headers['tipline-pow'])).size, 3, 'no token is sent twice');
});
