import { fromBase64Url, powSearch, toBase64Url, type Backend, type PowPuzzles } from '../protocol/index.js';
import { HttpClient, type FetchLike } from './http.js';

// Asks the server for a proof-of-work challenge and solves it: the `Tipline-PoW` header
// a submission and every receipt request need (PROTOCOL.md §11). Nothing at difficulty 0.
// A solver is whatever runs protocol/pow.ts's searchPuzzle: here on the caller's thread in
// slices (the CLI, the SDK, a page without Workers), or in the page's Worker (src/web/pow.ts).

/** Where a solver is: `solved` of `puzzles` done after `tries` hashes in `elapsedMs`. */
export interface PowProgress { solved: number; puzzles: number; difficulty: number; tries: number; elapsedMs: number }

export type PowSolver = (p: PowPuzzles, onProgress?: (p: PowProgress) => void) => Promise<Uint8Array>;

/**
 * What the client needs to solve: a solver of its own, or the slice solver over its
 * backend; and, for a submission, a proof of work already solved ahead (solveAhead).
 */
export interface PowOptions { powSolver?: PowSolver; powAhead?: PowAhead }

export const solverFor = (be: Backend, options: PowOptions): PowSolver => options.powSolver ?? sliceSolver(be);

/**
 * Expected seconds left, once one puzzle is solved (before, the rate is a guess): every
 * unsolved puzzle still needs 2^difficulty tries on average, however long the current
 * one has run (the search is memoryless), at the rate measured so far on this device.
 */
export function secondsLeft(p: PowProgress): number | undefined {
  if (p.solved < 1 || p.solved >= p.puzzles || p.tries === 0) return p.solved >= p.puzzles ? 0 : undefined;
  const perTry = p.elapsedMs / p.tries;
  return ((p.puzzles - p.solved) * 2 ** p.difficulty * perTry) / 1000;
}

interface ChallengeJson { token: string; puzzles: number; difficulty: number; expiresInSeconds: number }

export async function powHeaders(http: HttpClient, solver: PowSolver, onProgress?: (p: PowProgress) => void): Promise<Record<string, string>> {
  const challenge = await http.post<ChallengeJson>('/v1/pow', {});
  if (challenge.difficulty === 0) return {};
  const puzzles = { challenge: fromBase64Url(challenge.token), puzzles: challenge.puzzles, difficulty: challenge.difficulty };
  const solution = await solver(puzzles, onProgress);
  return { 'tipline-pow': `${challenge.token}.${toBase64Url(solution)}` };
}

/**
 * A proof of work solved before it is needed: the page starts one while the person is
 * still writing, so on a slow device (no JIT, as Tor Browser "Safer"; a cheap phone) the
 * minute it may take is spent before "send", not after it. `start` asks for a challenge
 * and solves it in the background, unless one is under way or still fresh; `take` hands
 * it over once (waiting for it if it is still being solved, with its progress), or
 * nothing when there is none or it is too close to its expiry to be sent in time, and
 * the caller solves afresh. A challenge solved ahead is a challenge like any other
 * (PROTOCOL.md §11): good for one request, until it expires.
 */
export interface PowAhead {
  start(): void;
  take(onProgress?: (p: PowProgress) => void): Promise<Record<string, string> | undefined>;
}

/** Left of a token's life, at the least, for it to be handed over: the request still has to reach the server. */
const AHEAD_MARGIN_MS = 30_000;
/**
 * At most one challenge asked ahead a minute, whatever became of the last: `start` runs
 * on every keystroke, and a server that failed every challenge, or gave them no life,
 * must not get a request per key pressed (the rhythm of someone's typing can name them).
 */
const AHEAD_INTERVAL_MS = 60_000;

interface Solved { headers: Record<string, string>; expiresAt: number; done: PowProgress | undefined }

/** One challenge asked ahead, from the asking to its answer. */
interface Attempt {
  result: Promise<Solved | undefined>;
  settled: { solved: Solved | undefined } | undefined;
  last: PowProgress | undefined;
  listener: ((p: PowProgress) => void) | undefined;
}

export function solveAhead(http: HttpClient, solver: PowSolver, now: () => number = Date.now): PowAhead {
  let current: Attempt | undefined;
  let askedAt = -Infinity;
  const fresh = (s: Solved) => s.expiresAt - now() >= AHEAD_MARGIN_MS;
  const ask = (): Attempt => {
    const attempt: Attempt = { result: Promise.resolve(undefined), settled: undefined, last: undefined, listener: undefined };
    attempt.result = (async (): Promise<Solved | undefined> => {
      const challenge = await http.post<ChallengeJson>('/v1/pow', {});
      const expiresAt = now() + challenge.expiresInSeconds * 1000;
      // A challenge too short-lived to outlast the writing is not worth solving ahead.
      if (challenge.expiresInSeconds * 1000 < 2 * AHEAD_MARGIN_MS) return undefined;
      if (challenge.difficulty === 0) return { headers: {}, expiresAt, done: undefined };
      const puzzles = { challenge: fromBase64Url(challenge.token), puzzles: challenge.puzzles, difficulty: challenge.difficulty };
      const solution = await solver(puzzles, (p) => { attempt.last = p; attempt.listener?.(p); });
      return { headers: { 'tipline-pow': `${challenge.token}.${toBase64Url(solution)}` }, expiresAt, done: attempt.last };
    })().then(
      (solved) => { attempt.settled = { solved }; return solved; },
      () => { attempt.settled = { solved: undefined }; return undefined; },
    );
    return attempt;
  };
  return {
    start() {
      // One at a time: a solve under way, or one solved and still fresh, is kept.
      const c = current;
      if (c && (!c.settled || (c.settled.solved && fresh(c.settled.solved)))) return;
      if (now() - askedAt < AHEAD_INTERVAL_MS) return;
      askedAt = now();
      current = ask();
    },
    async take(onProgress) {
      // Each attempt has its own listener, so a later one never reports to this caller.
      const taking = current;
      current = undefined;
      if (!taking) return undefined;
      taking.listener = onProgress;
      if (taking.last) onProgress?.(taking.last);
      const solved = await taking.result;
      taking.listener = undefined;
      if (!solved || !fresh(solved)) return undefined;
      if (solved.done) onProgress?.(solved.done);
      return solved.headers;
    },
  };
}

/**
 * A fetch that solves a fresh challenge before each request it sends, for a transport whose
 * every request needs one (the receipt's: PROTOCOL.md §11). The challenge is asked with the
 * request's own authorization, so the server counts it against the same receipt's budget.
 */
export function proofOfWorkFetch(baseUrl: string, solver: PowSolver, inner?: FetchLike): FetchLike {
  const send: FetchLike = inner ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init = {}) => {
    const headers = { ...((init.headers as Record<string, string> | undefined) ?? {}) };
    const authorization = headers['authorization'];
    const issuer = new HttpClient({ baseUrl, fetch: send, headers: authorization ? { authorization } : {} });
    return send(input, { ...init, headers: { ...headers, ...(await powHeaders(issuer, solver)) } });
  };
}

/** Longest stretch of solving before the event loop gets a turn: a page keeps painting. */
const SLICE_MS = 12;

/**
 * Runs protocol/pow.ts's search on the caller's thread in slices of about SLICE_MS, with
 * a turn of the event loop between them, reporting once per slice and at each solved
 * puzzle: the same answer as the reference solvePow.
 */
export function sliceSolver(be: Backend): PowSolver {
  return async (p, onProgress) => {
    const started = performance.now();
    const search = powSearch(be, p);
    let sliceStart = started;
    let solved = 0;
    for (;;) {
      const step = search.next();
      if (step.done) return step.value;
      const now = performance.now();
      if (step.value.solved === solved && now - sliceStart < SLICE_MS) continue;
      solved = step.value.solved;
      onProgress?.({ ...step.value, puzzles: p.puzzles, difficulty: p.difficulty, elapsedMs: now - started });
      if (now - sliceStart >= SLICE_MS) {
        await nextTask();
        sliceStart = performance.now();
      }
    }
  };
}

/** A fresh task without setTimeout's minimum delay, in browsers and in Node alike. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Waits before retry `attempt` (0-based): the server's Retry-After when it gave one, else backing off. */
export function retryDelay(attempt: number, retryAfterSeconds?: number): Promise<void> {
  const ms = retryAfterSeconds ? retryAfterSeconds * 1000 : Math.min(8000, 250 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
