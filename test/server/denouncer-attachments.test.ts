import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { deleteAbandonedUploads } from '../../src/server/db/attachments.js';
import { createTestApp } from '../helpers/app.js';
import { backendName } from '../helpers/db.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';

// Chunked uploads as the server sees them: resumable, bounded, only whole chunks stored,
// padded lengths only, one writer at a time, abandoned uploads swept away.

const CHUNK = 65536 + 16;
/** Chunk 2 of a 3-chunk stream of Padmé length 135168 = 2 · 65536 + 4096. */
const LAST = 4096 + 16;

async function receiptCase(t: Parameters<typeof createTestApp>[0], overrides: Parameters<typeof createTestApp>[1] = {}) {
  const { app, database } = await createTestApp(t, overrides);
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'x');
  await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });
  const headers = { authorization: sub.authorization };
  const create = (id: string) => app.inject({ method: 'POST', url: '/v1/case/attachments', headers, payload: { attachmentId: id } });
  const put = (id: string, from: number, bytes: Buffer | Readable) =>
    app.inject({ method: 'PUT', url: `/v1/attachments/${id}/chunks/${from}`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: bytes });
  const finish = (id: string, chunkCount: number) => app.inject({ method: 'POST', url: `/v1/attachments/${id}/finish`, headers, payload: { chunkCount } });
  return { app, database, agency, sub, headers, create, put, finish };
}

t.test('chunks resume from the stored count, the size limit gives 413, downloads resume', async (t) => {
  const { app, agency, headers, create, put, finish } = await receiptCase(t, { maxAttachmentBytes: 3 * 65536 });
  const id = randomUUID();
  t.equal((await create(id)).statusCode, 201);
  t.equal((await create(id)).statusCode, 200, 'creating again is idempotent');
  const data = randomBytes(2 * CHUNK + LAST);
  const first = await put(id, 0, data.subarray(0, CHUNK + 100)); // one whole chunk and a cut-off piece
  t.equal(first.json().storedChunks, 2);
  t.equal((await put(id, 2, data.subarray(2 * CHUNK))).json().error.code, 'conflict', 'nothing may follow a short chunk');
  t.equal((await put(id, 1, data.subarray(CHUNK))).json().storedChunks, 3, 'resuming from the last whole chunk');
  t.equal((await app.inject({ method: 'GET', url: `/v1/attachments/${id}`, headers })).json().storedChunks, 3);
  t.equal((await app.inject({ method: 'GET', url: `/v1/attachments/${id}/content`, headers })).statusCode, 409, 'not downloadable before finish');
  t.equal((await finish(id, 4)).statusCode, 409);
  t.equal((await finish(id, 3)).json().complete, true);
  const all = await app.inject({ method: 'GET', url: `/v1/attachments/${id}/content`, headers });
  t.same(all.rawPayload, data);
  const tail = await app.inject({ method: 'GET', url: `/v1/attachments/${id}/content?from=1`, headers });
  t.same(tail.rawPayload, data.subarray(CHUNK));

  const big = randomUUID();
  await create(big);
  t.equal((await put(big, 0, randomBytes(5 * CHUNK))).statusCode, 413);

  const other = await sealTestCase(agency, 'another case');
  await app.inject({ method: 'POST', url: '/v1/cases', payload: other.body });
  const foreign = await app.inject({ method: 'GET', url: `/v1/attachments/${id}`, headers: { authorization: other.authorization } });
  t.equal(foreign.statusCode, 404, "another receipt cannot see this case's files");
});

t.test('an upload whose length is not a padded length cannot be finished', async (t) => {
  const { create, put, finish } = await receiptCase(t);
  const id = randomUUID();
  await create(id);
  // 70001 bytes, the exact size of a file, is not a Padmé length (71680 is).
  await put(id, 0, randomBytes(CHUNK + (70001 - 65536) + 16));
  const refused = await finish(id, 2);
  t.equal(refused.statusCode, 400);
  t.equal(refused.json().error.code, 'validation_failed');
  const padded = randomUUID();
  await create(padded);
  await put(padded, 0, randomBytes(CHUNK + (71680 - 65536) + 16));
  t.equal((await finish(padded, 2)).statusCode, 200, 'the padded length finishes');
});

/** `bytes` as a request body that arrives in pieces, yielding to the event loop between them. */
const trickle = (bytes: Buffer, piece = 8192) =>
  Readable.from((async function* () {
    for (let at = 0; at < bytes.length; at += piece) {
      await new Promise((r) => setTimeout(r, 1));
      yield bytes.subarray(at, at + piece);
    }
  })());

t.test(`concurrent PUT chunks/0 on one attachment on ${backendName}: no 500, one contiguous run`, async (t) => {
  const { app, database, headers, create, put, finish } = await receiptCase(t);
  for (let round = 0; round < 3; round++) {
    const id = randomUUID();
    await create(id);
    const data = randomBytes(2 * CHUNK + LAST);
    const answers = await Promise.all([put(id, 0, trickle(data)), put(id, 0, trickle(data)), put(id, 0, trickle(data))]);
    for (const a of answers) {
      t.ok(a.statusCode === 200 || (a.statusCode === 409 && a.json().error.code === 'upload_superseded'), `round ${round}: ${a.statusCode} ${a.body.slice(0, 120)}`);
    }
    t.ok(answers.some((a) => a.statusCode === 200), 'one writer completes');
    const rows = await database.db.selectFrom('attachment_chunks').select(['index', sql<number>`octet_length(data)`.as('len')]).where('attachment_id', '=', id).orderBy('index').execute();
    t.same(rows.map((r) => [r.index, Number(r.len)]), [[0, CHUNK], [1, CHUNK], [2, LAST]], 'each chunk once, in order, whole');
    t.equal((await finish(id, 3)).statusCode, 200);
    t.same((await app.inject({ method: 'GET', url: `/v1/attachments/${id}/content`, headers })).rawPayload, data, 'the bytes stored are the bytes sent');
  }
});

t.test('a case has a bounded number of unfinished uploads; abandoned ones are deleted', async (t) => {
  const { app, database, create, put, finish } = await receiptCase(t, { maxOpenUploads: 2, abandonedUploadDays: 1 });
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
  t.equal((await create(a)).statusCode, 201);
  t.equal((await create(b)).statusCode, 201);
  const third = await create(c);
  t.equal(third.statusCode, 409);
  t.equal(third.json().error.code, 'too_many_open_uploads');
  t.equal((await create(a)).statusCode, 200, 'an upload already open can still be resumed');
  await put(a, 0, randomBytes(1024 + 16));
  t.equal((await finish(a, 1)).statusCode, 200);
  t.equal((await create(c)).statusCode, 201, 'a finished upload frees its place');
  const parallel = await Promise.all([randomUUID(), randomUUID(), randomUUID()].map(create));
  t.same(parallel.map((r) => r.statusCode), [409, 409, 409], 'racing creations cannot pass the cap either');

  // b and c abandoned: one created two days ago, one yesterday (less than a full day may have passed).
  await put(b, 0, randomBytes(CHUNK));
  await sql`update attachments set created_on = current_date - 2 where id = ${b}`.execute(database.db);
  await sql`update attachments set created_on = current_date - 1 where id = ${c}`.execute(database.db);
  await sql`update attachments set created_on = current_date - 30 where id = ${a}`.execute(database.db);
  t.equal(await deleteAbandonedUploads(database.db, 1), 1);
  const left = await database.db.selectFrom('attachments').select('id').execute();
  t.same(left.map((r) => r.id).sort(), [a, c].sort(), 'only the upload unfinished for over a day went; finished ones stay');
  t.equal((await database.db.selectFrom('attachment_chunks').select('index').where('attachment_id', '=', b).execute()).length, 0, 'with its chunks');
  t.ok(app.config.uploadSweepSeconds > 0);
});

t.test('the server sweeps abandoned uploads by itself, and stops when it closes', async (t) => {
  const { database, create } = await receiptCase(t, { uploadSweepSeconds: 1 });
  const id = randomUUID();
  await create(id);
  await sql`update attachments set created_on = current_date - 3 where id = ${id}`.execute(database.db);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && (await database.db.selectFrom('attachments').select('id').where('id', '=', id).execute()).length > 0) {
    await new Promise((r) => setTimeout(r, 200));
  }
  t.same(await database.db.selectFrom('attachments').select('id').where('id', '=', id).execute(), [], 'gone within a sweep interval');
});
