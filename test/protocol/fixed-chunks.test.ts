import fc from 'fast-check';
import t from 'tap';
import { fixedChunks } from '../../src/protocol/fixed-chunks.js';

// The re-cutting shared by the client (plaintext) and the server (ciphertext): any
// split of the same bytes into pieces gives the same chunks.

async function* piecesOf(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const end = Math.min(bytes.length, Math.max(at, cut));
    yield bytes.subarray(at, end);
    at = end;
  }
}

/** Copies each chunk as it comes, as a consumer that keeps chunks must. */
async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of source) out.push(chunk.slice());
  return out;
}

t.test('any split of the input gives the same fixed-size chunks', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 200 }),
      fc.array(fc.nat({ max: 200 }), { maxLength: 12 }).map((a) => a.sort((x, y) => x - y)),
      fc.integer({ min: 1, max: 40 }),
      fc.boolean(),
      async (bytes, cuts, size, reuse) => {
        const chunks = await collect(fixedChunks(piecesOf(bytes, cuts), size, { reuse }));
        const expected = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.slice(i * size, (i + 1) * size));
        t.same(chunks, expected);
      },
    ),
    { numRuns: 300 },
  );
});

t.test('an empty source gives no chunk; an exact multiple gives no short tail', async (t) => {
  t.same(await collect(fixedChunks(piecesOf(new Uint8Array(0), []), 4)), []);
  t.same((await collect(fixedChunks(piecesOf(new Uint8Array(8), [3]), 4))).map((c) => c.length), [4, 4]);
});

t.test('with reuse, chunks assembled from smaller pieces all share one buffer', async (t) => {
  const seen = new Set<ArrayBufferLike>();
  for await (const chunk of fixedChunks(piecesOf(new Uint8Array(30).fill(7), [3, 6, 9, 12, 15, 18, 21, 24, 27]), 5, { reuse: true })) seen.add(chunk.buffer);
  t.equal(seen.size, 1);
});

t.test('a source that fails mid-chunk fails before the partial chunk is yielded', async (t) => {
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(6);
    throw new Error('connection reset');
  }
  const got: number[] = [];
  await t.rejects(
    (async () => {
      for await (const chunk of fixedChunks(broken(), 4)) got.push(chunk.length);
    })(),
    /connection reset/,
  );
  t.same(got, [4], 'only the complete chunk came out');
});

t.test('a chunk size that is not a positive integer is refused', async (t) => {
  await t.rejects(collect(fixedChunks(piecesOf(new Uint8Array(3), []), 0)), RangeError);
});
