import { randomBytes as nodeRandom } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import {
  ATTACHMENT_CHUNK_SIZE, attachmentChunkCount, attachmentReader, attachmentStreamLength, attachmentWriter, isAttachmentStreamLength,
  type AttachmentWriter, type Backend,
} from '../../src/protocol/index.js';
import { concat } from '../../src/protocol/bytes.js';
import { padme } from '../../src/protocol/padding.js';
import { CTX, PAIRS, codeOf, uuid } from './helpers.js';

const TAG = 16;
// Test files come from Node's generator: the backends' randomBytes is for keys, not megabytes.
const random = (n: number) => new Uint8Array(nodeRandom(n));

/** Byte equality without tap's element-by-element diff (slow on megabytes). */
const equal = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

async function sealAll(writer: AttachmentWriter, pieces: Iterable<Uint8Array>, from = 0): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of writer.seal(pieces, from)) out.push(c);
  return out;
}

/** `bytes` in pieces of the given sizes (cycled), as a socket or a Blob would hand them out. */
function* piecesOf(bytes: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

function openAll(be: Backend, id: string, key: Uint8Array, stream: Uint8Array, sizes: number[]): Uint8Array {
  const reader = attachmentReader(be, CTX, id, key);
  const out: Uint8Array[] = [];
  for (const piece of piecesOf(stream, sizes)) out.push(...reader.push(piece));
  return concat(...out, ...reader.end());
}

t.test('Padmé: the worked examples, idempotence and the 12 % bound', async (t) => {
  t.same([0, 1, 2, 7, 8, 9, 100, 1161, 70002, 204818].map(padme), [0, 1, 2, 7, 8, 10, 104, 1216, 71680, 208896]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (n) => {
      const p = padme(n);
      return p >= n && padme(p) === p && (p - n) / n <= 0.12 && isAttachmentStreamLength(p);
    }),
  );
  t.equal(padme(2 ** 53 - 1), 2 ** 53, 'exact just below 2^53 (no floating-point log)');
});

t.test('any file streams through, cut into any pieces, across backends', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * ATTACHMENT_CHUNK_SIZE }),
        fc.array(fc.integer({ min: 1000, max: 2 * ATTACHMENT_CHUNK_SIZE }), { minLength: 1, maxLength: 4 }),
        async (size, sizes) => {
          const file = random(size);
          const w = attachmentWriter(sealer, CTX, uuid(1), size);
          const chunks = await sealAll(w, piecesOf(file, sizes));
          t.equal(chunks.length, attachmentChunkCount(size));
          const stored = chunks.reduce((n, c) => n + c.length - TAG, 0);
          t.equal(stored, attachmentStreamLength(size), 'the stream is the padded length, not the file size');
          t.ok(equal(openAll(opener, uuid(1), w.fileKey, concat(...chunks), sizes), file), 'the file comes back');
        },
      ),
      { numRuns: 4 },
    );
  }
});

t.test('padding that spans whole chunks (a file over 4 MiB) is held back and stripped', async (t) => {
  const [be] = PAIRS[0]!;
  // 4 MiB + 1: Padmé rounds to a multiple of 128 KiB, so chunk 65 is all zeros.
  const file = random(4 * 1024 * 1024 + 1);
  file[file.length - 1] = 0x80; // a file that itself ends like padding
  const w = attachmentWriter(be, CTX, uuid(5), file.length);
  const chunks = await sealAll(w, [file]);
  t.equal(chunks.length, 66);
  t.ok(equal(openAll(be, uuid(5), w.fileKey, concat(...chunks), [70000]), file), 'the file comes back whole');
  const [, noble] = PAIRS[1]!;
  t.ok(equal(openAll(noble, uuid(5), w.fileKey, concat(...chunks), [ATTACHMENT_CHUNK_SIZE + TAG]), file), 'the pure-JavaScript backend too');
});

t.test('sealing is deterministic and resumable: chunks from `from` are the same bytes', async (t) => {
  const [be] = PAIRS[0]!;
  const file = random(2 * ATTACHMENT_CHUNK_SIZE + 10);
  const w = attachmentWriter(be, CTX, uuid(6), file.length);
  const all = await sealAll(w, [file]);
  const again = attachmentWriter(be, CTX, uuid(6), file.length, w.fileKey);
  t.ok(equal(concat(...(await sealAll(again, [file], 2))), concat(...all.slice(2))), 'the same ciphertext');
});

t.test('a file longer or shorter than declared is refused before the chunk that differs', async (t) => {
  const [be] = PAIRS[0]!;
  const file = random(2 * ATTACHMENT_CHUNK_SIZE + 10);
  const sealed: Uint8Array[] = [];
  const longer = attachmentWriter(be, CTX, uuid(7), file.length - 1);
  t.equal(await codeOf(async () => { for await (const c of longer.seal([file])) sealed.push(c); }), 'input_invalid');
  t.equal(sealed.length, 2, 'only the two chunks that are the file were sealed');
  const shorter = attachmentWriter(be, CTX, uuid(7), file.length + 1);
  sealed.length = 0;
  t.equal(await codeOf(async () => { for await (const c of shorter.seal([file])) sealed.push(c); }), 'input_invalid');
  t.equal(sealed.length, 2, 'the last chunk is never sealed for a short file');
});

t.test('reordered, truncated, tampered or moved streams are open_failed', async (t) => {
  const [be] = PAIRS[0]!;
  const file = random(2 * ATTACHMENT_CHUNK_SIZE + 10);
  const w = attachmentWriter(be, CTX, uuid(2), file.length);
  const [c0, c1, c2] = await sealAll(w, [file]);
  const open = (parts: Uint8Array[], id = uuid(2)) => codeOf(() => openAll(be, id, w.fileKey, concat(...parts), [1 << 20]));
  t.equal(await open([c1!, c0!, c2!]), 'open_failed', 'chunks swapped');
  t.equal(await open([c0!, c1!]), 'open_failed', 'stream cut after a chunk that is not last');
  t.equal(await open([c0!, c1!, c2!.subarray(1)]), 'open_failed', 'last chunk shortened');
  t.equal(await open([c0!, c1!, c2!, c2!]), 'open_failed', 'last chunk repeated');
  t.equal(await open([c0!, c1!, c2!], uuid(3)), 'open_failed', 'stream moved to another attachment');
  t.equal(await open([]), 'open_failed', 'empty stream');
  const reader = attachmentReader(be, CTX, uuid(2), w.fileKey);
  t.equal(await codeOf(() => reader.push(concat(c1!, c0!))), 'open_failed');
  t.equal(await codeOf(() => reader.push(c2!)), 'open_failed', 'a failed reader stays failed');
});

t.test('an interrupted download resumes from the chunks opened', async (t) => {
  const [be] = PAIRS[0]!;
  const file = random(3 * ATTACHMENT_CHUNK_SIZE);
  const w = attachmentWriter(be, CTX, uuid(8), file.length);
  const chunks = await sealAll(w, [file]);
  const reader = attachmentReader(be, CTX, uuid(8), w.fileKey);
  const out = [...reader.push(concat(...chunks.slice(0, 2), chunks[2]!.subarray(0, 100)))];
  t.equal(reader.chunksOpened, 2, 'chunks 0 and 1 open once bytes of chunk 2 follow them');
  const from = reader.restart();
  for (const c of chunks.slice(from)) out.push(...reader.push(c));
  t.ok(equal(concat(...out, ...reader.end()), file), 'the file comes back');
});

t.test('the reader keeps no view of the pieces pushed, and what it hands out stays the caller’s', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    const file = random(5 * ATTACHMENT_CHUNK_SIZE + 1234);
    const w = attachmentWriter(sealer, CTX, uuid(9), file.length);
    const stream = concat(...(await sealAll(w, [file])));
    // One buffer for every piece, scribbled over once pushed, as a socket reusing its buffer would.
    const scratch = new Uint8Array(3 * ATTACHMENT_CHUNK_SIZE);
    const reader = attachmentReader(opener, CTX, uuid(9), w.fileKey);
    const out: Uint8Array[] = [];
    for (const piece of piecesOf(stream, [1000, 2 * ATTACHMENT_CHUNK_SIZE + 40, 70_000, 5])) {
      const reused = scratch.subarray(0, piece.length);
      reused.set(piece);
      out.push(...reader.push(reused));
      reused.fill(0xaa);
    }
    out.push(...reader.end());
    t.ok(equal(concat(...out), file), `${opener.name}: the file comes back whole after every piece was overwritten`);
  }
});
