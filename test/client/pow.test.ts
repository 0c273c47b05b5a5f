import { randomBytes } from 'node:crypto';
import t from 'tap';
import { submitCase } from '../../src/client/denouncer.js';
import { HttpClient, type FetchLike } from '../../src/client/http.js';
import { secondsLeft, sliceSolver, solveAhead, type PowProgress, type PowSolver } from '../../src/client/pow.js';
import { receiptHttp } from '../../src/client/receipt.js';
import { fromBase64Url, loadBackend, solvePow, toBase64Url, verifyPow } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { injectFetch } from './inject-fetch.js';

// The client's solver gives the reference solver's answer (the first solution in the
// order PROTOCOL.md fixes) while letting the event loop run, so a page keeps painting.

t.test('same solution as the reference, with the event loop turning meanwhile', async (t) => {
  const be = await loadBackend('sodium');
  const puzzles = { challenge: new Uint8Array(32).fill(9), puzzles: 16, difficulty: 11 };
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = performance.now();
  const seen: PowProgress[] = [];
  const solution = await sliceSolver(be)(puzzles, (p) => seen.push(p));
  const took = performance.now() - started;
  clearInterval(timer);
  t.ok(verifyPow(be, puzzles, solution));
  t.same(solution, solvePow(be, puzzles), 'the first solutions, as the reference finds them');
  t.same([...new Set(seen.map((p) => p.solved))].filter((n) => n > 0), Array.from({ length: 16 }, (_, i) => i + 1), 'each solved puzzle is reported, in order');
  t.ok(seen.every((p, i) => i === 0 || p.tries >= seen[i - 1]!.tries), 'tries only grow');
  t.equal(seen.at(-1)?.solved, 16);
  if (took > 100) t.ok(ticks > 0, `timers ran while solving (${ticks} in ${took.toFixed(0)} ms)`);
});

t.test('the time left is the unsolved puzzles at the rate seen so far, once one is solved', async (t) => {
  const at = (solved: number, tries: number, elapsedMs: number) => secondsLeft({ solved, puzzles: 16, difficulty: 10, tries, elapsedMs });
  t.equal(at(0, 5000, 1000), undefined, 'no figure before the first puzzle');
  t.equal(at(4, 4096, 2000), 12 * 1024 * (2000 / 4096) / 1000, '12 puzzles of 1024 tries at 2000 ms per 4096 tries');
  t.equal(at(16, 16384, 8000), 0);
});

t.test('bad challenges and difficulties are refused, not looped on', async (t) => {
  const be = await loadBackend('noble');
  const solve = sliceSolver(be);
  await t.rejects(solve({ challenge: new Uint8Array(4), puzzles: 1, difficulty: 8 }), 'too short a challenge');
  await t.rejects(solve({ challenge: new Uint8Array(32), puzzles: 1, difficulty: 300 }), 'impossible difficulty');
  await t.rejects(solve({ challenge: new Uint8Array(32), puzzles: 17, difficulty: 1 }), 'too many puzzles');
  await t.rejects(solve({ challenge: new Uint8Array(32), puzzles: 0, difficulty: 1 }), 'no puzzle');
  t.same(await solve({ challenge: new Uint8Array(32), puzzles: 2, difficulty: 0 }), new Uint8Array(16), 'difficulty 0: the first tries');
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
      return Response.json({ token, puzzles: 4, difficulty: 4, expiresInSeconds: 300 });
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
    t.ok(verifyPow(be, { challenge: fromBase64Url(token!), puzzles: 4, difficulty: 4 }, fromBase64Url(solution!)), `request ${i}'s solution verifies`);
    t.equal(r.headers['authorization'], `Receipt ${toBase64Url(authKey)}`);
  });
  t.equal(new Set(work.map((r) => r.headers['tipline-pow'])).size, 3, 'no token is sent twice');
});

t.test('a proof of work solved ahead is handed over once, while fresh; a stale or failed one is solved again, at most once a minute', async (t) => {
  const be = await loadBackend('sodium');
  let clock = 1_000_000;
  let posts = 0;
  let down = false;
  let life = 300;
  const server: FetchLike = async () => {
    posts++;
    if (down) return Response.json({ error: { code: 'unavailable', message: 'try again' } }, { status: 503 });
    return Response.json({ token: toBase64Url(randomBytes(54)), puzzles: 4, difficulty: 4, expiresInSeconds: life });
  };
  let solved = () => {};
  const solver: PowSolver = async (p, onProgress) => {
    const answer = await sliceSolver(be)(p, onProgress);
    solved();
    return answer;
  };
  // Resolves once a solve is done and its result recorded (a turn of the event loop later).
  const nextSolve = () => new Promise<void>((resolve) => { solved = () => setImmediate(resolve); });
  const ahead = solveAhead(new HttpClient({ baseUrl: 'http://tipline.test', fetch: server }), solver, () => clock);
  const minute = () => { clock += 60_000; };

  t.equal(await ahead.take(), undefined, 'nothing before it was started');
  ahead.start();
  ahead.start();
  const seen: PowProgress[] = [];
  const headers = await ahead.take((p) => seen.push(p));
  t.equal(posts, 1, 'one challenge for two starts');
  const [token, solution] = headers!['tipline-pow']!.split('.');
  t.ok(verifyPow(be, { challenge: fromBase64Url(token!), puzzles: 4, difficulty: 4 }, fromBase64Url(solution!)), 'its answers verify');
  t.equal(seen.at(-1)?.solved, 4, 'the caller sees its progress to the end');
  t.equal(await ahead.take(), undefined, 'handed over once');
  ahead.start();
  t.equal(posts, 1, 'and no other asked within the minute, however often writing starts it');

  minute();
  let done = nextSolve();
  ahead.start();
  await done;
  ahead.start();
  t.equal(posts, 2, 'a fresh one is kept');
  clock += 271_000;
  done = nextSolve();
  ahead.start();
  await done;
  t.equal(posts, 3, 'one with under 30 s of its life left is replaced');
  t.ok(await ahead.take(), 'and the new one handed over');

  minute();
  done = nextSolve();
  ahead.start();
  await done;
  clock += 271_000;
  t.equal(await ahead.take(), undefined, 'taken too close to its expiry: the caller solves afresh');

  minute();
  down = true;
  ahead.start();
  t.equal(await ahead.take(), undefined, 'a challenge that could not be had: nothing');
  ahead.start();
  ahead.start();
  t.equal(posts, 5, 'a failure is not asked again within the minute: no request per keystroke');
  minute();
  down = false;
  life = 10;
  ahead.start();
  t.equal(await ahead.take(), undefined, 'a challenge with too short a life is not solved ahead');
  minute();
  life = 300;
  ahead.start();
  t.ok(await ahead.take(), 'and a minute later one is asked again');
  t.equal(posts, 7);
});

t.test('a submission sends the proof of work solved ahead, and asks for no other', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 8 });
  const agency = await createTestAgency(database.db, { intake: 1 });
  const be = await loadBackend('sodium');
  const paths: string[] = [];
  const inner = injectFetch(app);
  const fetch: FetchLike = (input, init) => {
    paths.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
    return inner(input, init);
  };
  const server = 'http://tipline.test';
  const ahead = solveAhead(new HttpClient({ baseUrl: server, fetch }), sliceSolver(be));
  ahead.start();
  const stages: string[] = [];
  const sent = await submitCase({
    server, fetch, backend: be, powAhead: ahead, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: 'a report',
    onProgress: (p) => stages.push(p.stage),
  });
  t.ok(sent.publicNumber, 'the server took it');
  t.same(paths.filter((p) => p === 'POST /v1/pow'), ['POST /v1/pow'], 'one challenge, asked ahead');
  t.ok(stages.includes('proof-of-work'), 'the page is still told the proof of work is done');
});
