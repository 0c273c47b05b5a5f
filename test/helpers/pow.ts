import type { FastifyInstance } from 'fastify';
import { fromBase64Url, solvePow, toBase64Url, type Backend } from '../../src/protocol/index.js';

// A solved `Tipline-PoW` header for the tests that talk to the server directly (the SDK's
// tests go through src/client/pow.ts instead).

export interface ChallengeJson { token: string; puzzles: number; difficulty: number }

/** The header for an answer the server issued, solved by the reference solver. */
export function solvedHeader(be: Backend, c: ChallengeJson): string {
  const solution = solvePow(be, { challenge: fromBase64Url(c.token), puzzles: c.puzzles, difficulty: c.difficulty });
  return `${c.token}.${toBase64Url(solution)}`;
}

/** Asks `app` for a challenge (with the receipt's authorization, if given) and solves it. */
export async function solvedPow(app: FastifyInstance, be: Backend, authorization?: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/pow', payload: {}, headers: authorization ? { authorization } : {} });
  return solvedHeader(be, res.json() as ChallengeJson);
}
