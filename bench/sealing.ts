import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { measureSealing, type SealingFigures } from './sealing-core.js';
import { done, progress } from './lib/progress.js';

// Client sealing throughput in Node and in headless Chromium. The browser runs the
// same module, bundled by esbuild as the denouncer page would be.

const chromiumPath = '/usr/bin/chromium';

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

async function inChromium(mib: number): Promise<SealingFigures | { skipped: string }> {
  if (!existsSync(chromiumPath)) return { skipped: `no browser at ${chromiumPath}` };
  const { chromium } = await import('playwright-core');
  progress('sealing: bundling for the browser');
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./sealing-core.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'tiplineSealing',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    // libsodium-wrappers probes for Node modules it never loads in a browser.
    external: ['crypto', 'path', 'fs'],
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: code });
    progress(`sealing: Chromium, ${mib} MiB per figure`);
    return await page.evaluate(
      (m) => (globalThis as unknown as { tiplineSealing: { measureSealing(m: number): Promise<SealingFigures> } }).tiplineSealing.measureSealing(m),
      mib,
    );
  } catch (err) {
    return { skipped: `browser run failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await browser.close();
  }
}
