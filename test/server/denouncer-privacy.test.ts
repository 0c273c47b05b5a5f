import t from 'tap';
import { sql } from 'kysely';
import { bytesFile, openReceipt, submitCase } from '../../src/client/denouncer.js';
import { deriveReceiptKeys, loadBackend, toBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { injectFetch } from '../client/inject-fetch.js';

// A seized log or database dump must not locate or identify a denouncer, nor reveal
// what they wrote: run a whole denouncer flow, then search both for every secret.

const CANARY = 'CANARY-plaintext-7f3a9c';
const IDENTITY = 'CANARY-identity-Nguyen';
const AGENT = 'CanaryAgent/9.9 (denouncer laptop)';
const FORWARDED = '203.0.113.77';

t.test('logs and tables hold no IP, header, query, receipt or plaintext', async (t) => {
  const { app, database, logs } = await createTestApp(t, { powDifficulty: 2 });
  const agency = await createTestAgency(database.db, { custodians: 1, threshold: 1 });
  const inner = injectFetch(app);
  // Every request carries tell-tale headers and goes to a URL with a query string.
  const fetch: typeof inner = (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('user-agent', AGENT);
    headers.set('x-forwarded-for', FORWARDED);
    headers.set('x-canary-header', 'CANARY-header-value');
    return inner(url.includes('?') ? `${url}&canaryq=1` : `${url}?canaryq=1`, { ...init, headers });
  };
  const server = 'http://tipline.test';
  const submitted = await submitCase({
    server, fetch, agency: agency.slug, body: `${CANARY} the mayor`,
    identity: { name: IDENTITY, address: 'Hà Nội', contact: '0900' },
    attachments: [bytesFile(`${CANARY}.pdf`, new TextEncoder().encode(`${CANARY} file body`))],
  });
  const session = await openReceipt(submitted.receipt, { server, fetch });
  await session.status();
  await session.reply(`${CANARY} reply`);
  await session.messages();
  const [ref] = await session.attachments();
  for await (const piece of session.download(ref!)) void piece;
  await app.inject({ method: 'GET', url: '/v1/case?canaryq=1', headers: { authorization: 'Receipt ' + 'A'.repeat(43) } });

  const be = await loadBackend('sodium');
  const { authKey } = deriveReceiptKeys(be, submitted.receipt);
  const secrets = [
    CANARY, IDENTITY, AGENT, FORWARDED, '127.0.0.1', 'CANARY-header-value', 'canaryq', 'tipline.test',
    submitted.receipt, submitted.receipt.replaceAll('-', ''), toBase64Url(authKey), Buffer.from(authKey).toString('hex'),
  ];
  const logText = logs.join('');
  t.ok(logs.length > 10, 'requests were logged');
  for (const s of secrets) t.notOk(logText.includes(s), `logs do not contain ${s.slice(0, 24)}`);
  t.notOk(/"remote(Address|Port)"|"hostname"|"user-agent"|"headers"|"url"/.test(logText), 'no request fields beyond method and route');

  const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(database.db);
  const dump: Buffer[] = [];
  for (const { tablename } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(tablename)}`.execute(database.db);
    for (const row of rows.rows) {
      for (const v of Object.values(row)) dump.push(v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(JSON.stringify(v) ?? ''));
    }
  }
  const all = Buffer.concat(dump);
  t.ok(all.length > 200_000 / 100, 'the dump holds the sealed case');
  for (const s of [CANARY, IDENTITY, submitted.receipt, submitted.receipt.replaceAll('-', '')]) {
    t.equal(all.indexOf(Buffer.from(s)), -1, `the database does not contain ${s.slice(0, 24)}`);
  }
  t.equal(all.indexOf(Buffer.from(authKey)), -1, 'nor the auth key');
});
