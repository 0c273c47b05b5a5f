import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';

// Chunked uploads as the server sees them: resumable, bounded, only whole chunks stored.

const CHUNK = 65536 + 16;

t.test('chunks resume from the stored count, the size limit gives 413, downloads resume', async (t) => {
  const { app, database } = await createTestApp(t, { maxAttachmentBytes: 3 * 65536 });
  const agency = await createTestAgency(database.db);
  const sub = await sealTestCase(agency, 'x');
  await app.inject({ method: 'POST', url: '/v1/cases', payload: sub.body });
  const headers = { authorization: sub.authorization };
  const id = randomUUID();
  t.equal((await app.inject({ method: 'POST', url: '/v1/case/attachments', headers, payload: { id } })).statusCode, 201);
  t.equal((await app.inject({ method: 'POST', url: '/v1/case/attachments', headers, payload: { id } })).statusCode, 200, 'creating again is idempotent');
  const put = (from: number, bytes: Buffer) =>
    app.inject({ method: 'PUT', url: `/v1/attachments/${id}/chunks/${from}`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: bytes });
  const data = randomBytes(2 * CHUNK + 500);
  const first = await put(0, data.subarray(0, CHUNK + 100)); // one whole chunk and a cut-off piece
  t.equal(first.json().storedChunks, 2);
  t.equal((await put(2, data.subarray(2 * CHUNK))).json().error.code, 'conflict', 'nothing may follow a short chunk');
  t.equal((await put(1, data.subarray(CHUNK))).json().storedChunks, 3, 'resuming from the last whole chunk');
  t.equal((await app.inject({ method: 'GET', url: `/v1/attachments/${id}`, headers })).json().storedChunks, 3);
  t.equal((await app.inject({ method: 'GET', url: `/v1/attachments/${id}/content`, headers })).statusCode, 409, 'not downloadable before finish');
  t.equal((await app.inject({ method: 'POST', url: `/v1/attachments/${id}/finish`, headers, payload: { chunkCount: 4 } })).statusCode, 409);
  t.equal((await app.inject({ method: 'POST', url: `/v1/attachments/${id}/finish`, headers, payload: { chunkCount: 3 } })).json().complete, true);
  const all = await app.inject({ method: 'GET', url: `/v1/attachments/${id}/content`, headers });
  t.same(all.rawPayload, data);
  const tail = await app.inject({ method: 'GET', url: `/v1/attachments/${id}/content?from=1`, headers });
  t.same(tail.rawPayload, data.subarray(CHUNK));

  const big = randomUUID();
  await app.inject({ method: 'POST', url: '/v1/case/attachments', headers, payload: { id: big } });
  const tooBig = await app.inject({
    method: 'PUT', url: `/v1/attachments/${big}/chunks/0`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: randomBytes(4 * CHUNK),
  });
  t.equal(tooBig.statusCode, 413);

  const other = await sealTestCase(agency, 'another case');
  await app.inject({ method: 'POST', url: '/v1/cases', payload: other.body });
  const foreign = await app.inject({ method: 'GET', url: `/v1/attachments/${id}`, headers: { authorization: other.authorization } });
  t.equal(foreign.statusCode, 404, "another receipt cannot see this case's files");
});
