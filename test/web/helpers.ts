import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tap, { type Test } from 'tap';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { buildWeb, type WebBuildResult } from '../../src/web/build.js';
import type { Config } from '../../src/server/config.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { screenshot } from '../helpers/screenshots.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/**
 * Whether the browser tests can run here. Without Chromium they skip, saying why — except
 * under CI (CI=1, set by .ci/run), where a skipped browser test would pass for a page
 * nobody loaded, so it fails instead.
 */
export function browserOrSkip(t: Test): boolean {
  if (hasChromium) return true;
  const why = `browser tests need ${CHROMIUM} (apt-get install chromium)`;
  if (process.env['CI']) t.fail(why);
  else t.plan(0, why);
  return false;
}
export const ARTIFACTS = 'test-artifacts/web';

/** Builds the page into a temporary directory, with the given trust anchors compiled in. */
export async function buildPage(
  t: Test,
  trustedAgencies: Record<string, string | { fingerprint: string; serial?: number }> = {},
): Promise<WebBuildResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'tipline-web-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  return buildWeb({ outDir, trustedAgencies, minify: false });
}

/** The chunks that index.html lists for a lazy load ('sodium', 'noble'), as URL paths. */
export async function lazyChunks(webDir: string, name: string): Promise<string[]> {
  const html = await readFile(join(webDir, 'index.html'), 'utf8');
  const content = new RegExp(`<meta name="tipline-lazy" content="${name} ([^"]*)">`).exec(html)?.[1];
  if (!content) throw new Error(`index.html lists no chunk for ${name}`);
  return content.split(' ').filter((_, i) => i % 2 === 0);
}

export interface PageServer extends TestApp {
  url: string;
}

/** A test app on a fresh database, serving the built page on a real port (browsers need one). */
export async function startServer(t: Test, webDir: string, overrides: Partial<Config> = {}): Promise<PageServer> {
  const testApp = await createTestApp(t, { webDir, ...overrides });
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (address === null || typeof address !== 'object') throw new Error('server did not listen');
  return { ...testApp, url: `http://127.0.0.1:${address.port}` };
}

export interface BrowserOptions {
  wasm?: boolean;
  width?: number;
}

export interface OpenPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every request the page made, in order. */
  requests: Request[];
  /** Console errors and warnings (a CSP violation shows up here). */
  consoleProblems: string[];
  shot(name: string): Promise<void>;
}

const browsers = new Map<string, Promise<Browser>>();

/**
 * Debian's Chromium, headless: one per set of flags per test file, closed when the file
 * ends. Starting Chromium costs seconds on a loaded machine; each caller gets its own
 * context (cookies, storage and HTTP cache are per context), so tests stay independent.
 */
export async function launchChromium(options: BrowserOptions = {}): Promise<Browser> {
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  ];
  // --noexpose_wasm alone no longer hides WebAssembly in current Chromium; --jitless
  // removes it (and the JIT, as Tor Browser "Safer" does).
  if (options.wasm === false) args.push('--js-flags=--jitless --noexpose_wasm');
  const key = args.join(' ');
  let browser = browsers.get(key);
  if (!browser) {
    browser = chromium.launch({ executablePath: CHROMIUM, args });
    browsers.set(key, browser);
    if (browsers.size === 1) tap.teardown(() => Promise.all([...browsers.values()].map(async (b) => (await b).close())).then(() => undefined));
  }
  return browser;
}

export async function openBrowser(t: Test, url: string, options: BrowserOptions = {}): Promise<OpenPage> {
  const browser = await launchChromium(options);
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1000, height: 900 },
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const consoleProblems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push(m.text());
  });
  t.teardown(() => {
    if (errors.length) t.comment(`page errors: ${errors.join('\n')}`);
  });
  await page.goto(url);
  return {
    browser,
    context,
    page,
    requests,
    consoleProblems,
    shot: async (name) => {
      await screenshot(page, join(ARTIFACTS, `${name}.png`));
    },
  };
}

/** URLs of requests that left `origin`; a blob: URL the page made itself (its Worker's script) is of its origin. */
export function offOrigin(requests: Request[], origin: string): string[] {
  return requests.map((r) => r.url()).filter((url) => !url.replace(/^blob:/, '').startsWith(origin));
}
