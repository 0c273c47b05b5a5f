import type { Backend } from './backend.js';
import { uint64BE } from './bytes.js';
import { inputInvalid } from './errors.js';
import { LABEL } from './labels.js';
import { labelledHash } from './primitives.js';

const SOLUTION_BYTES = 8;
const MIN_CHALLENGE = 16;
const MAX_CHALLENGE = 1024;
const PROGRESS_EVERY = 4096;

function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

function checkDifficulty(difficulty: number): void {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 256) throw inputInvalid();
}

/** One hash: BLAKE2b-256(label || challenge || solution) has ≥ difficulty leading zero bits. */
export function verifyPow(be: Backend, challenge: Uint8Array, solution: Uint8Array, difficulty: number): boolean {
  checkDifficulty(difficulty);
  if (solution.length !== SOLUTION_BYTES) return false;
  if (challenge.length < MIN_CHALLENGE || challenge.length > MAX_CHALLENGE) return false;
  return leadingZeroBits(labelledHash(be, LABEL.pow, challenge, solution)) >= difficulty;
}

/** Throws `input_invalid` for a challenge or difficulty no solver should loop on. */
export function checkSolvable(challenge: Uint8Array, difficulty: number): void {
  checkDifficulty(difficulty);
  if (challenge.length < MIN_CHALLENGE || challenge.length > MAX_CHALLENGE) throw inputInvalid();
}

/** Tries solutions 0, 1, 2, … (uint64 BE); expected 2^difficulty hashes. */
export function solvePow(
  be: Backend,
  challenge: Uint8Array,
  difficulty: number,
  onProgress?: (tries: number) => void,
): Uint8Array {
  checkSolvable(challenge, difficulty);
  for (let tries = 0; tries < Number.MAX_SAFE_INTEGER; tries++) {
    const solution = uint64BE(tries);
    if (verifyPow(be, challenge, solution, difficulty)) return solution;
    if (onProgress !== undefined && tries % PROGRESS_EVERY === PROGRESS_EVERY - 1) onProgress(tries + 1);
  }
  throw inputInvalid();
}
