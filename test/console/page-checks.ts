import { readFile } from 'node:fs/promises';
import type { Test } from 'tap';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { toBase64Url, type StaffKeys } from '../../src/protocol/index.js';

// What every console test checks in the browser: the requests a page makes (none to
// another origin, no secret in any), its complaints (CSP, Trusted Types), accessibility
// (axe-core), and that nothing is left in the browser's storage.

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

/** Every way a staff member's secret keys or passphrase could travel in a request body. */
export function secretEncodings(keys: StaffKeys, passphrase: string): string[] {
  const { signSecretKey, boxSecretKey } = keys;
  return [signSecretKey, signSecretKey.subarray(0, 32), boxSecretKey].flatMap((k) => [
    toBase64Url(k), Buffer.from(k).toString('base64'), Buffer.from(k).toString('hex'),
  ]).concat([passphrase, encodeURIComponent(passphrase)]);
}

/** Signs in from the sign-in view, in Vietnamese, with a key file and a typed fingerprint or a pin file. */
export async function signIn(page: Page, keyFile: string, passphrase: string, pin: { fingerprint?: string; pinFile?: string }): Promise<void> {
  await page.getByLabel('Tệp khóa của bạn').setInputFiles({ name: 'me.json', mimeType: 'application/json', buffer: Buffer.from(keyFile) });
  if (pin.pinFile) await page.getByLabel('Hoặc chọn tệp ghim (agency-pins.json)').setInputFiles({ name: 'agency-pins.json', mimeType: 'application/json', buffer: Buffer.from(pin.pinFile) });
  if (pin.fingerprint) await page.getByLabel('Dấu vân tay khóa của cơ quan').fill(pin.fingerprint);
  await page.getByLabel('Mật khẩu của tệp khóa').fill(passphrase);
  await page.getByRole('button', { name: 'Mở khóa và đăng nhập' }).click();
}

export function checkTraffic(t: Test, w: Watched, origin: string, secrets: string[], where: string): void {
  const elsewhere = w.requests.map((r) => r.url()).filter((u) => new URL(u).origin !== origin && !u.startsWith('data:'));
  t.same(elsewhere, [], `${where}: no request leaves ${origin}`);
  const leaked = w.requests.filter((r) => { const body = r.postData() ?? ''; return secrets.some((x) => body.includes(x)); }).map((r) => r.url());
  t.same(leaked, [], `${where}: neither the passphrase nor a secret key is in any request`);
  t.ok(w.requests.some((r) => r.url().endsWith('/v1/staff/login')), `${where}: the login went through this origin`);
  t.same(w.problems.filter((p) => /Content Security Policy|Trusted Type|Refused/i.test(p)), [], `${where}: no CSP or Trusted Types complaint`);
}

export const NOTHING_STORED = { localStorage: 0, sessionStorage: 0, indexedDB: 0, cookie: 0, caches: 0, contextCookies: 0 };

/**
 * What holds the focus once it has settled: the view moves focus after it renders, which
 * on a loaded machine comes a little after the click or key press that asked for it. Waits
 * up to five seconds for `want`, then answers what is focused, so a failure still says where.
 */
export async function settledFocus(page: Page, read: 'id' | 'tagName', want: string): Promise<string | undefined> {
  await page.waitForFunction(([r, w]) => document.activeElement?.[r as 'id' | 'tagName'] === w, [read, want], { timeout: 5000 }).catch(() => undefined);
  return page.evaluate((r) => document.activeElement?.[r as 'id' | 'tagName'], read);
}
