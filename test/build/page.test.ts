import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { parseTrustAnchors } from '../../src/cli/denouncer/trust-file.js';
import { UnpinnedProductionBuildError, buildWeb } from '../../src/web/build.js';
import { buildPage } from '../web/helpers.js';

const PIN = 'ABCD EFGH JKMN PQRS TVWX YZ01 2345 6789';

/** The entry script and the chunks index.html preloads with it, as one text. */
async function firstViewCode(outDir: string): Promise<string> {
  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  const names = [...html.matchAll(/<(?:script type="module" src|link rel="modulepreload" href)="\/([\w.-]+)"/g)].map((m) => m[1]!);
  return (await Promise.all(names.map((n) => readFile(join(outDir, n), 'utf8')))).join('\n');
}

t.test('the build writes the page, pins every script by SRI and records the hashes', async (t) => {
  const built = await buildPage(t, { 'demo-agency': PIN });
  const html = await readFile(join(built.outDir, 'index.html'), 'utf8');
  const [entry, css] = [built.files[1]!.name, built.files[2]!.name];
  const script = await readFile(join(built.outDir, entry));
  const style = await readFile(join(built.outDir, css));
  const sri = (b: Buffer) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
  t.match(html, `<script type="module" src="/${entry}" integrity="${sri(script)}"></script>`);
  t.match(html, `href="/${css}" integrity="${sri(style)}"`);
  const report = await readFile(join(built.outDir, 'BUNDLE-HASH.txt'), 'utf8');
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  t.match(report, `index.html  sha256:${sha(html)}`);
  t.match(report, `${entry}  sha256:${sha(script)}`);
  t.match(report, sri(script));
  t.match(await firstViewCode(built.outDir), PIN, 'the trust anchor is compiled into the code the HTML pins');

  // Every other script is in the HTML with its hash: preloaded for the first view, or
  // listed for the page to check before it loads it.
  const chunks = built.files.filter((f) => f.name.startsWith('chunk-'));
  t.ok(chunks.length >= 3, 'the script is split');
  for (const c of chunks) {
    const bytes = await readFile(join(built.outDir, c.name));
    const pinned = html.includes(`<link rel="modulepreload" href="/${c.name}" integrity="${sri(bytes)}">`);
    const listed = new RegExp(`<meta name="tipline-lazy" content="[\\w-]+ [^"]*/${c.name} ${sri(bytes).replace(/[+/]/g, '\\$&')}`).test(html);
    t.ok(pinned !== listed, `${c.name} is pinned in index.html exactly once`);
    t.match(report, `${c.name}  sha256:${sha(bytes)}`);
  }
  const lazy = [...html.matchAll(/<meta name="tipline-lazy" content="([\w-]+) ([^"]*)">/g)].map((m) => m[1]);
  t.same(lazy.sort(), ['noble', 'pow-noble', 'pow-sodium', 'sodium'], 'both crypto backends and both proof-of-work Workers are loaded later');
  for (const name of ['pow-sodium', 'pow-noble']) {
    const files = [...new RegExp(`<meta name="tipline-lazy" content="${name} ([^"]*)">`).exec(html)![1]!.matchAll(/\/(chunk-\w+\.js)/g)].map((m) => m[1]!);
    t.equal(files.length, 1, `${name}: one file (a Worker from a blob: URL cannot import)`);
    const code = await readFile(join(built.outDir, files[0]!), 'utf8');
    t.notMatch(code, /\bimport\s*[({"'*]|\bimport\s+\w|\bexport\s*[{*]/, `${name}: no import or export left in it`);
  }
  // The sodium backend's chunks, as its entry lists them (the chunk itself and what it imports).
  const sodium = [.../<meta name="tipline-lazy" content="sodium ([^"]*)">/.exec(html)![1]!.matchAll(/\/(chunk-\w+\.js)/g)].map((m) => m[1]!);
  const texts = await Promise.all(sodium.map((c) => readFile(join(built.outDir, c), 'utf8')));
  t.ok(texts.some((text) => text.includes('libsodium')), 'libsodium is in the chunks loaded later');
  const firstView = [...html.matchAll(/<link rel="modulepreload" href="\/(chunk-\w+\.js)"/g)].map((m) => m[1]!);
  for (const c of firstView) t.notMatch(await readFile(join(built.outDir, c), 'utf8'), 'crypto_aead_xchacha20poly1305', `and out of the first view (${c})`);
  t.notMatch(script.toString('utf8'), 'crypto_aead_xchacha20poly1305', 'and not in the entry');
});

t.test('the page has no inline script, no inline style, no form and no external resource', async (t) => {
  const built = await buildPage(t);
  const html = await readFile(join(built.outDir, 'index.html'), 'utf8');
  t.notMatch(html, /<script(?![^>]*\bsrc=)/, 'every script has a src');
  t.match(html, /<main id="app"[^>]*><p class="msg loading"/, 'a "loading" line until the script runs');
  t.notMatch(html, /\sstyle=|<style/, 'no inline style');
  t.notMatch(html, /\son[a-z]+=/, 'no inline handler');
  t.notMatch(html, /<form/, 'no form that could post without JavaScript');
  t.notMatch(html, /(src|href)="(https?:)?\/\//, 'nothing from another origin');
  t.match(html, /<noscript>[\s\S]*JavaScript[\s\S]*<\/noscript>/);
  t.match(html, 'lang="vi"');
});

t.test('the build is reproducible: same sources and pins, same hashes', async (t) => {
  const [a, b] = [await buildPage(t, { 'demo-agency': PIN }), await buildPage(t, { 'demo-agency': PIN })];
  t.same(a.files, b.files);
  const other = await buildPage(t, {});
  t.not(other.files[0]!.sha256, a.files[0]!.sha256, 'a different pin set changes the published index.html hash');
});

t.test('malformed trust anchors stop the build', async (t) => {
  t.throws(() => parseTrustAnchors({ a: 'not a fingerprint' }, 'x'), /fingerprint of "a"/);
  t.throws(() => parseTrustAnchors(['x'], 'x'), /expected an object/);
  t.throws(() => parseTrustAnchors({ a: { fingerprint: PIN, serial: -1 } }, 'x'), /serial of "a"/);
  t.throws(() => parseTrustAnchors({ a: { fingerprint: PIN, serial: 1.5 } }, 'x'), /serial of "a"/);
  t.throws(() => parseTrustAnchors({ 'Not A Slug': PIN }, 'x'), /not an agency slug/);
  t.same(parseTrustAnchors({ a: PIN }, 'x'), { a: { fingerprint: PIN, serial: 0 } }, 'the older string form is a pin with no serial yet');
  t.same(parseTrustAnchors({ a: { fingerprint: PIN.toLowerCase().replace(/ /g, ''), serial: 7 } }, 'x'), { a: { fingerprint: PIN, serial: 7 } });
  await t.rejects(buildPage(t, { a: 'nope' }), /fingerprint of "a"/);
});

t.test('the serial seen under each pin is compiled in beside it, with the kind of build', async (t) => {
  const built = await buildPage(t, { 'demo-agency': { fingerprint: PIN, serial: 7 } });
  const script = await firstViewCode(built.outDir);
  t.match(script, /"demo-agency":\s*\{\s*"?fingerprint"?:\s*"ABCD EFGH JKMN PQRS TVWX YZ01 2345 6789",\s*"?serial"?:\s*7\s*\}/);
  const report = await readFile(join(built.outDir, 'BUNDLE-HASH.txt'), 'utf8');
  t.match(report, '# development build; pinned: demo-agency (serial ≥ 7)');
  const older = await buildPage(t, { 'demo-agency': { fingerprint: PIN, serial: 6 } });
  t.not(older.files[0]!.sha256, built.files[0]!.sha256, 'a different minimum serial is a different, published, page');
});

const run = promisify(execFile);

t.test('a production build with no pin fails, naming the trust file and the command that pins', async (t) => {
  const outDir = await mkdtemp(join(tmpdir(), 'tipline-web-'));
  t.teardown(() => rm(outDir, { recursive: true, force: true }));
  const err = await buildWeb({ outDir, trustedAgenciesFile: join(outDir, 'missing.json'), production: true }).catch((e: unknown) => e);
  t.type(err, UnpinnedProductionBuildError);
  t.match((err as Error).message, /missing\.json pins none/);
  t.match((err as Error).message, /tipline trust add <agency> <fingerprint>/);
  await t.rejects(readFile(join(outDir, 'index.html')), { code: 'ENOENT' }, 'nothing was written');

  const pinned = await buildWeb({ outDir, trustedAgencies: { 'demo-agency': PIN }, production: true, minify: false });
  t.equal(pinned.production, true);
  t.match(await readFile(join(outDir, 'BUNDLE-HASH.txt'), 'utf8'), '# production build; pinned: demo-agency (serial ≥ 1)');
});

t.test('`npm run build -- --production` on a checkout without pins stops with the instruction', async (t) => {
  // The build script itself, in an empty directory: no keys/trusted-agencies.json there.
  const cwd = await mkdtemp(join(tmpdir(), 'tipline-build-'));
  t.teardown(() => rm(cwd, { recursive: true, force: true }));
  const script = join(process.cwd(), 'src/build/build.ts');
  const result = await run(process.execPath, ['--import', import.meta.resolve('tsx'), script, '--production'], { cwd })
    .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
  t.not(result.code, 0, 'the build fails');
  t.match(result.stderr, /build refused: .*keys\/trusted-agencies\.json pins none/);
  t.match(result.stderr, /tipline trust add/);
  t.notMatch(result.stderr, /\n\s+at /, 'a message, not a stack trace');
  await t.rejects(readFile(join(cwd, 'dist/tipline.js')), { code: 'ENOENT' }, 'no half-built dist/');
});
