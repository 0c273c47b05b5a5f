import { sliceSolver, type PowProgress, type PowSolver } from '../client/pow.js';
import type { Backend, PowPuzzles } from '../protocol/index.js';
import type { WorkerName } from './bundle.js';
import { verifiedWorkerUrl } from './lazy.js';
import type { WorkerAnswer } from './workers/pow-solver.js';

// The page's proof-of-work solver: the puzzles are solved in a dedicated Worker
// (src/web/workers/), so the page's thread only draws the progress. The Worker's script is
// checked against index.html before it runs (lazy.ts); one that fails its hash is refused
// like a backend chunk, with no fallback that would hide a tampered server. Where Workers
// cannot start (none in this browser, or one refused by policy), the same search runs
// here in slices, as the CLI does. One Worker serves every solve of the page, in turn.

// Under Trusted Types (CSP `trusted-types tipline-pow-worker`), a Worker's URL must come
// from a policy: this one vouches only for blob: URLs this module made from checked bytes.
interface ScriptUrlPolicy { createScriptURL(url: string): unknown }
interface TrustedTypesLike { createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptUrlPolicy }
const verified = new Set<string>();
let policy: ScriptUrlPolicy | undefined;

function trustedUrl(url: string): unknown {
  const factory = (globalThis as { trustedTypes?: TrustedTypesLike }).trustedTypes;
  if (!factory) return url;
  policy ??= factory.createPolicy('tipline-pow-worker', {
    createScriptURL: (candidate) => {
      if (!verified.has(candidate)) throw new TypeError('not a checked Worker script');
      return candidate;
    },
  });
  return policy.createScriptURL(url);
}

const started = new Map<WorkerName, Promise<Worker | undefined>>();
const workerName = (be: Backend): WorkerName => (be.name === 'sodium' ? 'pow-sodium' : 'pow-noble');

/** The Worker for `be`, started once; undefined where none can run. Rejects if its script fails its hash. */
function workerFor(be: Backend): Promise<Worker | undefined> {
  const name = workerName(be);
  let worker = started.get(name);
  if (!worker) {
    worker = (async () => {
      if (typeof Worker !== 'function') return undefined;
      const url = await verifiedWorkerUrl(name);
      verified.add(url);
      try {
        return new Worker(trustedUrl(url) as string);
      } catch {
        return undefined;
      }
    })();
    started.set(name, worker);
  }
  return worker;
}

/** Fetches and starts the Worker ahead of the first solve (the person is still typing). */
export function preparePowWorker(be: Backend): void {
  workerFor(be).catch(() => {});
}

function solveIn(worker: Worker, p: PowPuzzles, onProgress?: (p: PowProgress) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      worker.removeEventListener('message', onAnswer);
      worker.removeEventListener('error', onError);
    };
    const onAnswer = (event: MessageEvent<WorkerAnswer>) => {
      const a = event.data;
      if (a.kind === 'progress') return onProgress?.({ ...a, puzzles: p.puzzles, difficulty: p.difficulty });
      finish();
      if (a.kind === 'solved') resolve(a.solution);
      else reject(new Error('the proof-of-work Worker failed'));
    };
    const onError = (event: Event) => {
      event.preventDefault();
      finish();
      reject(new Error('the proof-of-work Worker stopped'));
    };
    worker.addEventListener('message', onAnswer);
    worker.addEventListener('error', onError);
    worker.postMessage(p);
  });
}

let turn: Promise<unknown> = Promise.resolve();

export function pagePowSolver(be: Backend): PowSolver {
  const here = sliceSolver(be);
  return (p, onProgress) => {
    const solve = turn.then(async () => {
      // The page's own record of each solve (bench/pow.ts reads it): no clock leaves the page.
      const start = performance.now();
      try {
        return await solveOnce(p, onProgress);
      } finally {
        performance.measure('tipline:pow', { start });
      }
    });
    turn = solve.catch(() => {});
    return solve;
  };

  async function solveOnce(p: PowPuzzles, onProgress?: (p: PowProgress) => void): Promise<Uint8Array> {
    const worker = await workerFor(be);
    if (!worker) return here(p, onProgress);
    try {
      return await solveIn(worker, p, onProgress);
    } catch {
      // A Worker that broke is not asked again; this page solves on its own thread.
      worker.terminate();
      started.set(workerName(be), Promise.resolve(undefined));
      return here(p, onProgress);
    }
  }
}
