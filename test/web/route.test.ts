import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { buildPage } from './helpers.js';

t.test('serves the built page with a strict CSP and no cookie', async (t) => {
  const built = await buildPage(t);
  const { app } = await createTestApp(t, { webDir: built.outDir });
  const page = await app.inject({ method: 'GET', url: '/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], 'text/html');
  const csp = String(page.headers['content-security-policy']);
  t.match(csp, "default-src 'none'");
  t.match(csp, "script-src 'self' 'wasm-unsafe-eval'");
  t.match(csp, "require-trusted-types-for 'script'");
  t.notMatch(csp, "'unsafe-inline'");
  t.notMatch(csp, /'unsafe-eval'/);
  t.equal(page.headers['set-cookie'], undefined);
  t.equal(page.headers['cache-control'], 'no-store');
  for (const [url, type] of [['/app.js', 'text/javascript'], ['/app.css', 'text/css'], ['/BUNDLE-HASH.txt', 'text/plain']] as const) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, url);
    t.match(res.headers['content-type'], type, url);
    t.equal(res.headers['set-cookie'], undefined, url);
  }
});

t.test('explains how to build when the page is missing', async (t) => {
  const { app } = await createTestApp(t, { webDir: '/nonexistent/tipline-web' });
  const res = await app.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 503);
  t.match(res.body, 'npm run build');
});
