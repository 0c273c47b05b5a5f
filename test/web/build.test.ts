import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { checkTrustedAgencies } from '../../src/web/build.js';
import { buildPage } from './helpers.js';

const PIN = 'ABCD EFGH JKMN PQRS TVWX YZ01 2345 6789';

t.test('the build writes the page, pins the assets by SRI and records the hashes', async (t) => {
  const built = await buildPage(t, { 'demo-agency': PIN });
  const html = await readFile(join(built.outDir, 'index.html'), 'utf8');
  const script = await readFile(join(built.outDir, 'app.js'));
  const style = await readFile(join(built.outDir, 'app.css'));
  const sri = (b: Buffer) => `sha384-${createHash('sha384').update(b).digest('base64')}`;
  t.match(html, `src="/app.js" integrity="${sri(script)}"`);
  t.match(html, `href="/app.css" integrity="${sri(style)}"`);
  const report = await readFile(join(built.outDir, 'BUNDLE-HASH.txt'), 'utf8');
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  t.match(report, `index.html  sha256:${sha(html)}`);
  t.match(report, `app.js  sha256:${sha(script)}`);
  t.match(report, sri(script));
  t.match(script.toString('utf8'), PIN, 'the trust anchor is compiled into the bundle');
});

t.test('the page has no inline script, no inline style, no form and no external resource', async (t) => {
  const built = await buildPage(t);
  const html = await readFile(join(built.outDir, 'index.html'), 'utf8');
  t.notMatch(html, /<script(?![^>]*\bsrc=)/, 'every script has a src');
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
  t.throws(() => checkTrustedAgencies({ a: 'not a fingerprint' }, 'x'), /fingerprint of "a"/);
  t.throws(() => checkTrustedAgencies(['x'], 'x'), /expected an object/);
  t.same(checkTrustedAgencies({ a: PIN }, 'x'), { a: PIN });
});
