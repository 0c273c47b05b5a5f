import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { bytesFile, openReceipt, submitCase } from '../../src/client/denouncer.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { approveIdentity, requestIdentity } from '../../src/client/staff-identity.js';
import { reply } from '../../src/client/staff-messages.js';
import { decideProtection, protectionRequests } from '../../src/client/staff-protection.js';
import { transitionCase } from '../../src/client/staff-workflow.js';
import { loadBackend } from '../../src/protocol/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import { migrations } from '../../migrations/index.js';
import { injectFetch } from '../client/inject-fetch.js';
import { stoppedBudgetClock, unlimited } from '../helpers/app.js';
import { newAgency, newStaff, publishBundleOf, type Person } from '../server/staff-kit.js';
import { fixtureDir, fixtureFiles, keepKeys, observe, RELEASE, SERVER, type KeptStaff, type ReleaseSecrets } from './release-fixture.js';

// Makes the release fixture (docs/OPERATIONS.md, "Upgrades"): on a fresh PostgreSQL
// database migrated by this checkout, real use through the real server and SDKs —
// submissions with files and an identity, messages both ways, a grant, workflow steps to
// a conclusion, a protection request decided, an identity released by two custodians,
// the audit trail all of that leaves — then pg_dump of it as plain SQL with INSERTs (no
// COPY: PGlite runs it too), the test keys and receipts, and what they open to.
//
//   npm run fixture:release            (TEST_DATABASE_URL, default the local PostgreSQL)
//
// Run once, at the release, from the release's commit; the files are committed and never
// regenerated afterwards (test/server/upgrade-from-release.test.ts upgrades from them).

const repo = resolve(import.meta.dirname, '../..');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
if (version !== RELEASE) throw new Error(`this checkout is ${version}, the fixture is of ${RELEASE}: make a new fixture directory for a new release`);

const serverUrl = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `tipline_fixture_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${name} template template0`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;

try {
  const db = await connectDatabase({ databaseUrl: url.toString(), dataDir: 'unused' });
  await migrateToLatest(db);
  const config = loadConfig({ LOG_LEVEL: 'warn', TIPLINE_POW_DIFFICULTY: '0' }, { origin: SERVER, ...unlimited });
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const app = await buildApp(config, { db, logStream: quiet, budgetClock: stoppedBudgetClock() });
  await app.ready();
  // The denouncer's page (protection request) speaks HTTP; everything else goes through inject.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const page = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const fetch = injectFetch(app);
  const be = await loadBackend();

  const agency = await newAgency(app, db, 'thanh-tra-tinh');
  const intake = await newStaff(app, agency, ['intake'], 'Cán bộ tiếp nhận');
  const head = await newStaff(app, agency, ['supervisor', 'investigator'], 'Chánh thanh tra');
  const auditor = await newStaff(app, agency, ['auditor'], 'Kiểm toán');
  const custodians = [await newStaff(app, agency, ['custodian'], 'Giữ khóa 1'), await newStaff(app, agency, ['custodian'], 'Giữ khóa 2'), await newStaff(app, agency, ['custodian'], 'Giữ khóa 3')];
  // Valid for a century: the test reads the fixture for as long as it is kept, and a staff client refuses an expired bundle.
  await publishBundleOf(agency, { threshold: 2, validDays: 36_500 });

  const submit = (body: string, files: Uint8Array[], identity?: { name: string; address: string; contact: string }) => submitCase({
    server: SERVER, fetch, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body,
    attachments: files.map((f, i) => bytesFile(`tai-lieu-${i}.pdf`, f, 'application/pdf')),
    ...(identity ? { identity } : {}),
  });
  const bribe = await submit('Chủ tịch xã nhận hối lộ để cấp đất; the commune chairman took a bribe for a land grant', [randomBytes(12_000), randomBytes(3_000)],
    { name: 'Nguyễn Văn A', address: 'Hà Nội', contact: '0900 000 000' });
  const tender = await submit('Gói thầu trường học bị chia nhỏ để chỉ định thầu', [randomBytes(5_000)]);
  const plain = await submit('Cán bộ địa chính đòi tiền khi làm sổ đỏ', []);

  const denouncer = await openReceipt(bribe.receipt, { server: SERVER, fetch });
  await denouncer.reply('Tôi gửi thêm ảnh chụp biên nhận', [bytesFile('bien-nhan.jpg', randomBytes(4_000), 'image/jpeg')]);
  await reply(intake.client, bribe.caseId, 'Cảm ơn anh, chúng tôi đã tiếp nhận', intake.keys);
  await reply(intake.client, tender.caseId, 'Đề nghị cung cấp thêm số gói thầu', intake.keys);
  await (await openReceipt(tender.receipt, { server: SERVER, fetch })).reply('Gói thầu số 12/2026', []);

  await transitionCase(intake.client, bribe.caseId, { action: 'triage', reason: 'thuộc thẩm quyền' }, intake.keys);
  await transitionCase(intake.client, tender.caseId, { action: 'triage', reason: 'thuộc thẩm quyền' }, intake.keys);
  await intake.client.grant(bribe.caseId, { staffId: head.staffId }, intake.keys);
  for (const input of [
    { action: 'accept', reason: 'đủ điều kiện thụ lý' }, { action: 'start_verification', reason: 'thành lập đoàn xác minh' },
    { action: 'conclude', reason: 'có vi phạm', finding: 'true' }, { action: 'send_conclusion', reason: 'gửi người bị tố cáo và cơ quan quản lý' },
  ] as const) await transitionCase(head.client, bribe.caseId, input, head.keys);

  const workflow = receiptWorkflow(be, bribe.receipt, page);
  await workflow.requestProtection({ agencyId: agency.agencyId, caseId: bribe.caseId }, await intake.client.verifiedBundle(agency.agencyId),
    { reasons: 'Tôi bị đe dọa cho nghỉ việc', measures: 'Giữ nguyên vị trí công tác', urgent: false });
  workflow.forget();
  const [protection] = await protectionRequests(head.client);
  await decideProtection(head.client, protection!.protectionRequestId, { decision: 'granted', reason: 'có căn cứ', measures: 'giữ nguyên vị trí công tác', responsibleBody: 'Sở Nội vụ' }, head.keys);

  const identityRequestId = await requestIdentity(head.client, bribe.caseId, 'cần xác minh thêm với người tố cáo', head.keys);
  for (const c of custodians.slice(0, 2)) await approveIdentity(c.client, identityRequestId, c.keys);

  const audit = await verifyAuditViaApi(auditor.client, { pinnedFingerprint: agency.fingerprint });
  if (audit.firstBreak !== null) throw new Error('the audit chain does not verify');

  const kept = (p: Person): KeptStaff => ({ staffId: p.staffId, roles: p.roles, keys: keepKeys(p.keys) });
  const year = new Date().getUTCFullYear();
  const secrets: ReleaseSecrets = {
    release: RELEASE,
    agency: { agencyId: agency.agencyId, slug: agency.slug, fingerprint: agency.fingerprint },
    staff: { intake: kept(intake), head: kept(head), auditor: kept(auditor), custodians: custodians.map(kept) },
    cases: [bribe, tender, plain].map((c) => ({ caseId: c.caseId, publicNumber: c.publicNumber, receipt: c.receipt })),
    identityRequestId,
    period: { from: `${year}-01-01`, to: `${year}-12-31` },
  };
  const view = await observe(app, db, secrets);
  const lastMigration = Object.keys(migrations).sort().at(-1)!;
  await app.close();
  await db.destroy();

  mkdirSync(fixtureDir, { recursive: true });
  execFileSync('pg_dump', ['--format=plain', '--inserts', '--no-owner', '--no-privileges', '--dbname', url.toString(), '--file', fixtureFiles.sql]);
  // \restrict and \unrestrict are psql commands (recent pg_dump releases guard psql with them); the server, and PGlite, run SQL only.
  const dump = readFileSync(fixtureFiles.sql, 'utf8').replace(/^\\(un)?restrict .*\n/gm, '');
  if (/^COPY |^\\/m.test(dump)) throw new Error('the dump holds COPY or a psql command, which PGlite cannot run');
  writeFileSync(fixtureFiles.sql, dump);
  writeFileSync(fixtureFiles.secrets, `${JSON.stringify(secrets, null, 2)}\n`);
  writeFileSync(fixtureFiles.expected, `${JSON.stringify({ lastMigration, auditRows: audit.checked, view }, null, 2)}\n`);
  console.log(`release ${RELEASE} fixture written to ${fixtureDir}: ${secrets.cases.length} cases, ${audit.checked} audit rows, at ${lastMigration}`);
} finally {
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
