import { existsSync } from 'node:fs';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { done, progress } from './lib/progress.js';
import { fmt, type ResultRow } from './lib/report.js';
import { benchBrowserArgs, startPageServer } from './lib/page-server.js';

// The denouncer page on a slow link and a weak phone (issue 18): Debian's Chromium with
// CDP throttling (400 ms latency, 50 kB/s each way, CPU 4× slower) loads the built page
// from a tipline server on 127.0.0.1 with one agency. Measured per run, from navigation:
// "usable" (the page's tipline:usable mark: the form is drawn and the agency list in, so
// the agency can be chosen and typing starts; the bench then does both), then
// "agency checked" (the crypto code is in and the agency's key bundle verified), and the
// bytes received before usable. Empty cache (a fresh browser context), then a second
// visit in the same context; with WebAssembly and without (the pure-JavaScript path).

const CHROMIUM = '/usr/bin/chromium';
const RUNS = 7;
const LINK = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const CPU_SLOWDOWN = 4;
const TARGET = { emptyMs: 3000, warmMs: 1000, bytes: 100_000 };

interface Visit { usableMs: number; checkedMs: number; bytes: number; agencyFetches: number }

/** Bytes on the wire per request (headers and body, compressed), as Chromium counts them. */
function wireCounter(cdp: CDPSession): { total(): number; reset(): void } {
  let bytes = new Map<string, number>();
  cdp.on('Network.dataReceived', (e) => bytes.set(e.requestId, (bytes.get(e.requestId) ?? 0) + e.encodedDataLength));
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, Math.max(bytes.get(e.requestId) ?? 0, e.encodedDataLength)));
  return { total: () => [...bytes.values()].reduce((a, b) => a + b, 0), reset: () => void (bytes = new Map()) };
}

async function visit(page: Page, url: string, wire: ReturnType<typeof wireCounter>, agencyName: string): Promise<Visit> {
  wire.reset();
  // The HTML preloads the agency directory; the page's own fetch must take that one over.
  let agencyFetches = 0;
  const count = (r: { url(): string }) => void (r.url().endsWith('/v1/directory') && agencyFetches++);
  page.on('request', count);
  await page.goto(url, { waitUntil: 'commit' });
  const select = page.getByLabel('Chọn cơ quan');
  await select.locator('option', { hasText: agencyName }).waitFor({ state: 'attached', timeout: 60_000 });
  await select.selectOption({ label: agencyName });
  await page.getByLabel('Hành vi vi phạm là gì?').fill('x');
  // Times from the page's own clock, whose origin is the navigation: the page marks
  // the moment its form is drawn and the agency list in (src/web/views/agency-picker.ts).
  const usableMs = await page.evaluate(() => performance.getEntriesByName('tipline:usable')[0]?.startTime ?? Number.NaN);
  const bytes = wire.total();
  if (!(usableMs > 0)) throw new Error('the page set no tipline:usable mark');
  await page.locator('[data-i18n="agency.unpinned"], [data-i18n="agency.pinned"]').waitFor({ timeout: 120_000 });
  const checkedMs = await page.evaluate(() => performance.now());
  page.off('request', count);
  return { usableMs, checkedMs, bytes, agencyFetches };
}

async function throttled(browser: Browser): Promise<{ page: Page; wire: ReturnType<typeof wireCounter>; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { page, wire: wireCounter(cdp), close: () => context.close() };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function rows(path: string, empty: Visit[], warm: Visit[]): ResultRow[] {
  const row = (measure: string, value: number, unit: (n: number) => string, target: number | undefined): ResultRow => ({
    benchmark: 'page load',
    measure: `${path}, ${measure}`,
    tipline: unit(value),
    ceiling: '—',
    ratio: '—',
    target: target === undefined ? 'info' : `≤ ${unit(target)}`,
    verdict: target === undefined ? 'n/a' : value <= target ? 'met' : 'short',
  });
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  return [
    row('usable, empty cache', median(empty.map((v) => v.usableMs)), fmt.ms, TARGET.emptyMs),
    row('usable, second visit', median(warm.map((v) => v.usableMs)), fmt.ms, TARGET.warmMs),
    row('bytes before usable, empty cache', median(empty.map((v) => v.bytes)), kb, TARGET.bytes),
    row('bytes before usable, second visit', median(warm.map((v) => v.bytes)), kb, undefined),
    row('agency checked, empty cache', median(empty.map((v) => v.checkedMs)), fmt.ms, undefined),
    row('agency checked, second visit', median(warm.map((v) => v.checkedMs)), fmt.ms, undefined),
  ];
}

export async function benchPageLoad(): Promise<{ rows: ResultRow[]; notes: string[] }> {
  if (!existsSync(CHROMIUM)) return { rows: [], notes: [`page load skipped: no browser at ${CHROMIUM}`] };
  const { chromium } = await import('playwright-core');
  progress('page load: building the page and a server with one agency');
  const served = await startPageServer('page');
  const { url } = served;
  const out: ResultRow[] = [];
  const notes: string[] = [];
  try {
    for (const wasm of [true, false]) {
      const path = wasm ? 'WebAssembly' : 'no WebAssembly';
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: benchBrowserArgs(wasm) });
      const empty: Visit[] = [];
      const warm: Visit[] = [];
      try {
        for (let i = 1; i <= RUNS; i++) {
          progress(`page load (${path}): run ${i}/${RUNS}`);
          const t = await throttled(browser);
          empty.push(await visit(t.page, url, t.wire, 'Bench inspectorate'));
          warm.push(await visit(t.page, url, t.wire, 'Bench inspectorate'));
          await t.close();
        }
      } finally {
        await browser.close();
      }
      const r = rows(path, empty, warm);
      done(`page load (${path}): ${r.map((x) => `${x.measure.split(', ').slice(1).join(', ')} ${x.tipline}`).join('; ')}`);
      out.push(...r);
      const doubled = [...empty, ...warm].filter((v) => v.agencyFetches !== 1).length;
      if (doubled) notes.push(`page load (${path}): ${doubled} visits fetched the agency directory other than once (the preload was not used).`);
    }
  } finally {
    await served.close();
  }
  const note = `Page load: Chromium with CDP throttling (latency ${LINK.latency} ms, ${LINK.downloadThroughput / 1000} kB/s down and up, CPU ${CPU_SLOWDOWN}× slower), 360 px, medians of ${RUNS} runs; "usable" is the page's own tipline:usable mark (form drawn, agency list in; the bench then chooses the agency and types); "agency checked" adds fetching the crypto code and verifying the agency's key bundle.`;
  return { rows: out, notes: [note, ...notes] };
}
