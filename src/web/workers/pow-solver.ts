import type { Backend } from '../../protocol/backend.js';
import { powSearch, type PowPuzzles } from '../../protocol/pow.js';

// The proof-of-work Worker (started by src/web/pow.ts from bytes checked against
// index.html): runs protocol/pow.ts's search off the page's thread, so the page never
// freezes however long the puzzles take, and says where it is at most every REPORT_MS and
// at every solved puzzle. It is given the puzzles and nothing else, and answers only them.

const REPORT_MS = 100;

export type WorkerAnswer =
  | { kind: 'progress'; solved: number; tries: number; elapsedMs: number }
  | { kind: 'solved'; solution: Uint8Array }
  | { kind: 'failed' };

export function serveSolver(backend: Promise<Backend>): void {
  const answer = (a: WorkerAnswer) => globalThis.postMessage(a);
  globalThis.addEventListener('message', (event: MessageEvent<PowPuzzles>) => {
    void (async () => {
      try {
        const be = await backend;
        const started = performance.now();
        const search = powSearch(be, event.data);
        let reported = started;
        let solved = 0;
        for (;;) {
          const step = search.next();
          if (step.done) return answer({ kind: 'solved', solution: step.value });
          const now = performance.now();
          if (step.value.solved === solved && now - reported < REPORT_MS) continue;
          ({ solved } = step.value);
          reported = now;
          answer({ kind: 'progress', ...step.value, elapsedMs: now - started });
        }
      } catch {
        answer({ kind: 'failed' });
      }
    })();
  });
}
