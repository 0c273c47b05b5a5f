import { fileURLToPath } from 'node:url';
import { inChromium as runInChromium } from './lib/in-chromium.js';
import { measureSealing, type SealingFigures } from './sealing-core.js';
import { done, progress } from './lib/progress.js';

// Client sealing throughput in Node and in headless Chromium. The browser runs the
// same module, bundled by esbuild as the denouncer page would be.

export interface SealingResult {
  node: SealingFigures;
  chromium: SealingFigures | { skipped: string };
}

export async function benchSealing(mib: number): Promise<SealingResult> {
  progress(`sealing: Node, ${mib} MiB per figure`);
  const node = await measureSealing(mib);
  done(`sealing (Node): tipline ${node.tiplineSodium.toFixed(0)} MB/s, raw AEAD ${node.rawAead.toFixed(0)} MB/s`);
  const chromium = await inChromium(mib);
  if ('skipped' in chromium) done(`sealing (Chromium): skipped, ${chromium.skipped}`);
  else done(`sealing (Chromium): tipline ${chromium.tiplineSodium.toFixed(0)} MB/s, raw AEAD ${chromium.rawAead.toFixed(0)} MB/s`);
  return { node, chromium };
}

function inChromium(mib: number): Promise<SealingFigures | { skipped: string }> {
  progress(`sealing: Chromium, ${mib} MiB per figure`);
  return runInChromium<number, SealingFigures>(fileURLToPath(new URL('./sealing-core.ts', import.meta.url)), 'tiplineSealing', 'measureSealing', mib);
}
