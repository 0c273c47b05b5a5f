import t from 'tap';
import { randomBytes } from 'node:crypto';
import {
  ApiClientError, PartialSubmitError, SubmitRefusedError, bytesFile, listAgencies, openReceipt, submitCase,
} from '../../src/client/denouncer.js';
import { ATTACHMENT_CHUNK_SIZE, loadBackend, openCase, unwrapContentKey } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { injectFetch } from './inject-fetch.js';

// The denouncer SDK against the real app (through inject): submit, follow, reply, files.

const server = 'http://tipline.test';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts);
}

t.test('a case submitted with the SDK is followed with its receipt, both ways', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 4 });
  const agency = await createTestAgency(database.db, { intake: 2, custodians: 2, threshold: 2 });
  const fetch = injectFetch(app);
  const [listed] = await listAgencies({ server, fetch });
  t.equal(listed?.slug, agency.slug);

  const evidence = randomBytes(ATTACHMENT_CHUNK_SIZE * 2 + 123); // three chunks, the last one short
  const stages: string[] = [];
  const submitted = await submitCase({
    server, fetch, agency: agency.slug, pinnedFingerprint: agency.fingerprint,
    body: 'The district chief took a bribe on 3 March',
    identity: { name: 'Nguyễn Văn A', address: '12 Hàng Bài', contact: '0912 000 000' },
    attachments: [bytesFile('contract.pdf', evidence, 'application/pdf')],
    onProgress: (p) => stages.push(p.stage),
  });
  t.match(submitted.receipt, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/);
  t.match(submitted.publicNumber, /^TL-\d{4}-000001$/);
  t.ok(stages.includes('sending') && stages.includes('submitted') && stages.includes('uploading'), 'progress is reported');

  // An intake officer can open what was sealed to them.
  const be = await loadBackend('sodium');
  const intake = agency.withRole('intake')[0]!;
  const row = await database.db.selectFrom('cases').select(['envelope']).where('id', '=', submitted.caseId).executeTakeFirstOrThrow();
  const key = await database.db.selectFrom('case_keys').select('wrapped').where('staff_id', '=', intake.id).executeTakeFirstOrThrow();
  const ctx = { agencyId: agency.id, caseId: submitted.caseId };
  const ck = unwrapContentKey(be, ctx, key.wrapped, { publicKey: intake.keys.boxPublicKey, secretKey: intake.keys.boxSecretKey });
  const body = JSON.parse(new TextDecoder().decode(openCase(be, ctx, row.envelope!, ck)));
  t.equal(body.summary.what, 'The district chief took a bribe on 3 March');
  t.equal(body.attachments[0].name, 'contract.pdf');

  // The denouncer comes back with the receipt, typed loosely.
  const session = await openReceipt(submitted.receipt.toLowerCase().replaceAll('-', ' '), { server, fetch });
  const status = await session.status();
  t.match(status, { publicNumber: submitted.publicNumber, status: 'RECEIVED', agency: { slug: agency.slug } });
  const opened = await session.readCase();
  t.equal(opened.identity?.name, 'Nguyễn Văn A', 'the denouncer reads back their own identity block');
  const [ref] = await session.attachments();
  t.same(await collect(session.download(ref!)), evidence, 'the file comes back whole');

  const reply = await session.reply('More details: the meeting was at the café', [bytesFile('photo.jpg', randomBytes(1000))]);
  const messages = await session.messages();
  t.equal(messages.length, 1);
  t.equal(messages[0]?.text, 'More details: the meeting was at the café');
  t.equal(messages[0]?.attachments[0]?.name, 'photo.jpg');
  t.same(await session.messages(reply.seq), [], 'the cursor skips what was read');
  t.equal((await session.attachments()).length, 2);
});

t.test('a pinned fingerprint that does not match stops everything before sending', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db);
  const impostor = await createTestAgency(database.db);
  const fetch = injectFetch(app);
  const err = await submitCase({ server, fetch, agency: agency.slug, pinnedFingerprint: impostor.fingerprint, body: 'x' }).catch((e) => e);
  t.ok(err instanceof SubmitRefusedError);
  t.equal(err.code, 'fingerprint_mismatch');
  t.equal((await database.db.selectFrom('cases').select('id').execute()).length, 0, 'nothing was sent');
  const unknown = await submitCase({ server, fetch, agency: 'nope', body: 'x' }).catch((e) => e);
  t.equal(unknown.code, 'agency_unknown');
});

t.test('a lost answer is retried with the same bytes and yields one case', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db);
  const inner = injectFetch(app);
  let dropped = 0;
  // The first submission reaches the server, but its answer is lost on the way back.
  const fetch: typeof inner = async (url, init) => {
    const res = await inner(url, init);
    if (url.endsWith('/v1/cases') && dropped === 0) {
      dropped++;
      throw new TypeError('connection reset');
    }
    return res;
  };
  const submitted = await submitCase({ server, fetch, agency: agency.slug, body: 'x' });
  t.equal(dropped, 1);
  t.equal((await database.db.selectFrom('cases').select('id').execute()).length, 1);
  t.match(submitted.publicNumber, /-000001$/);
});

t.test('an interrupted upload resumes where the server stopped, and a wrong receipt is refused', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await createTestAgency(database.db);
  const inner = injectFetch(app);
  let failOnce = true;
  const fetch: typeof inner = async (url, init) => {
    // The second batch of chunks never arrives the first time.
    if (failOnce && /\/chunks\/16$/.test(url)) {
      failOnce = false;
      throw new TypeError('network down');
    }
    return inner(url, init);
  };
  const file = randomBytes(ATTACHMENT_CHUNK_SIZE * 20);
  const submitted = await submitCase({ server, fetch, agency: agency.slug, body: 'x', attachments: [bytesFile('big.bin', file)] });
  t.notOk(failOnce, 'the failure happened');
  const session = await openReceipt(submitted.receipt, { server, fetch: inner });
  const [ref] = await session.attachments();
  t.same(await collect(session.download(ref!)), file);

  const wrongReceipt = submitted.receipt.slice(0, -1) + (submitted.receipt.endsWith('0') ? '1' : '0');
  await t.rejects(openReceipt(wrongReceipt, { server, fetch: inner }), { code: 'receipt_invalid' }, 'a typo is caught locally');
  const { generateReceipt } = await import('../../src/protocol/index.js');
  const stranger = await openReceipt(generateReceipt(await loadBackend()), { server, fetch: inner });
  const err = await stranger.status().catch((e) => e);
  t.ok(err instanceof ApiClientError);
  t.equal(err.status, 404);
  void PartialSubmitError;
});
