import fc from 'fast-check';
import t from 'tap';
import { ATTACHMENT_CHUNK_SIZE, attachmentOpener, attachmentSealer } from '../../src/protocol/index.js';
import { concat } from '../../src/protocol/bytes.js';
import { CTX, PAIRS, codeOf, uuid } from './helpers.js';

function chunksOf(file: Uint8Array): { plain: Uint8Array; index: number; last: boolean }[] {
  const count = Math.max(1, Math.ceil(file.length / ATTACHMENT_CHUNK_SIZE));
  return Array.from({ length: count }, (_, index) => ({
    plain: file.subarray(index * ATTACHMENT_CHUNK_SIZE, (index + 1) * ATTACHMENT_CHUNK_SIZE),
    index,
    last: index === count - 1,
  }));
}

t.test('any file streams through in chunks and back, across backends', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3 * ATTACHMENT_CHUNK_SIZE }), async (size) => {
        const file = sealer.randomBytes(size);
        const s = attachmentSealer(sealer, CTX, uuid(1));
        const sealed = chunksOf(file).map((c) => ({ ...c, ciphertext: s.sealChunk(c.plain, c.index, c.last) }));
        for (const c of sealed) t.equal(c.ciphertext.length, c.plain.length + 16);
        const o = attachmentOpener(opener, CTX, uuid(1), s.fileKey);
        const opened = sealed.map((c) => o.openChunk(c.ciphertext, c.index, c.last));
        t.same(concat(...opened), file);
      }),
      { numRuns: 4 },
    );
  }
});

t.test('reordered, truncated or tampered chunks are open_failed', async (t) => {
  const [be] = PAIRS[0]!;
  const s = attachmentSealer(be, CTX, uuid(2));
  const file = be.randomBytes(2 * ATTACHMENT_CHUNK_SIZE + 10);
  const [c0, c1, c2] = chunksOf(file).map((c) => s.sealChunk(c.plain, c.index, c.last));
  const o = attachmentOpener(be, CTX, uuid(2), s.fileKey);
  t.equal(await codeOf(() => o.openChunk(c1!, 0, false)), 'open_failed', 'chunk 1 at position 0');
  t.equal(await codeOf(() => o.openChunk(c0!, 1, false)), 'open_failed', 'chunk 0 at position 1');
  t.equal(await codeOf(() => o.openChunk(c1!, 1, true)), 'open_failed', 'stream cut after chunk 1 posing as last');
  t.equal(await codeOf(() => o.openChunk(c2!, 2, false)), 'open_failed', 'last chunk posing as not last');
  t.equal(await codeOf(() => o.openChunk(c2!.subarray(1), 2, true)), 'open_failed', 'last chunk shortened');
  const other = attachmentOpener(be, CTX, uuid(3), s.fileKey);
  t.equal(await codeOf(() => other.openChunk(c0!, 0, false)), 'open_failed', 'chunk moved to another attachment');
  t.same(o.openChunk(c2!, 2, true), file.subarray(2 * ATTACHMENT_CHUNK_SIZE), 'the genuine last chunk opens');
});

t.test('a short chunk that is not last is refused when sealing', async (t) => {
  const [be] = PAIRS[0]!;
  const s = attachmentSealer(be, CTX, uuid(4));
  t.equal(await codeOf(() => s.sealChunk(new Uint8Array(10), 0, false)), 'input_invalid');
  t.equal(await codeOf(() => s.sealChunk(new Uint8Array(0), 1, true)), 'input_invalid', 'empty last chunk after data');
});
