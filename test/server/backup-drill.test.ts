import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { bytesFile, openReceipt, submitCase, type SubmittedCase } from '../../src/client/denouncer.js';
import { decodeJson, type CaseBody } from '../../src/client/plaintext.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { downloadAttachment } from '../../src/client/staff-attachments.js';
import { readMessages, reply } from '../../src/client/staff-messages.js';
import { enrol, login, StaffClient, createAgency } from '../../src/client/staff.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import { deriveReceiptKeys, generateAgencyKeys, loadBackend, loginMessage, signDetached, toBase64Url, fromBase64Url, type StaffKeys } from '../../src/protocol/index.js';
import { issueBootstrapCode } from '../../src/server/db/agencies.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, testServerUrl, type TestDatabase } from '../helpers/db.js';
import { solvedHeader, type ChallengeJson } from '../helpers/pow.js';
import { pgliteTemplate } from '../helpers/templates.js';
import { injectFetch } from '../client/inject-fetch.js';
import { tiplineCli } from '../cli/in-process.js';
import { injectHttp, newAgency, newStaff, publishBundleOf, type Agency, type Person } from './staff-kit.js';

// The restore drill (docs/OPERATIONS.md, "Backup and restore"): cases with files,
// messages both ways, a grant and an audit trail; `tipline backup` while the server runs
// and a denouncer submits; `tipline restore` into a fresh database; then every receipt
// resolves, every case and file opens byte for byte through the real SDKs, the audit
// chain verifies — and nothing a thief could have kept from before (a staff session, a
// login challenge, an invitation, a bootstrap code, a proof-of-work token) works.

const server = 'http://tipline.test';
const POW = { powDifficulty: 2 };
const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

/** Where the drill's data lives, and how `tipline` is pointed at it. */
interface Place { database: TestDatabase; env: Record<string, string | undefined> }

/** A source database the command line can reach: PostgreSQL, or an embedded data directory (seeded from the template). */
async function sourcePlace(dir: string): Promise<Place> {
  if (testServerUrl) {
    const database = await createTestDatabase();
    return { database, env: { DATABASE_URL: database.url, TIPLINE_DATA_DIR: join(dir, 'unused') } };
  }
  const dataDir = join(dir, 'source');
  const db = await connectDatabase({ dataDir, seed: pgliteTemplate() });
  await migrateToLatest(db);
  return { database: { db, url: undefined, drop: () => db.destroy() }, env: { DATABASE_URL: undefined, TIPLINE_DATA_DIR: dataDir } };
}

/** An empty target: a new PostgreSQL database, or a data directory that does not exist yet. */
async function emptyTarget(t: Test, dir: string): Promise<{ env: Record<string, string | undefined>; open(): Promise<TestDatabase> }> {
  if (testServerUrl) {
    const name = `tipline_restore_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: testServerUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(testServerUrl);
    url.pathname = `/${name}`;
    t.teardown(async () => {
      const c = new pg.Client({ connectionString: testServerUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    });
    const open = async () => {
      const db = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
      return { db, url: url.toString(), drop: () => db.destroy() };
    };
    return { env: { DATABASE_URL: url.toString(), TIPLINE_DATA_DIR: join(dir, 'unused') }, open };
  }
  const dataDir = join(dir, 'restored');
  const open = async () => {
    const db = await connectDatabase({ dataDir });
    return { db, url: undefined, drop: () => db.destroy() };
  };
  return { env: { DATABASE_URL: undefined, TIPLINE_DATA_DIR: dataDir }, open };
}

const evidence = randomBytes(150_000);
const later = randomBytes(70_000);

async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const p of pieces) out.push(Buffer.from(p));
  return Buffer.concat(out);
}

/** A staff member on another app: the same keys (they live with staff), a new login. */
async function againOn(app: TestApp, agency: Agency, who: Person): Promise<StaffClient> {
  const http = injectHttp(app.app);
  return new StaffClient(http, await login(http, who.staffId, who.keys), new MemoryTrustStore({ [agency.agencyId]: agency.fingerprint }));
}

/** Every case the staff member can open, with its body, its messages and its files, as plain bytes. */
async function staffView(c: StaffClient, keys: StaffKeys, agencyId: string, caseId: string) {
  const opened = await c.openCase(caseId, keys);
  const body = decodeJson<CaseBody>(opened.body);
  const ctx = { agencyId, caseId };
  const files = await Promise.all(body.attachments.map((ref) => collect(downloadAttachment(c, ctx, ref))));
  const messages = (await readMessages(c, caseId, agencyId, opened.contentKey)).map((m) => m.text);
  return { what: body.summary.what, files: files.map((f) => f.toString('base64')), messages };
}

t.test('a backup taken while the server runs restores every case, file and audit row, and nothing from before logs anyone in', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-drill-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const be = await loadBackend();
  const place = await sourcePlace(dir);
  const source = await createTestApp(t, POW, place.database);
  const fetch = injectFetch(source.app);
  const agency = await newAgency(source.app, source.database.db, 'drill');
  const intake = await newStaff(source.app, agency, ['intake']);
  const investigator = await newStaff(source.app, agency, ['investigator']);
  const auditor = await newStaff(source.app, agency, ['auditor']);
  await publishBundleOf(agency);

  const submit = (body: string, files: Uint8Array[] = []) => submitCase({
    server, fetch, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body,
    attachments: files.map((f, i) => bytesFile(`evidence-${i}.pdf`, f, 'application/pdf')),
  });
  const cases: SubmittedCase[] = [await submit('the district chief took a bribe', [evidence]), await submit('a second report')];
  const denouncer = await openReceipt(cases[0]!.receipt, { server, fetch });
  await denouncer.reply('one more file', [bytesFile('later.jpg', later, 'image/jpeg')]);
  await reply(intake.client, cases[0]!.caseId, 'thank you, we are looking into it', intake.keys);
  await intake.client.grant(cases[0]!.caseId, { staffId: investigator.staffId }, intake.keys);

  // What a thief could have kept from before the backup, every item still valid now.
  const challenge = await intake.client.http.post<{ nonce: string }>('/v1/staff/challenge');
  const invitation = await agency.admin.client.invite('not yet enrolled', ['investigator']);
  const bootstrapCode = (await issueBootstrapCode(source.database.db, true))!;
  const powToken = solvedHeader(be, (await source.app.inject({ method: 'POST', url: '/v1/pow', payload: {} })).json() as ChallengeJson);
  t.equal((await source.app.inject({ url: '/v1/staff/cases', headers: { authorization: `Bearer ${intake.client.session.token}` } })).statusCode, 200, 'the session works before');

  const before = { views: [] as unknown[], audit: await verifyAuditViaApi(auditor.client, { pinnedFingerprint: agency.fingerprint }) };
  t.ok(before.audit.checked > 5 && before.audit.firstBreak === null, 'the audit chain verifies before');
  for (const c of cases) before.views.push(await staffView(intake.client, intake.keys, agency.agencyId, c.caseId));

  // The backup runs while a denouncer submits.
  const file = join(dir, 'tipline.backup');
  const started = performance.now();
  const [made, during] = await Promise.all([
    tiplineCli(['backup', '--out', file, '--json'], place.env),
    submit('a report sent during the backup', [randomBytes(5000)]),
  ]);
  t.equal(made.code, 0, made.stderr);
  t.equal(statSync(file).mode & 0o777, 0o600, 'the backup file is 0600');

  const backupSeconds = (performance.now() - started) / 1000;
  const target = await emptyTarget(t, dir);
  const restoring = performance.now();
  const restored = await tiplineCli(['restore', file], target.env);
  // Figures for the operator's notes, not assertions.
  t.comment(`backup ${(statSync(file).size / 1024).toFixed(0)} KiB in ${backupSeconds.toFixed(1)} s, restore in ${((performance.now() - restoring) / 1000).toFixed(1)} s (${testServerUrl ? 'PostgreSQL' : 'embedded'})`);
  t.equal(restored.code, 0, restored.stderr);
  t.match(restored.stdout, /đã khôi phục.*restored/s, 'the restore says so in Vietnamese and English');

  const after = await createTestApp(t, POW, await target.open());
  const afterFetch = injectFetch(after.app);
  // A submission during the backup is in it whole or not at all.
  const duringRow = await after.database.db.selectFrom('cases').select('id').where('id', '=', during.caseId).executeTakeFirst();
  const kept = duringRow ? [...cases, during] : cases;
  t.comment(`the submission during the backup is ${duringRow ? '' : 'not '}in it`);

  for (const c of kept) {
    const session = await openReceipt(c.receipt, { server, fetch: afterFetch });
    t.equal((await session.status()).publicNumber, c.publicNumber, `the receipt of ${c.publicNumber} resolves`);
    if (c === during) continue;
    const files = await session.attachments();
    const bytes = await Promise.all(files.map((ref) => collect(session.download(ref))));
    if (c === cases[0]) t.same(bytes.map((b) => b.toString('base64')), [evidence, later].map((b) => b.toString('base64')), 'the denouncer reopens every file byte for byte');
  }
  const officer = await againOn(after, agency, intake);
  for (const [i, c] of cases.entries()) {
    t.same(await staffView(officer, intake.keys, agency.agencyId, c.caseId), before.views[i], `${c.publicNumber} opens as before: body, messages, files`);
  }
  // Its file is uploaded after the case is stored: the snapshot may hold the case without it (a point in time).
  if (duringRow) t.match(utf8((await officer.openCase(during.caseId, intake.keys)).body), /sent during the backup/, 'the case sent during the backup opens');
  const granted = await againOn(after, agency, investigator);
  t.equal(utf8((await granted.openCase(cases[0]!.caseId, investigator.keys)).body).includes('bribe'), true, 'the grant survives: the investigator opens the case');
  const audit = await verifyAuditViaApi(await againOn(after, agency, auditor), { pinnedFingerprint: agency.fingerprint });
  t.equal(audit.firstBreak, null, 'the audit chain verifies after the restore');
  t.ok(audit.checked >= before.audit.checked, 'with every row from before');

  // Nothing from before the backup works on the restored server; the same things made now do.
  const code = (r: { statusCode: number; json(): unknown }) => `${r.statusCode} ${(r.json() as { error?: { code?: string } }).error?.code ?? ''}`.trim();
  t.equal(code(await after.app.inject({ url: '/v1/staff/cases', headers: { authorization: `Bearer ${intake.client.session.token}` } })), '401 unauthorized', 'an old staff session is refused');
  const signed = (nonce: string) => toBase64Url(signDetached(be, 'login', loginMessage(after.config.origin, fromBase64Url(nonce), intake.staffId), intake.keys.signSecretKey));
  t.equal(code(await after.app.inject({ method: 'POST', url: '/v1/staff/login', payload: { staffId: intake.staffId, nonce: challenge.nonce, signature: signed(challenge.nonce) } })), '401 unauthorized', 'an old login challenge is refused');
  const fresh = (await after.app.inject({ method: 'POST', url: '/v1/staff/challenge' })).json() as { nonce: string };
  t.equal((await after.app.inject({ method: 'POST', url: '/v1/staff/login', payload: { staffId: intake.staffId, nonce: fresh.nonce, signature: signed(fresh.nonce) } })).statusCode, 200, 'a new challenge logs in');
  const enrolled = await enrol(injectHttp(after.app), after.config.origin, invitation.staffId, invitation.enrolmentCode).then(() => 'enrolled', (e: { code?: string; status?: number }) => `${e.status} ${e.code}`);
  t.match(enrolled, /^4\d\d /, `an old invitation code is refused (${enrolled})`);
  const created = await createAgency(injectHttp(after.app), {
    bootstrapCode, slug: 'thief', name: 'Thief', agencyPublicKey: generateAgencyKeys(be).publicKey, adminName: 'Thief',
  }).then(() => 'created', (e: { code?: string; status?: number }) => `${e.status} ${e.code}`);
  t.match(created, /^4\d\d /, `an old bootstrap code is refused (${created})`);
  const auth = { authorization: `Receipt ${toBase64Url(deriveReceiptKeys(be, cases[1]!.receipt).authKey)}` };
  t.equal(code(await after.app.inject({ url: '/v1/case', headers: { ...auth, 'tipline-pow': powToken } })), '401 pow_invalid', 'an unspent proof-of-work token from before is refused');
  const newToken = solvedHeader(be, (await after.app.inject({ method: 'POST', url: '/v1/pow', payload: {}, headers: auth })).json() as ChallengeJson);
  t.equal((await after.app.inject({ url: '/v1/case', headers: { ...auth, 'tipline-pow': newToken } })).statusCode, 200, 'a new one is accepted');
});
