import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import t from 'tap';
import { buildWeb } from '../../src/web/build.js';
import { createTestApp } from '../helpers/app.js';
import { buildPage } from './helpers.js';

const PIN = 'ABCD EFGH JKMN PQRS TVWX YZ01 2345 6789';
const IMMUTABLE = 'public, max-age=31536000, immutable';

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
  t.match(page.body, /<main id="app"[^>]*><p class="msg loading"[^>]*><span lang="vi">Đang tải…<\/span> · <span lang="en">Loading…<\/span>/, 'a bilingual "loading" line at first paint');
  const [script, style] = [built.files[1]!.name, built.files[2]!.name];
  for (const [url, type] of [[`/${script}`, 'text/javascript'], [`/${style}`, 'text/css'], ['/BUNDLE-HASH.txt', 'text/plain']] as const) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 200, url);
    t.match(res.headers['content-type'], type, url);
    t.equal(res.headers['set-cookie'], undefined, url);
  }
  t.equal((await app.inject({ method: 'GET', url: '/BUNDLE-HASH.txt' })).headers['cache-control'], 'no-store');
  for (const url of ['/app.js', '/manifest.json', '/app-XCQEK5QS.js.br', '/index.html', '/..%2Fpackage.json']) {
    t.equal((await app.inject({ method: 'GET', url })).statusCode, 404, `${url} is not part of the build`);
  }
});

t.test('hashed files are served precompressed and cached for good; the HTML never is', async (t) => {
  const built = await buildPage(t);
  const { app } = await createTestApp(t, { webDir: built.outDir });
  for (const f of built.files) {
    const url = f.name === 'index.html' ? '/' : `/${f.name}`;
    const plain = await readFile(join(built.outDir, f.name));
    const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    t.equal(br.headers['content-encoding'], 'br', url);
    t.equal(br.headers['vary'], 'Accept-Encoding', url);
    t.ok(brotliDecompressSync(br.rawPayload).equals(plain), `${url}: the brotli copy is the built file`);
    t.ok(br.rawPayload.length < plain.length, `${url} is smaller on the wire`);
    const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br;q=0' } });
    t.equal(gz.headers['content-encoding'], 'gzip', `${url}: br;q=0 is honoured`);
    t.ok(gunzipSync(gz.rawPayload).equals(plain), `${url}: the gzip copy is the built file`);
    const identity = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    t.equal(identity.headers['content-encoding'], undefined, url);
    t.ok(identity.rawPayload.equals(plain), `${url}: plain bytes to a client that takes no compression`);
    t.equal(br.headers['cache-control'], f.name === 'index.html' ? 'no-store' : IMMUTABLE, url);
  }
  t.match(built.files.slice(1).map((f) => f.name), [/^app-\w+\.js$/, /^app-\w+\.css$/], 'every file but the HTML has its hash in its name');
});

t.test('a rebuild is served without a restart, and each switch is logged with its hash', async (t) => {
  const built = await buildPage(t);
  const { app, logs } = await createTestApp(t, { webDir: built.outDir });
  const first = await app.inject({ method: 'GET', url: '/' });
  t.ok(logs.some((l) => l.includes(`index.html sha256:${built.files[0]!.sha256}`)), 'the served hash is logged');
  const oldScript = built.files[1]!.name;

  const rebuilt = await buildWeb({ outDir: built.outDir, trustedAgencies: { 'demo-agency': PIN }, minify: false });
  t.not(rebuilt.files[0]!.sha256, built.files[0]!.sha256, 'another pin set, another page');
  const second = await app.inject({ method: 'GET', url: '/' });
  t.not(second.body, first.body);
  t.equal(second.body, await readFile(join(built.outDir, 'index.html'), 'utf8'), 'the new build is what is served');
  t.equal((await app.inject({ method: 'GET', url: `/${rebuilt.files[1]!.name}` })).statusCode, 200, 'its new script too');
  t.equal((await app.inject({ method: 'GET', url: `/${oldScript}` })).statusCode, 404, 'the old script is gone with its build');
  t.ok(logs.some((l) => l.includes(`index.html sha256:${rebuilt.files[0]!.sha256}`)), 'the switch is logged with the new hash');
  const report = await app.inject({ method: 'GET', url: '/BUNDLE-HASH.txt' });
  t.match(report.body, `index.html  sha256:${rebuilt.files[0]!.sha256}`, 'BUNDLE-HASH.txt names what is served');
});

t.test('explains how to build when the page is missing', async (t) => {
  const { app } = await createTestApp(t, { webDir: '/nonexistent/tipline-web' });
  const res = await app.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 503);
  t.match(res.body, 'npm run build');
});
