import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildLocalConsole, withOrigin } from '../../src/cli/console/local-server.js';
import { buildConsole } from '../../src/console/build.js';
import { en } from '../../src/console/i18n/en.js';
import { vi } from '../../src/console/i18n/vi.js';
import { createTestApp } from '../helpers/app.js';

// The console's build (SRI, no inline code), the server's /staff/ and `tipline console`'s
// local server: the same files and headers, the relay to the configured server only,
// and a host name other than this machine's refused.

const dir = await mkdtemp(join(tmpdir(), 'tipline-console-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));
const built = await buildConsole({ outDir: dir });
const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

t.test('the build pins its assets by SRI and holds no inline code', async (t) => {
  const html = await readFile(join(dir, 'index.html'), 'utf8');
  t.match(html, `src="console.js" integrity="${sri(await readFile(join(dir, 'console.js')))}"`);
  t.match(html, `href="console.css" integrity="${sri(await readFile(join(dir, 'console.css')))}"`);
  t.notMatch(html, /<script>|<style|\son\w+=/, 'no inline script, style or handler');
  const hashes = await readFile(join(dir, 'BUNDLE-HASH.txt'), 'utf8');
  for (const f of built.files) t.match(hashes, `${f.name}  sha256:${f.sha256}  ${f.integrity}`, `${f.name} is listed`);
  const script = await readFile(join(dir, 'console.js'), 'utf8');
  t.notMatch(script, /localStorage|indexedDB|document\.cookie/, 'the bundle never touches browser storage');
});

t.test('both catalogues have the same keys and placeholders', async (t) => {
  t.same(Object.keys(en).sort(), Object.keys(vi).sort());
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(vi) as (keyof typeof vi)[]) t.same(placeholders(en[key]), placeholders(vi[key]), key);
});

t.test('the server serves the console at /staff/ with the strict CSP', async (t) => {
  const { app } = await createTestApp(t, { consoleDir: dir });
  const page = await app.inject({ method: 'GET', url: '/staff/' });
  t.equal(page.statusCode, 200);
  t.equal(page.body, await readFile(join(dir, 'index.html'), 'utf8'), 'exactly the built file: the origin meta stays empty');
  const csp = String(page.headers['content-security-policy']);
  t.match(csp, "script-src 'self' 'wasm-unsafe-eval'");
  t.match(csp, "connect-src 'self'");
  t.match(csp, "require-trusted-types-for 'script'; trusted-types 'none'");
  t.notMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  t.equal(page.headers['cache-control'], 'no-store');
  t.equal(page.headers['cross-origin-embedder-policy'], 'require-corp');
  t.equal((await app.inject({ url: '/staff/console.js' })).statusCode, 200);
  t.equal((await app.inject({ url: '/staff' })).headers['location'], '/staff/');
  const { app: bare } = await createTestApp(t, { consoleDir: '/nonexistent/tipline-console' });
  const missing = await bare.inject({ url: '/staff/' });
  t.equal(missing.statusCode, 503);
  t.match(missing.body, 'npm run build');
});

t.test('tipline console serves the same files and relays /v1 to the configured server only', async (t) => {
  const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];
  const upstream: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(418, { 'content-type': 'application/json', 'set-cookie': 'tracker=1', 'retry-after': '7' });
      res.end('{"error":{"code":"teapot","message":"short and stout"}}');
    });
  });
  await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
  t.teardown(() => new Promise((done) => upstream.close(done)));
  const server = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const app = await buildLocalConsole({ consoleDir: dir, server: `${server}/ignored/path`, origin: 'https://tipline.example.gov.vn/x' });
  t.teardown(() => app.close());
  const host = { host: '127.0.0.1:8765' };

  const page = await app.inject({ url: '/', headers: host });
  t.equal(page.statusCode, 200);
  t.match(page.body, '<meta name="tipline-origin" content="https://tipline.example.gov.vn">', 'the configured origin, never the server\'s word');
  t.match(String(page.headers['content-security-policy']), "trusted-types 'none'");
  t.equal(page.headers['cache-control'], 'no-store');

  const relayed = await app.inject({
    method: 'POST', url: '/v1/staff/login?x=1', headers: { ...host, 'content-type': 'application/json', authorization: 'Bearer t', cookie: 'a=b', referer: 'http://127.0.0.1:8765/', 'user-agent': 'probe' },
    payload: '{"staffId":"s"}',
  });
  t.equal(relayed.statusCode, 418, 'the server\'s status comes back');
  t.equal(relayed.json().error.code, 'teapot', 'and its body');
  t.equal(relayed.headers['retry-after'], '7');
  t.equal(relayed.headers['set-cookie'], undefined, 'no cookie from the server reaches the page');
  const got = seen[0]!;
  t.same([got.method, got.url, got.body], ['POST', '/v1/staff/login?x=1', '{"staffId":"s"}'], 'relayed as sent, to the configured server');
  t.equal(got.headers['authorization'], 'Bearer t');
  for (const h of ['cookie', 'referer', 'user-agent']) t.notOk(h === 'user-agent' ? got.headers[h] === 'probe' : got.headers[h], `no ${h} relayed`);

  const rebound = await app.inject({ url: '/v1/staff/me', headers: { host: 'evil.example:8765' } });
  t.equal(rebound.statusCode, 421, 'a foreign host name (DNS rebinding) is refused');
  t.equal(seen.length, 1, 'and never relayed');
  t.equal((await app.inject({ url: '/', headers: { host: 'evil.example' } })).statusCode, 421);
});

t.test('withOrigin escapes and refuses a page without the meta', async (t) => {
  t.match(withOrigin('<meta name="tipline-origin" content="">', 'https://a"b'), 'content="https://a&#34;b"');
  t.throws(() => withOrigin('<html></html>', 'https://a'));
});

t.test('attachment names are made safe to save', async (t) => {
  const { safeFileName } = await import('../../src/console/attachments.js');
  t.equal(safeFileName('../../etc/passwd'), 'passwd', 'no path');
  t.equal(safeFileName('C:\\Users\\x\\báo cáo.docx'), 'báo cáo.docx', 'no Windows path');
  t.equal(safeFileName('.bashrc'), 'bashrc', 'no hidden file');
  t.equal(safeFileName('a\u0000b\u202e:c?.pdf'), 'a_b__c_.pdf', 'control, bidirectional and reserved characters replaced');
  t.equal(safeFileName('..'), 'tep-dinh-kem.bin', 'nothing left: a neutral name');
  const long = safeFileName(`${'x'.repeat(300)}.pdf`);
  t.equal(long.length, 120);
  t.ok(long.endsWith('.pdf'), 'a long name keeps its extension');
});
