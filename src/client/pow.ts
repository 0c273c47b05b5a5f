import { checkSolvable, fromBase64Url, toBase64Url, verifyPow, type Backend } from '../protocol/index.js';
import { HttpClient, type FetchLike } from './http.js';

// Asks the server for a proof-of-work challenge and solves it: the `Tipline-PoW` header
// a submission and every receipt request need (PROTOCOL.md §11). Nothing at difficulty 0.

/** Longest stretch of solving before the event loop gets a turn: a page keeps painting. */
const SLICE_MS = 12;
const TRIES_PER_CLOCK_CHECK = 256;

export async function powHeaders(http: HttpClient, be: Backend, onTries?: (tries: number) => void): Promise<Record<string, string>> {
  const challenge = await http.post<{ token: string; difficulty: number }>('/v1/pow', {});
  if (challenge.difficulty === 0) return {};
  const solution = await solveInSlices(be, fromBase64Url(challenge.token), challenge.difficulty, onTries);
  return { 'tipline-pow': `${challenge.token}.${toBase64Url(solution)}` };
}

/**
 * A fetch that solves a fresh challenge before each request it sends, for a transport whose
 * every request needs one (the receipt's: PROTOCOL.md §11). The challenge is asked with the
 * request's own authorization, so the server counts it against the same receipt's budget.
 */
export function proofOfWorkFetch(baseUrl: string, be: Backend, inner?: FetchLike): FetchLike {
  const send: FetchLike = inner ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init = {}) => {
    const headers = { ...((init.headers as Record<string, string> | undefined) ?? {}) };
    const authorization = headers['authorization'];
    const issuer = new HttpClient({ baseUrl, fetch: send, headers: authorization ? { authorization } : {} });
    return send(input, { ...init, headers: { ...headers, ...(await powHeaders(issuer, be)) } });
  };
}

/**
 * Tries solutions 0, 1, 2, … as PROTOCOL.md "Proof of work" says, in slices of about
 * SLICE_MS with a turn of the event loop between them: the web page solves on its
 * main thread (where libsodium's WebAssembly already runs) and must not freeze while
 * it does. Reports progress once per slice.
 */
export async function solveInSlices(be: Backend, challenge: Uint8Array, difficulty: number, onTries?: (tries: number) => void): Promise<Uint8Array> {
  checkSolvable(challenge, difficulty);
  const solution = new Uint8Array(8);
  const view = new DataView(solution.buffer);
  let sliceStart = performance.now();
  for (let tries = 0; tries < Number.MAX_SAFE_INTEGER; tries++) {
    view.setBigUint64(0, BigInt(tries));
    if (verifyPow(be, challenge, solution, difficulty)) return solution;
    if (tries % TRIES_PER_CLOCK_CHECK === TRIES_PER_CLOCK_CHECK - 1 && performance.now() - sliceStart >= SLICE_MS) {
      onTries?.(tries + 1);
      await nextTask();
      sliceStart = performance.now();
    }
  }
  throw new Error('no proof-of-work solution found');
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
