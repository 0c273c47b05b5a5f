import { createHash, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import t from 'tap';
import { precompress } from '../../src/build/precompress.js';

// The compressed copies are cached by the hash of what they compress; a cache entry is
// trusted only once it decompresses to exactly that content.

const cacheEntry = (content: Buffer) =>
  join(process.cwd(), 'node_modules', '.cache', 'tipline-precompress', createHash('sha256').update(content).digest('hex'));

t.test('copies decompress to the content, and a second call is served from the cache', async (t) => {
  const content = Buffer.from(`const page = ${JSON.stringify(randomBytes(4096).toString('base64'))};\n`.repeat(8));
  const first = precompress(content);
  t.same(brotliDecompressSync(first.br), content);
  t.same(gunzipSync(first.gz), content);
  t.ok(existsSync(`${cacheEntry(content)}.br`) && existsSync(`${cacheEntry(content)}.gz`), 'both copies are kept');
  const again = precompress(content);
  t.same(again.br, first.br, 'the same bytes: a rebuild writes what the first build wrote');
  t.same(again.gz, first.gz);
});

t.test('a planted or damaged cache entry is recompressed, never handed out', async (t) => {
  const content = Buffer.from(`export const chunk = ${JSON.stringify(randomBytes(2048).toString('hex'))};\n`);
  const honest = precompress(content);
  // A planted entry: valid compression of other code under this content's name.
  writeFileSync(`${cacheEntry(content)}.gz`, gzipSync(Buffer.from('alert("planted")')));
  const planted = precompress(content);
  t.same(gunzipSync(planted.gz), content, 'the planted gzip copy is not used');
  t.same(planted.gz, honest.gz);
  // A damaged entry: not compressed data at all.
  writeFileSync(`${cacheEntry(content)}.br`, Buffer.from('not brotli'));
  t.same(brotliDecompressSync(precompress(content).br), content, 'the damaged brotli copy is replaced');
});
