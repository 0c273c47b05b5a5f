import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page, Request } from 'playwright-core';

// What every console browser test watches: the page's requests and complaints, axe-core's
// verdict, and what the browser stored.

const axeSource = readFile('node_modules/axe-core/axe.min.js', 'utf8');

export interface Watched { page: Page; requests: Request[]; problems: string[] }

export async function watch(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const requests: Request[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  return { page, requests, problems };
}

/** axe-core, evaluated through the DevTools protocol (no script tag, which the CSP refuses). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(await axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
    return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.count})`);
}

export async function storageUsed(page: Page, context: BrowserContext): Promise<Record<string, number>> {
  const inPage = await page.evaluate(async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).length,
    cookie: document.cookie.length,
    caches: (await caches.keys()).length,
  }));
  return { ...inPage, contextCookies: (await context.cookies()).length };
}

export const NOTHING_STORED = { localStorage: 0, sessionStorage: 0, indexedDB: 0, cookie: 0, caches: 0, contextCookies: 0 };
