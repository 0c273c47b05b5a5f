import t from 'tap';
import type { BrowserContext } from 'playwright-core';
import { CHROMIUM, hasChromium, launchChromium } from './helpers.js';
import { createTestApp } from '../helpers/app.js';

// /docs/api in a real browser, under the headers the server really sends: every operation
// of /openapi.json is on the page, its stylesheet applies, and the browser reports no CSP
// violation. A page that breaks the same policy is shown to be reported, so a silent
// detector cannot pass the test. Under CI a missing Chromium fails instead of skipping.

/** Records every securitypolicyviolation event the page's documents fire. */
async function watchViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { violations: string[] }).violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

if (!hasChromium && !process.env['CI']) {
  t.plan(0, `browser tests need ${CHROMIUM} (apt-get install chromium)`);
} else {
  t.test('the API reference renders every operation under the strict document CSP', async (t) => {
    t.ok(hasChromium, `Chromium at ${CHROMIUM}`);
    if (!hasChromium) return;
    const { app } = await createTestApp(t);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));

    const browser = await launchChromium();
    const context = await browser.newContext();
    t.teardown(() => context.close());
    await watchViolations(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));

    const res = await page.goto(`${url}/docs/api`);
    t.equal(res?.status(), 200);
    const csp = (await res?.headerValue('content-security-policy')) ?? '';
    t.match(csp, "script-src 'self'", 'the document policy');
    t.notMatch(csp, 'unsafe-inline');
    t.notMatch(csp, 'unsafe-eval');

    const headings = await page.locator('article.op h3').allInnerTexts();
    t.same(headings.map((h) => h.replace(/\s+/g, ' ').trim()).sort(), operations.sort(), 'one section per documented operation');
    t.match(await page.locator('#op-post-v1-cases').innerText(), /POST\s+\/v1\/cases/);
    t.match(await page.locator('#op-post-v1-cases').innerText(), 'submission_conflict', 'its refusals are listed');
    const badge = await page.locator('#op-post-v1-cases .method').evaluate((el) => getComputedStyle(el).backgroundColor);
    t.equal(badge, 'rgb(47, 133, 90)', 'the stylesheet applies');
    t.same(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), [], 'no CSP violation');
    t.same(problems, [], 'no console error or warning');

    // The same policy on a page with an inline script: the violation must be seen.
    await page.route(`${url}/docs/api-control`, (route) => route.fulfill({
      status: 200, contentType: 'text/html', headers: { 'content-security-policy': csp },
      body: '<!doctype html><title>control</title><script>document.title = "ran"</script>',
    }));
    await page.goto(`${url}/docs/api-control`);
    t.equal(await page.title(), 'control', 'the inline script was blocked');
    t.match(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), [/^script-src/], 'and reported');
  });
}
