import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import {
  ATTACHMENT_CHUNK_SIZE, attachmentWriter, deriveReceiptKeys, generateReceipt, loadBackend, sealCase, sealMessage,
  toBase64Url, unwrapContentKey,
} from '../../src/protocol/index.js';
import { sealIdentity } from '../../src/protocol/identity.js';
import { protectionDetailsContext } from '../../src/client/protection-context.js';
import { seedAgency } from '../../bench/lib/seed.js';
import { createTestApp } from '../helpers/app.js';

// After a full denouncer flow, a seized database and the server's logs hold none of
// the plaintext, no receipt or auth key, and nothing about the sender's network or
// software. Each secret is searched as text, as hex (bytea) and as base64url.

const canaries = {
  body: 'CANARY-BODY-provincial-land-office-bribe-7731',
  message: 'CANARY-MESSAGE-the-ledger-is-in-the-blue-cabinet',
  identity: 'CANARY-IDENTITY-Nguyen-Van-A-0912345678',
  attachment: 'CANARY-ATTACHMENT-scanned-invoice-page-1',
  protection: 'CANARY-PROTECTION-my-manager-threatened-me',
};
const ip = '203.0.113.77';
const userAgent = 'CanaryBrowser/9.9 (Secret OS)';
const client = { 'x-forwarded-for': ip, 'x-real-ip': ip, 'user-agent': userAgent, forwarded: `for=${ip}` };

function forms(value: string | Uint8Array): string[] {
  const bytes = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value);
  const out = [bytes.toString('hex'), toBase64Url(bytes), bytes.toString('base64')];
  if (typeof value === 'string') out.push(value);
  return out;
}

t.test('a database dump and the logs reveal no plaintext, receipt, key, address or user agent', async (t) => {
  const { app, database, logs } = await createTestApp(t, { trustProxy: true });
  const be = await loadBackend('sodium');
  const agency = await seedAgency(database.db, be);
  const intake = agency.staff.filter((s) => s.roles.includes('intake'));
  const custodians = agency.staff.filter((s) => s.roles.includes('custodian'));
  const receipt = generateReceipt(be);
  const keys = deriveReceiptKeys(be, receipt);
  const caseId = randomUUID();
  const ctx = { agencyId: agency.agencyId, caseId };
  const sealed = await sealCase(be, {
    ctx,
    body: Buffer.from(canaries.body),
    recipients: intake.map((s) => ({ staffId: s.staffId, boxPublicKey: s.keys.boxPublicKey })),
    denouncerPublicKey: keys.replyKeyPair.publicKey,
    identity: { data: Buffer.from(canaries.identity), custodians: custodians.map((s) => ({ staffId: s.staffId, boxPublicKey: s.keys.boxPublicKey })), threshold: 1 },
  });
  const b64 = toBase64Url;
  const submit = await app.inject({
    method: 'POST', url: '/v1/cases', headers: client,
    payload: {
      caseId, agencyId: agency.agencyId, kind: 'denunciation', envelope: b64(sealed.envelope), verifier: b64(keys.verifier),
      denouncerKey: b64(sealed.denouncerKey),
      recipientKeys: sealed.recipientKeys.map((k) => ({ staffId: k.staffId, wrapped: b64(k.wrapped) })),
      identity: sealed.identity && {
        block: b64(sealed.identity.block), denouncerKey: b64(sealed.identity.denouncerKey), threshold: sealed.identity.threshold,
        shares: sealed.identity.shares.map((s) => ({ staffId: s.staffId, wrapped: b64(s.wrapped) })),
      },
    },
  });
  t.equal(submit.statusCode, 201, `submitted: ${submit.body.slice(0, 200)}`);
  const auth = { ...client, authorization: `Receipt ${b64(keys.authKey)}` };
  t.equal((await app.inject({ url: '/v1/case', headers: auth })).statusCode, 200, 'status by receipt');

  const contentKey = unwrapContentKey(be, ctx, sealed.denouncerKey, keys.replyKeyPair);
  const messageId = randomUUID();
  const ciphertext = sealMessage(be, ctx, contentKey, { messageId, direction: 'from_denouncer', plaintext: Buffer.from(canaries.message) });
  const posted = await app.inject({ method: 'POST', url: '/v1/case/messages', headers: auth, payload: { messageId, ciphertext: b64(ciphertext) } });
  t.ok(posted.statusCode < 300, `message posted: ${posted.statusCode} ${posted.body.slice(0, 200)}`);
  t.equal((await app.inject({ url: '/v1/case/messages', headers: auth })).statusCode, 200, 'messages read back');

  const attachmentId = randomUUID();
  t.ok((await app.inject({ method: 'POST', url: '/v1/case/attachments', headers: auth, payload: { attachmentId } })).statusCode < 300, 'attachment created');
  const plain = Buffer.alloc(ATTACHMENT_CHUNK_SIZE + 100, canaries.attachment);
  const sealer = attachmentWriter(be, ctx, attachmentId, plain.length);
  const chunks: Uint8Array[] = [];
  for await (const c of sealer.seal([plain])) chunks.push(c);
  const put = await app.inject({
    method: 'PUT', url: `/v1/attachments/${attachmentId}/chunks/0`, headers: { ...auth, 'content-type': 'application/octet-stream' },
    payload: Buffer.concat(chunks),
  });
  t.equal(put.statusCode, 200, `chunks stored: ${put.body.slice(0, 200)}`);
  t.equal((await app.inject({ method: 'POST', url: `/v1/attachments/${attachmentId}/finish`, headers: auth, payload: { chunkCount: 2 } })).statusCode, 200, 'attachment finished');
  t.equal((await app.inject({ url: `/v1/attachments/${attachmentId}/content`, headers: auth })).statusCode, 200, 'attachment downloaded');

  // Sealed as the page seals protection details (PROTOCOL.md §6.1): to the custodians, m of n.
  const protectionId = randomUUID();
  const details = await sealIdentity(be, protectionDetailsContext(agency.agencyId, protectionId), {
    data: Buffer.from(canaries.protection), custodians: custodians.map((s) => ({ staffId: s.staffId, boxPublicKey: s.keys.boxPublicKey })), threshold: 1,
  }, keys.replyKeyPair.publicKey);
  const protection = await app.inject({
    method: 'POST', url: '/v1/case/protection', headers: auth,
    payload: {
      protectionRequestId: protectionId, urgent: true, sealedDetails: b64(details.block), threshold: details.threshold, denouncerKey: b64(details.denouncerKey),
      shares: details.shares.map((s) => ({ staffId: s.staffId, wrapped: b64(s.wrapped) })),
    },
  });
  t.equal(protection.statusCode, 201, `protection request: ${protection.body.slice(0, 200)}`);

  const dump = await dumpDatabase(database.db);
  const logText = logs.join('');
  t.ok(dump.length > 1000, `database dump of ${dump.length} characters`);
  // Controls: the search does see bytea and the logs are really captured.
  t.ok(dump.includes(Buffer.from(keys.verifier).toString('hex')), 'the verifier (stored by design) is found as hex');
  t.ok(logs.length > 0 && logText.includes('/v1/cases'), 'request logs were captured');
  const secrets: [string, string[]][] = [
    ...Object.entries(canaries).map(([k, v]) => [`plaintext ${k}`, forms(v)] as [string, string[]]),
    ['receipt', [receipt, receipt.replaceAll('-', '')]],
    ['auth key', forms(keys.authKey)],
    ['reply secret key', forms(keys.replyKeyPair.secretKey)],
    ['content key', forms(contentKey)],
    ['attachment file key', forms(sealer.fileKey)],
    ['IP address', [ip]],
    ['user agent', [userAgent, 'CanaryBrowser']],
  ];
  for (const [name, variants] of secrets) {
    t.notOk(variants.some((v) => dump.toLowerCase().includes(v.toLowerCase())), `database holds no ${name}`);
    t.notOk(variants.some((v) => logText.toLowerCase().includes(v.toLowerCase())), `logs hold no ${name}`);
  }
  t.notOk(logText.includes('127.0.0.1'), 'logs hold no loopback address either');
});

/** Every row of every table as text; bytea renders as \x-hex, as pg_dump would. */
async function dumpDatabase(db: import('../../src/server/db/connect.js').Database): Promise<string> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(db);
    parts.push(`-- ${name}`, ...rows.rows.map((r) => r.row));
  }
  return parts.join('\n');
}
