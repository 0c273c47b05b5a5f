import { fromBase64Url, solvePow, toBase64Url, type Backend } from '../protocol/index.js';
import type { HttpClient } from './http.js';

// Asks the server for a proof-of-work challenge and solves it: the `Tipline-PoW` header
// an anonymous submission or receipt look-up needs. Nothing at difficulty 0.

export async function powHeaders(http: HttpClient, be: Backend, onTries?: (tries: number) => void): Promise<Record<string, string>> {
  const challenge = await http.post<{ token: string; difficulty: number }>('/v1/pow', {});
  if (challenge.difficulty === 0) return {};
  const solution = solvePow(be, fromBase64Url(challenge.token), challenge.difficulty, onTries);
  return { 'tipline-pow': `${challenge.token}.${toBase64Url(solution)}` };
}

/** Waits before retry `attempt` (0-based): the server's Retry-After when it gave one, else backing off. */
export function retryDelay(attempt: number, retryAfterSeconds?: number): Promise<void> {
  const ms = retryAfterSeconds ? retryAfterSeconds * 1000 : Math.min(8000, 250 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
