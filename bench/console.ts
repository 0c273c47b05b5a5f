import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { signIn } from '../test/console/page-checks.js';
import type { DownloadFigures } from './console-download.js';
import { consoleScene } from './lib/console-scene.js';
import type { BenchOptions } from './lib/options.js';
import { done, progress } from './lib/progress.js';
import { fmt, ratioRow, type ResultRow } from './lib/report.js';

// The staff console in Debian's Chromium against `tipline serve` with a large agency:
// the inbox's first page and a case with a long thread, each timed in the page from
// the click until its rows or messages are in the DOM, over many runs; and attachment
// decryption through the console's save path against raw libsodium in the same page.

export const chromiumPath = '/usr/bin/chromium';
const MESSAGES = 50;
const INBOX_TARGET_MS = 1000;
const CASE_TARGET_MS = 300;

export interface Timing { p50: number; p95: number }

/**
 * Clicks the button whose text is `button` (first match under `within`) and resolves
 * with the milliseconds until `selector` matches `count` elements, as a mutation
 * observer sees them land: the page's own clock, no polling from outside.
 */
export function timeClick(page: Page, within: string, button: string, selector: string, count: number): Promise<number> {
  return page.evaluate(({ within, button, selector, count }) => new Promise<number>((resolve, reject) => {
    const target = [...document.querySelectorAll<HTMLButtonElement>(`${within} button`)].find((b) => b.textContent?.trim().startsWith(button));
    if (!target) return reject(new Error(`no button "${button}" in ${within}`));
    const timer = setTimeout(() => { watcher.disconnect(); reject(new Error(`${selector} did not reach ${count} within 30 s`)); }, 30_000);
    const watcher = new MutationObserver(() => {
      if (document.querySelectorAll(selector).length < count) return;
      clearTimeout(timer);
      watcher.disconnect();
      resolve(performance.now() - t0);
    });
    watcher.observe(document.body, { childList: true, subtree: true });
    const t0 = performance.now();
    target.click();
  }), { within, button, selector, count });
}

export function percentiles(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95) };
}

/** The thread must show as the console shows a good one: every message opened, each staff reply verified. */
async function checkThread(page: Page): Promise<void> {
  const shown = await page.evaluate(() => ({
    signed: document.querySelectorAll('li.message.signed').length,
    denouncer: document.querySelectorAll('li.message.denouncer').length,
    refused: document.querySelectorAll('li.message.refused').length,
  }));
  if (shown.signed !== MESSAGES / 2 || shown.denouncer !== MESSAGES / 2 || shown.refused !== 0) {
    throw new Error(`the case view showed ${JSON.stringify(shown)}, not ${MESSAGES / 2} signed and ${MESSAGES / 2} denouncer messages`);
  }
}

async function bundleDownloadCore(): Promise<string> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./console-download.ts', import.meta.url))],
    bundle: true, write: false, format: 'iife', globalName: 'tiplineConsoleDownload', platform: 'browser', target: 'es2022',
    jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'silent',
    // libsodium-wrappers probes for Node modules it never loads in a browser.
    external: ['crypto', 'path', 'fs'],
  });
  // Evaluated through the DevTools protocol (the console's CSP refuses script tags),
  // where a top-level var stays local: the module is put on globalThis by name.
  return `${bundle.outputFiles[0]?.text ?? ''}\nglobalThis.tiplineConsoleDownload = tiplineConsoleDownload;`;
}

export async function benchConsole(options: BenchOptions): Promise<{ rows: ResultRow[]; notes: string[] }> {
  const { chromium } = await import('playwright-core');
  const scene = await consoleScene(options.databaseUrl, options.cases, MESSAGES);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`console page error: ${String(e)}\n`));
    progress('console: signing in');
    await page.goto(scene.consoleUrl);
    await signIn(page, scene.keyFile, scene.passphrase, { fingerprint: scene.fingerprint });
    await page.locator('table.cases tbody tr').nth(49).waitFor({ timeout: 60_000 });

    const inbox: number[] = [];
    const opening: number[] = [];
    // One warm-up round first: the first open compiles and caches what every later one reuses.
    for (let run = -1; run < options.consoleRuns; run++) {
      progress(`console: run ${run + 1}/${options.consoleRuns}`);
      const open = await timeClick(page, 'table.cases', scene.publicNumber, 'ol.messages > li', MESSAGES);
      if (run === -1) await checkThread(page);
      // The read point and the timeline settle before the way back is timed.
      await page.waitForLoadState('networkidle');
      const back = await timeClick(page, 'section.case', '←', 'table.cases tbody tr', 50);
      await page.waitForLoadState('networkidle');
      if (run >= 0) { opening.push(open); inbox.push(back); }
    }
    const first = percentiles(inbox);
    const opened = percentiles(opening);
    done(`console: inbox first page p95 ${first.p95.toFixed(0)} ms, case with ${MESSAGES} messages p95 ${opened.p95.toFixed(0)} ms`);

    progress(`console: decrypting a ${options.consoleMiB} MiB attachment in the page`);
    await page.evaluate(await bundleDownloadCore());
    const d = await page.evaluate(
      (mib) => (globalThis as unknown as { tiplineConsoleDownload: { measureDownload(m: number): Promise<DownloadFigures> } }).tiplineConsoleDownload.measureDownload(mib),
      options.consoleMiB,
    );
    done(`console: download ${d.console.toFixed(0)} MB/s, raw secretstream ${d.rawSecretstream.toFixed(0)} MB/s, raw AEAD ${d.rawAead.toFixed(0)} MB/s, raw AEAD + BLAKE2b ${d.rawAeadHash.toFixed(0)} MB/s`);

    const benchmark = `staff console, ${options.cases.toLocaleString('en-US')} cases, Chromium`;
    const timed = (measure: string, r: Timing, target: number): ResultRow => ({
      benchmark, measure: `${measure}, p95 (p50) of ${options.consoleRuns}`, tipline: `${fmt.ms(r.p95)} (${fmt.ms(r.p50)})`,
      ceiling: '', ratio: '', target: `< ${target} ms`, verdict: r.p95 < target ? 'met' : 'short',
    });
    const download = `staff console download, ${options.consoleMiB} MiB, Chromium`;
    return {
      rows: [
        timed('inbox first page, click to 50 rows in the DOM', first, INBOX_TARGET_MS),
        timed(`case with ${MESSAGES} messages, click to all opened in the DOM`, opened, CASE_TARGET_MS),
        ratioRow(download, 'save path vs raw secretstream pull', d.console, d.rawSecretstream, 0.8, fmt.mbps),
        { ...ratioRow(download, 'save path vs raw AEAD decrypt', d.console, d.rawAead, 0, fmt.mbps), target: 'info', verdict: 'n/a' },
        { ...ratioRow(download, 'save path vs raw AEAD decrypt + BLAKE2b', d.console, d.rawAeadHash, 0, fmt.mbps), target: 'info', verdict: 'n/a' },
      ],
      notes: [],
    };
  } finally {
    await browser.close();
    await scene.stop();
  }
}
