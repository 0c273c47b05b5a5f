import { fileURLToPath } from 'node:url';
import { inChromium } from './lib/in-chromium.js';
import { done, progress } from './lib/progress.js';
import { fmt, type ResultRow } from './lib/report.js';
import { RECIPIENTS, measureWraps, type WrapFigures } from './wraps-core.js';

// Key wraps for one case, v2 (X-Wing) against v1 (X25519), in Node and in Chromium.
// Informational: v2 costs what a post-quantum KEM costs; the figure is there to see it.

const ROUNDS = 20;

function rows(where: string, f: WrapFigures): ResultRow[] {
  const out: ResultRow[] = [];
  for (const backend of ['sodium', 'noble']) {
    for (const [step, figures] of [['seal', f.seal], ['open', f.open]] as const) {
      const v1 = figures[`${backend} v1`]!;
      const v2 = figures[`${backend} v2`]!;
      out.push({
        benchmark: 'key wraps',
        measure: `${where}, ${backend}: ${step} a content key for ${RECIPIENTS} recipients, v2 vs v1`,
        tipline: fmt.ms(v2),
        ceiling: fmt.ms(v1),
        ratio: `${(v2 / v1).toFixed(1)}×`,
        target: 'info',
        verdict: 'n/a',
      });
    }
  }
  return out;
}

export async function benchWraps(): Promise<{ rows: ResultRow[]; notes: string[] }> {
  progress('key wraps: Node');
  const node = await measureWraps(ROUNDS);
  done(`key wraps (Node): sodium v2 seal ${fmt.ms(node.seal['sodium v2']!)}, open ${fmt.ms(node.open['sodium v2']!)}`);
  const entry = fileURLToPath(new URL('./wraps-core.ts', import.meta.url));
  const chromium = await inChromium<number, WrapFigures>(entry, 'tiplineWraps', 'measureWraps', ROUNDS);
  const notes: string[] = [];
  const out = rows('Node', node);
  if ('skipped' in chromium) notes.push(`Chromium key wraps skipped: ${chromium.skipped}.`);
  else out.push(...rows('Chromium', chromium));
  done('key wraps: measured');
  return { rows: out, notes };
}
