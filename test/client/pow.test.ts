import t from 'tap';
import { solveInSlices } from '../../src/client/pow.js';
import { loadBackend, solvePow, verifyPow } from '../../src/protocol/index.js';

// The client's solver gives the reference solver's answer (the first solution in the
// order PROTOCOL.md fixes) while letting the event loop run, so a page keeps painting.

t.test('same solution as the reference, with the event loop turning meanwhile', async (t) => {
  const be = await loadBackend('sodium');
  const challenge = new Uint8Array(32).fill(9);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  const started = performance.now();
  let reported = 0;
  const solution = await solveInSlices(be, challenge, 15, (n) => { reported = n; });
  const took = performance.now() - started;
  clearInterval(timer);
  t.ok(verifyPow(be, challenge, solution, 15));
  t.same(solution, solvePow(be, challenge, 15), 'the first solution, as the reference finds it');
  if (took > 100) {
    t.ok(ticks > 0, `timers ran while solving (${ticks} in ${took.toFixed(0)} ms)`);
    t.ok(reported > 0, 'progress was reported');
  }
});

t.test('bad challenges and difficulties are refused, not looped on', async (t) => {
  const be = await loadBackend('noble');
  await t.rejects(solveInSlices(be, new Uint8Array(4), 8), 'too short a challenge');
  await t.rejects(solveInSlices(be, new Uint8Array(32), 300), 'impossible difficulty');
  t.same(await solveInSlices(be, new Uint8Array(32), 0), new Uint8Array(8), 'difficulty 0: the first try');
});
