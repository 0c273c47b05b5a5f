import type { Backend } from './backend.js';
import { utf8 } from './bytes.js';
import { inputInvalid } from './errors.js';
import { LABEL } from './labels.js';

// Proof of work (PROTOCOL.md §11): k independent puzzles over one challenge. The time to
// solve one puzzle is geometric (its spread is as wide as its mean); the sum of k of them
// is far narrower, so the cost a person waits for is predictable. Puzzle i is solved by an
// 8-byte s_i with BLAKE2b-256("tipline/v1/pow/puzzle" || challenge || u8(i) || s_i) having
// at least `difficulty` leading zero bits; the index keeps one answer from serving twice.

export const SOLUTION_BYTES = 8;
export const MAX_PUZZLES = 16;
const MIN_CHALLENGE = 16;
const MAX_CHALLENGE = 1024;

/** What a server asks: `puzzles` puzzles over `challenge`, each at `difficulty` bits. */
export interface PowPuzzles { challenge: Uint8Array; puzzles: number; difficulty: number }

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

/** Throws `input_invalid` for puzzles no solver should loop on (nor any verifier accept). */
export function checkSolvable(p: PowPuzzles): void {
  const { challenge, puzzles, difficulty } = p;
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 256) throw inputInvalid();
  if (!Number.isInteger(puzzles) || puzzles < 1 || puzzles > MAX_PUZZLES) throw inputInvalid();
  if (challenge.length < MIN_CHALLENGE || challenge.length > MAX_CHALLENGE) throw inputInvalid();
}

/** label || challenge || u8(index) || s, with s (the last 8 bytes) left zero for the caller. */
function puzzleInput(challenge: Uint8Array, index: number): Uint8Array {
  const label = utf8(LABEL.powPuzzle);
  const input = new Uint8Array(label.length + challenge.length + 1 + SOLUTION_BYTES);
  input.set(label);
  input.set(challenge, label.length);
  input[label.length + challenge.length] = index;
  return input;
}

/** The hash puzzle `index` is judged by, for its answer `s` (8 bytes). */
export function puzzleHash(be: Backend, challenge: Uint8Array, index: number, s: Uint8Array): Uint8Array {
  const input = puzzleInput(challenge, index);
  input.set(s, input.length - SOLUTION_BYTES);
  return be.blake2b(32, input);
}

/**
 * Verifies s_0 || … || s_{k−1}: exactly 8·k bytes, each s_i solving puzzle i. k hashes
 * at most (stops at the first that fails).
 */
export function verifyPow(be: Backend, p: PowPuzzles, solution: Uint8Array): boolean {
  checkSolvable(p);
  if (solution.length !== p.puzzles * SOLUTION_BYTES) return false;
  for (let i = 0; i < p.puzzles; i++) {
    const s = solution.subarray(i * SOLUTION_BYTES, (i + 1) * SOLUTION_BYTES);
    if (leadingZeroBits(puzzleHash(be, p.challenge, i, s)) < p.difficulty) return false;
  }
  return true;
}

/** Where a search is: puzzles solved so far and hashes tried in all. */
export interface PowSearchState { solved: number; tries: number }

const BATCH = 256;

/**
 * The one search every solver runs, whatever it schedules between batches (a turn of the
 * event loop, a progress message): puzzles in order, each trying s = u64be(0), u64be(1), …
 * Yields after every batch of 256 tries and returns s_0 || … || s_{k−1}. The hashed input is
 * built once per puzzle and only its last 8 bytes change.
 */
export function* powSearch(be: Backend, p: PowPuzzles): Generator<PowSearchState, Uint8Array, void> {
  checkSolvable(p);
  const solution = new Uint8Array(p.puzzles * SOLUTION_BYTES);
  let tries = 0;
  for (let i = 0; i < p.puzzles; i++) {
    const input = puzzleInput(p.challenge, i);
    const at = input.length - SOLUTION_BYTES;
    const view = new DataView(input.buffer);
    for (let s = 0; ; s++) {
      if (s >= Number.MAX_SAFE_INTEGER) throw inputInvalid();
      view.setUint32(at, Math.floor(s / 2 ** 32));
      view.setUint32(at + 4, s >>> 0);
      tries++;
      if (leadingZeroBits(be.blake2b(32, input)) >= p.difficulty) break;
      if (tries % BATCH === 0) yield { solved: i, tries };
    }
    solution.set(input.subarray(at), i * SOLUTION_BYTES);
    yield { solved: i + 1, tries };
  }
  return solution;
}

/** The reference solver: the search run to its end. Expected work k · 2^difficulty hashes. */
export function solvePow(be: Backend, p: PowPuzzles): Uint8Array {
  const search = powSearch(be, p);
  for (;;) {
    const step = search.next();
    if (step.done) return step.value;
  }
}
