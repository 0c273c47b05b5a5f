import { fromBase64Url, powSearch, toBase64Url, type Backend, type PowPuzzles } from '../protocol/index.js';
import { HttpClient, type FetchLike } from './http.js';

// Asks the server for a proof-of-work challenge and solves it: the `Tipline-PoW` header
// a submission and every receipt request need (PROTOCOL.md §11). Nothing at difficulty 0.
// A solver is whatever runs protocol/pow.ts's searchPuzzle: here on the caller's thread in
// slices (the CLI, the SDK, a page without Workers), or in the page's Worker (src/web/pow.ts).

/** Where a solver is: `solved` of `puzzles` done after `tries` hashes in `elapsedMs`. */
export interface PowProgress { solved: number; puzzles: number; difficulty: number; tries: number; elapsedMs: number }

export type PowSolver = (p: PowPuzzles, onProgress?: (p: PowProgress) => void) => Promise<Uint8Array>;

/** What the client needs to solve: a solver of its own, or the slice solver over its backend. */
export interface PowOptions { powSolver?: PowSolver }

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

interface ChallengeJson { token: string; puzzles: number; difficulty: number }

export async function powHeaders(http: HttpClient, solver: PowSolver, onProgress?: (p: PowProgress) => void): Promise<Record<string, string>> {
  const challenge = await http.post<ChallengeJson>('/v1/pow', {});
  if (challenge.difficulty === 0) return {};
  const puzzles = { challenge: fromBase64Url(challenge.token), puzzles: challenge.puzzles, difficulty: challenge.difficulty };
  const solution = await solver(puzzles, onProgress);
  return { 'tipline-pow': `${challenge.token}.${toBase64Url(solution)}` };
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
