import t from 'tap';
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { createAttachment, findAttachment, readChunks, storeChunks } from '../../src/server/db/attachments.js';
import { binaryCopyFields } from '../../src/server/db/copy-chunks.js';
import { createTestApp } from '../helpers/app.js';
import { backendName } from '../helpers/db.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';

// Attachment downloads read chunks as a binary COPY on PostgreSQL (copy-chunks.ts):
// the stream's framing is parsed here, whatever the network's cut points.

const CHUNK = 65536 + 16;

function copyStream(fields: Buffer[]): Buffer {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
  const rows = fields.map((f) => {
    const head = Buffer.alloc(6);
    head.writeInt16BE(1, 0);
    head.writeInt32BE(f.length, 2);
    return Buffer.concat([head, f]);
  });
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  return Buffer.concat([header, ...rows, trailer]);
}

async function* cut(bytes: Buffer, points: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const p of [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(at, p);
    at = p;
  }
  yield bytes.subarray(at);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const f of source) out.push(Buffer.from(f));
  return out;
}

t.test('every field comes back whole, however the stream is cut', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      async (fields, points) => {
        const buffers = fields.map((f) => Buffer.from(f));
        const got = await collect(binaryCopyFields(cut(copyStream(buffers), points)));
        t.same(got, buffers);
      },
    ),
    { numRuns: 200 },
  );
});

t.test('a stream that is not a whole binary COPY fails', async (t) => {
  const good = copyStream([Buffer.from('abc')]);
  await t.rejects(collect(binaryCopyFields(cut(good.subarray(0, good.length - 1), []))), /ended early/);
  const forged = Buffer.from(good);
  forged[0] = 0x51;
  await t.rejects(collect(binaryCopyFields(cut(forged, []))), /not a binary COPY/);
  const twoFields = Buffer.from(good);
  twoFields.writeInt16BE(2, 19);
  await t.rejects(collect(binaryCopyFields(cut(twoFields, []))), /2 fields/);
});

t.test(`readChunks on ${backendName}: from any index, and again after a download is abandoned`, async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'x');
  t.equal((await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body })).statusCode, 201);
  const created = await createAttachment(database.db, { id: randomUUID(), caseId: sub.caseId, uploader: 'denouncer' });
  const data = randomBytes(5 * CHUNK + 123);
  async function* source() {
    yield data;
  }
  t.equal(await storeChunks(database.db, created!, 0, source(), 100), 6);
  const id = created!.id;
  t.ok(await findAttachment(database.db, id));

  t.same(Buffer.concat(await collect(readChunks(database.db, id, 0))), data);
  t.same(Buffer.concat(await collect(readChunks(database.db, id, 4))), data.subarray(4 * CHUNK));
  t.same(await collect(readChunks(database.db, id, 6)), []);

  for (let i = 0; i < 12; i++) {
    // Left after one chunk, as a client that hangs up mid-download: the connection
    // must not return to the pool in the middle of a COPY.
    const reading = readChunks(database.db, id, 0);
    t.same(Buffer.from((await reading.next()).value as Uint8Array), data.subarray(0, CHUNK));
    await reading.return(undefined);
  }
  t.same(Buffer.concat(await collect(readChunks(database.db, id, 0))), data, 'the pool still answers');
});
