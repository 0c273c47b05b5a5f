import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import {
  AttachmentDownload, AttachmentMismatchError, DownloadCancelled, DownloadInterrupted,
} from '../../src/client/attachment-download.js';
import { bytesFile, submitCase } from '../../src/client/denouncer.js';
import { HttpClient, type FetchLike } from '../../src/client/http.js';
import { decodeJson, type CaseBody } from '../../src/client/plaintext.js';
import { attachmentDownload, downloadAttachment } from '../../src/client/staff-attachments.js';
import { login, StaffClient } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { ATTACHMENT_CHUNK_SIZE, TiplineCryptoError, type CaseContext } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { injectFetch } from './inject-fetch.js';

// The staff SDK's download of one attachment, resumed after the network cuts it: the
// download object keeps the reader, the running hash and the bytes handed out, asks the
// server for the chunks from the next unopened one, and ends for good on anything that
// is not a cut (a tampered chunk, a cancel). Runs against the real app on either database.

const server = 'http://tipline.test';
const CIPHERTEXT_CHUNK = ATTACHMENT_CHUNK_SIZE + 16;
// Six whole chunks and a short one: seven chunks of ciphertext, the last with the padding.
const evidence = randomBytes(ATTACHMENT_CHUNK_SIZE * 6 + 4321);

/** What the next attachment answer does to its body: cut it with an error, or end it early. */
interface Fault { after: number; how: 'error' | 'end' }

async function setup(t: Test) {
  const { app, database } = await createTestApp(t, { powDifficulty: 4 });
  const agency = await createTestAgency(database.db, { intake: 1 });
  const officer = agency.withRole('intake')[0]!;
  const sent = await submitCase({
    server, fetch: injectFetch(app), agency: agency.slug, pinnedFingerprint: agency.fingerprint,
    body: 'The district chief took a bribe', attachments: [bytesFile('sao kê.pdf', evidence, 'application/pdf')],
  });
  const contentPaths: string[] = [];
  const faults: Fault[] = [];
  const inner = injectFetch(app);
  const fetch: FetchLike = async (input, init) => {
    const answer = await inner(input, init);
    if (!new URL(input).pathname.endsWith('/content')) return answer;
    contentPaths.push(new URL(input).pathname + new URL(input).search);
    const fault = faults.shift();
    return fault ? faulty(answer, fault) : answer;
  };
  const http = new HttpClient({ baseUrl: server, fetch });
  const client = new StaffClient(http, await login(http, officer.id, officer.keys, app.config.origin), new MemoryTrustStore({ [agency.id]: agency.fingerprint }));
  const { body } = await client.openCase(sent.caseId, officer.keys);
  const ref = decodeJson<CaseBody>(body).attachments[0]!;
  const ctx: CaseContext = { agencyId: agency.id, caseId: sent.caseId };
  return { app, db: database.db, client, ctx, ref, contentPaths, faults };
}

/** The answer's body in 10 000-byte pieces, stopped after `after` bytes as a cut network or a proxy would. */
async function faulty(answer: Response, fault: Fault): Promise<Response> {
  const bytes = new Uint8Array(await answer.arrayBuffer());
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= fault.after) {
        if (fault.how === 'error') controller.error(new TypeError('network error'));
        else controller.close();
        return;
      }
      const end = Math.min(offset + 10_000, fault.after);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
  return new Response(body, { status: answer.status, headers: answer.headers });
}

/** Runs the download once, keeping what it handed out; resolves to the error it stopped with, if any. */
async function runOnce(download: AttachmentDownload, into: Uint8Array[], onPiece?: () => void): Promise<unknown> {
  try {
    for await (const piece of download.pieces()) {
      into.push(piece.slice());
      onPiece?.();
    }
    return undefined;
  } catch (err) {
    return err;
  }
}

const downloads = async (db: Awaited<ReturnType<typeof setup>>['db']) =>
  (await db.selectFrom('audit_log').select('detail').where('action', '=', 'attachment.download').orderBy('seq').execute())
    .map((r) => (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>);

t.test('a download cut mid-way resumes from the next chunk and ends byte-identical', async (t) => {
  const p = await setup(t);
  const download = await attachmentDownload(p.client, p.ctx, p.ref);
  const kept: Uint8Array[] = [];
  // Two whole chunks and half of the third arrive, then the connection fails.
  p.faults.push({ after: Math.floor(CIPHERTEXT_CHUNK * 2.5), how: 'error' });
  const cut = await runOnce(download, kept);
  t.ok(cut instanceof DownloadInterrupted, 'a cut is an interruption, not a failure');
  t.equal(download.chunksOpened, 2, 'the two whole chunks were authenticated and kept');
  t.equal(download.received, 2 * ATTACHMENT_CHUNK_SIZE, 'and their bytes handed out');
  t.notOk(download.complete);

  t.equal(await runOnce(download, kept), undefined, 'the second run finishes and checks out');
  t.ok(download.complete);
  t.ok(Buffer.concat(kept).equals(evidence), 'the pieces of both runs are the file, byte for byte');
  const base = `/v1/staff/cases/${p.ctx.caseId}/attachments/${p.ref.id}/content`;
  t.same(p.contentPaths, [`${base}?from=0`, `${base}?from=2`], 'the second request starts at the chunk the cut broke');
  t.same(await downloads(p.db), [{ attachmentId: p.ref.id }, { attachmentId: p.ref.id, fromChunk: 2 }], 'both requests are audited, the resumed one with its chunk');
  t.equal(await runOnce(download, kept), undefined, 'a finished download has nothing more to give');
  t.equal(p.contentPaths.length, 2, 'and fetches nothing more');
});

t.test('a body that ends cleanly before the listed size is a cut, resumed, not a forgery', async (t) => {
  const p = await setup(t);
  const download = await attachmentDownload(p.client, p.ctx, p.ref);
  const kept: Uint8Array[] = [];
  p.faults.push({ after: CIPHERTEXT_CHUNK * 4 + 100, how: 'end' });
  t.ok(await runOnce(download, kept) instanceof DownloadInterrupted, 'an early end is an interruption');
  t.equal(download.chunksOpened, 4);
  t.equal(await runOnce(download, kept), undefined);
  t.ok(Buffer.concat(kept).equals(evidence), 'the file comes whole');
  t.match(p.contentPaths[1], /\?from=4$/);
});

t.test('a tampered chunk ends the download for good', async (t) => {
  const p = await setup(t);
  const row = await p.db.selectFrom('attachment_chunks').select('data').where('attachment_id', '=', p.ref.id).where('index', '=', 3).executeTakeFirstOrThrow();
  const data = Uint8Array.from(row.data);
  data[100] = data[100]! ^ 0x01;
  await p.db.updateTable('attachment_chunks').set({ data }).where('attachment_id', '=', p.ref.id).where('index', '=', 3).execute();
  const download = await attachmentDownload(p.client, p.ctx, p.ref);
  const kept: Uint8Array[] = [];
  const failed = await runOnce(download, kept);
  t.ok(failed instanceof TiplineCryptoError && failed.code === 'open_failed', 'the chunk does not open');
  t.equal(download.chunksOpened, 3, 'nothing from the tampered chunk on was handed out');
  t.equal(await runOnce(download, kept), failed, 'running it again gives the same failure');
  t.equal(p.contentPaths.length, 1, 'without fetching again');
});

t.test('a file of another size than listed is a mismatch, thrown after its last piece', async (t) => {
  const p = await setup(t);
  const download = await attachmentDownload(p.client, p.ctx, { ...p.ref, size: evidence.length - 1 });
  const failed = await runOnce(download, []);
  t.ok(failed instanceof AttachmentMismatchError, `a mismatch (${String(failed)})`);
});

t.test('a cancelled download ends for good, under way or interrupted', async (t) => {
  const p = await setup(t);
  const running = await attachmentDownload(p.client, p.ctx, p.ref);
  const kept: Uint8Array[] = [];
  const cancelled = await runOnce(running, kept, () => { if (kept.length === 2) running.cancel(); });
  t.ok(cancelled instanceof DownloadCancelled, 'cancelled while running');
  t.equal(kept.length, 2, 'nothing is handed out after the cancel');
  t.ok(await runOnce(running, kept) instanceof DownloadCancelled, 'and it stays cancelled');
  t.equal(p.contentPaths.length, 1, 'without fetching again');

  const interrupted = await attachmentDownload(p.client, p.ctx, p.ref);
  p.faults.push({ after: CIPHERTEXT_CHUNK * 3, how: 'error' });
  t.ok(await runOnce(interrupted, []) instanceof DownloadInterrupted);
  interrupted.cancel();
  t.ok(await runOnce(interrupted, []) instanceof DownloadCancelled, 'cancelled while interrupted');

  const abandoned = await attachmentDownload(p.client, p.ctx, p.ref);
  for await (const piece of abandoned.pieces()) if (piece.length > 0) break;
  t.ok(await runOnce(abandoned, []) instanceof DownloadCancelled, 'a download its reader left part-way cannot be continued');
});

t.test('downloadAttachment resumes by itself, from the next chunk', async (t) => {
  const p = await setup(t);
  p.faults.push({ after: Math.floor(CIPHERTEXT_CHUNK * 5.5), how: 'error' });
  const kept: Uint8Array[] = [];
  for await (const piece of downloadAttachment(p.client, p.ctx, p.ref)) kept.push(piece.slice());
  t.ok(Buffer.concat(kept).equals(evidence), 'the file, byte for byte');
  t.match(p.contentPaths, [/\?from=0$/, /\?from=5$/]);
});

t.test('the staff route refuses a chunk index that is not one', async (t) => {
  const p = await setup(t);
  const base = `/v1/staff/cases/${p.ctx.caseId}/attachments/${p.ref.id}/content`;
  for (const from of ['-1', 'x', '2147483648']) {
    const r = await p.client.http.download(`${base}?from=${from}`).catch((err: unknown) => err);
    t.match(r, { status: 400, code: 'validation_failed' }, `from=${from} is refused`);
  }
});
