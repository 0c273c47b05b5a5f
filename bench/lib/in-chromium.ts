import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { progress } from './progress.js';

// Runs one exported function of an isomorphic bench module in headless Chromium, the
// module bundled by esbuild as the denouncer page would be.

const chromiumPath = '/usr/bin/chromium';

export async function inChromium<A, R>(entry: string, globalName: string, fn: string, arg: A): Promise<R | { skipped: string }> {
  if (!existsSync(chromiumPath)) return { skipped: `no browser at ${chromiumPath}` };
  const { chromium } = await import('playwright-core');
  progress(`${globalName}: bundling for the browser`);
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
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
    return (await page.evaluate(
      ([g, f, a]) => (globalThis as unknown as Record<string, Record<string, (x: unknown) => Promise<unknown>>>)[g]![f]!(a),
      [globalName, fn, arg] as const,
    )) as R;
  } catch (err) {
    return { skipped: `browser run failed: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await browser.close();
  }
}
