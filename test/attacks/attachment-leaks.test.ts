import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { bytesFile, openReceipt, submitCase } from '../../src/client/denouncer.js';
import { uploadFile, type FileSource } from '../../src/client/files.js';
import { HttpClient } from '../../src/client/http.js';
import { receiptAuthorization } from '../../src/client/receipt.js';
import { ATTACHMENT_CHUNK_SIZE, deriveReceiptKeys, loadBackend, type Backend } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { injectFetch } from '../client/inject-fetch.js';

// What a server that holds, or writes to, the database learns from and does with
// attachments (issue 14, items 6 and 7), tried the way an attacker would.

const server = 'http://tipline.test';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts);
}

/** The backend, with every AEAD encryption recorded as (key, nonce) → hash of the plaintext. */
function recording(be: Backend): { be: Backend; reused: () => string[]; sealed: Map<string, string> } {
  const sealed = new Map<string, string>();
  const clashes: string[] = [];
  const wrapped: Backend = {
    ...be,
    aeadEncrypt(plaintext, ad, nonce, key) {
      const slot = `${hex(key)}/${hex(nonce)}`;
      const digest = createHash('sha256').update(plaintext).digest('hex');
      const before = sealed.get(slot);
      if (before !== undefined && before !== digest) clashes.push(slot);
      sealed.set(slot, digest);
      return be.aeadEncrypt(plaintext, ad, nonce, key);
    },
  };
  return { be: wrapped, reused: () => clashes, sealed };
}

async function setUp(t: Parameters<typeof createTestApp>[0], files: FileSource[], be: Backend) {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db);
  const fetch = injectFetch(app);
  const submitted = await submitCase({ server, fetch, backend: be, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: 'evidence attached', attachments: files });
  const session = await openReceipt(submitted.receipt, { server, fetch, backend: be });
  const auth = receiptAuthorization(deriveReceiptKeys(be, submitted.receipt).authKey);
  const http = new HttpClient({ baseUrl: server, fetch }).withHeaders(auth);
  const ctx = { agencyId: agency.id, caseId: submitted.caseId };
  return { app, database, submitted, session, http, ctx, fetch, auth };
}

t.test('stored attachment sizes are Padmé buckets, not the sizes of the files', async (t) => {
  const be = await loadBackend('sodium');
  // The three sizes, then two that share a bucket.
  const sizes = [70001, 1160, 204817, 71000, 71679];
  const files = sizes.map((n, i) => bytesFile(`file-${i}.bin`, randomBytes(n)));
  const { database, submitted, session } = await setUp(t, files, be);
  // What the attacker reads: every chunk's stored length, per attachment.
  const stored = await database.db
    .selectFrom('attachment_chunks')
    .select(['attachment_id', sql<string>`sum(octet_length(data))`.as('bytes'), sql<string>`count(*)`.as('chunks')])
    .groupBy('attachment_id')
    .execute();
  const byId = new Map(stored.map((r) => [r.attachment_id, Number(r.bytes) - 16 * Number(r.chunks)]));
  const expected = [71680, 1216, 208896, 71680, 71680]; // Padmé(size + 1)
  submitted.attachments.forEach((ref, i) => {
    const plainLength = byId.get(ref.id);
    t.equal(plainLength, expected[i], `${sizes[i]} bytes are stored as the ${expected[i]}-byte bucket`);
    t.not(plainLength, sizes[i], 'not the exact size');
  });
  t.equal(stored.reduce((n, r) => Math.max(n, Number(r.bytes)), 0) % (ATTACHMENT_CHUNK_SIZE + 16) === 0, false, 'the last chunks are not whole, they hold padding');
  t.equal(byId.get(submitted.attachments[3]!.id), byId.get(submitted.attachments[4]!.id), '71000 and 71679 bytes look the same on the server');
  // And the reader still returns the files exactly.
  const refs = await session.attachments();
  t.same(await collect(session.download(refs[1]!)), Buffer.from(await collect(files[1]!.open())), 'the padding is stripped on download');
});

t.test('a server that reports chunks missing cannot make the client seal another file under the same key', async (t) => {
  const rec = recording(await loadBackend('sodium'));
  const original = randomBytes(3 * ATTACHMENT_CHUNK_SIZE + 500);
  const { database, submitted, http, ctx, session } = await setUp(t, [bytesFile('evidence.pdf', original)], rec.be);
  const ref = submitted.attachments[0]!;
  t.ok(rec.sealed.size > 0, 'the first upload was recorded');

  // The attacker writes to the database: every chunk "lost", the upload reopened.
  await sql`delete from attachment_chunks where attachment_id = ${ref.id}`.execute(database.db);
  await sql`update attachments set complete = false, chunk_count = null where id = ${ref.id}`.execute(database.db);
  // The denouncer is asked to resume and picks another file of the same name and size.
  const other = Buffer.from(original);
  other.fill(0x41, 0, 1000);
  const before = rec.sealed.size;
  await t.rejects(uploadFile(rec.be, http, ctx, bytesFile('evidence.pdf', other), ref), { code: 'file_mismatch' }, 'a different file is refused');
  t.equal(rec.sealed.size, before, 'nothing was sealed for it');
  await t.rejects(uploadFile(rec.be, http, ctx, bytesFile('evidence.pdf', original.subarray(1)), ref), { code: 'file_mismatch' }, 'a file of another size is refused');

  // A file that changes after it was checked (the second read differs from chunk 2 on).
  let reads = 0;
  const changing: FileSource = {
    name: 'evidence.pdf', size: original.length,
    open: async function* () {
      reads++;
      if (reads === 1) yield original;
      else {
        yield original.subarray(0, 2 * ATTACHMENT_CHUNK_SIZE);
        yield Buffer.alloc(original.length - 2 * ATTACHMENT_CHUNK_SIZE, 0x42);
      }
    },
  };
  await t.rejects(uploadFile(rec.be, http, ctx, changing, ref), { code: 'file_mismatch' }, 'a file that changed between its reads is refused');

  // The very same file resumes: re-sealing gives the same bytes, so the server gets nothing new.
  await uploadFile(rec.be, http, ctx, bytesFile('evidence.pdf', original), ref);
  t.same(rec.reused(), [], 'no (key, nonce) ever sealed two different plaintexts');
  const [back] = await session.attachments();
  t.same(await collect(session.download(back!)), original, 'the resumed upload opens to the original file');
});

t.test('a server that claims chunks it does not hold gets an upload that cannot finish, never a forged one', async (t) => {
  const rec = recording(await loadBackend('sodium'));
  const file = randomBytes(2 * ATTACHMENT_CHUNK_SIZE);
  const { database, submitted, ctx, fetch, auth } = await setUp(t, [bytesFile('a.bin', file)], rec.be);
  const ref = submitted.attachments[0]!;
  await sql`delete from attachment_chunks where attachment_id = ${ref.id} and index > 0`.execute(database.db);
  await sql`update attachments set complete = false, chunk_count = null where id = ${ref.id}`.execute(database.db);
  // A lying answer: "all chunks stored". The client skips them, and finishing fails.
  const liar = new HttpClient({
    baseUrl: server,
    headers: auth,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (new URL(input).pathname === `/v1/attachments/${ref.id}` && (init?.method ?? 'GET') === 'GET') {
        return new Response(JSON.stringify({ ...(await res.json()), storedChunks: 99 }), { status: 200, headers: { 'content-type': 'application/json' } });
      }
      return res;
    },
  });
  await t.rejects(uploadFile(rec.be, liar, ctx, bytesFile('a.bin', file), ref), { code: 'conflict' });
  t.same(rec.reused(), [], 'and no key or nonce was reused');
});

