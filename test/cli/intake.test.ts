import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openReceipt } from '../../src/client/denouncer.js';
import { encryptKeyFile } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline intake` as an intake officer runs it at the reception desk: a denunciation
// presented in person, with the signed record as a file; the slip printed for the person
// carries the receipt that then opens the case as the page would.

t.test('an intake officer records a denunciation presented in person and prints the slip', async (t) => {
  const { app, database } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agency = await createTestAgency(database.db, { intake: 1, custodians: 2, threshold: 2 });
  const officer = agency.withRole('intake')[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'tipline-intake-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const key = join(dir, 'intake.json');
  writeFileSync(key, await encryptKeyFile(officer.keys, 'correct horse', { staffId: officer.id, label: 'staff' }, { opslimit: 1, memlimit: 8192 }));
  const files = { report: join(dir, 'noi-dung.txt'), record: join(dir, 'bien-ban.txt'), person: join(dir, 'nguoi-to-cao.json'), slip: join(dir, 'slip.txt') };
  writeFileSync(files.report, 'Chủ tịch xã nhận tiền để hợp thức hóa đất lấn chiếm.');
  writeFileSync(files.record, 'BIÊN BẢN ghi nội dung tố cáo trực tiếp (đã ký)');
  writeFileSync(files.person, JSON.stringify({ name: 'Đỗ Văn H', address: 'Hà Nội', contact: '0912 345 678' }));
  const env = { DATABASE_URL: undefined, TIPLINE_SERVER: server, TIPLINE_ORIGIN: app.config.origin, TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: key, TIPLINE_PASSPHRASE: 'correct horse' };
  const tipline = (...args: string[]) => tiplineCli(args, env);
  t.equal((await tipline('agency', 'pin', agency.id, agency.fingerprint)).code, 0);
  t.equal((await tipline('login')).code, 0);

  const help = await tipline('intake', '--help');
  t.match(help.stdout, /--channel <channel>/, '--help lists the options');

  const missing = await tipline('intake', '--file', files.report);
  t.not(missing.code, 0, 'the channel is required');
  t.match(missing.stderr, /--channel/);

  const r = await tipline('intake', '--channel', 'in_person', '--file', files.report, '--attach', files.record, '--identity-file', files.person, '--slip', files.slip, '--json');
  t.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { caseId: string; publicNumber: string; channel: string; slip: string; receipt?: string };
  t.equal(out.channel, 'in_person');
  t.equal(out.receipt, undefined, 'with --slip the receipt is on the slip only, not in the output');
  t.equal(statSync(files.slip).mode & 0o777, 0o600, 'the slip file is readable by its owner only');
  const slip = readFileSync(files.slip, 'utf8');
  t.match(slip, out.publicNumber);
  t.match(slip, app.config.origin, 'the site people follow the case on: the public origin');
  t.match(slip, `(${agency.slug})`, 'the agency by the slug its signed bundle names, beside the name the server gives');
  t.match(slip, 'Biên nhận tố cáo · Report receipt');
  const receipt = /[0-9A-Z]{5}(?:-[0-9A-Z]{5}){4}/.exec(slip)?.[0];
  t.ok(receipt, 'the receipt code is on the slip');

  const session = await openReceipt(receipt!, { server });
  t.equal((await session.status()).publicNumber, out.publicNumber, 'the slip\'s receipt follows the case');
  const { body } = await session.readCase();
  t.same(body.attachments.map((a) => a.name), ['bien-ban.txt'], 'with the signed record as its file');

  // The same person calls later: threatened, they ask for protection by phone (Art. 50(3)).
  const recordHelp = await tipline('protection', 'record', '--help');
  t.match(recordHelp.stdout, /--channel <channel>[\s\S]*--protected <text>[\s\S]*--reasons-file <file>/, 'record --help lists the options');
  const noReasons = await tipline('protection', 'record', out.publicNumber, '--channel', 'phone', '--protected', 'Đỗ Văn H', '--measures', 'Bảo vệ nơi ở');
  t.not(noReasons.code, 0, 'the reasons are required');
  t.match(noReasons.stderr, /--reasons/);
  const byPhone = await tipline('protection', 'record', out.publicNumber, '--channel', 'phone', '--protected', 'Đỗ Văn H', '--reasons', 'Bị dọa tối nay', '--measures', 'Bảo vệ nơi ở', '--json');
  t.equal(byPhone.code, 0, byPhone.stderr);
  const recorded = JSON.parse(byPhone.stdout) as { protectionRequestId: string; caseId: string; urgent: boolean; channel: string };
  t.same([recorded.caseId, recorded.urgent, recorded.channel], [out.caseId, true, 'phone'], 'an urgent request by phone on the case');
  const row = await database.db.selectFrom('protection_channels').select(['request_id', 'channel', 'record_signature']).executeTakeFirstOrThrow();
  t.same([row.request_id, row.channel], [recorded.protectionRequestId, 'phone']);
  t.equal(row.record_signature?.length, 64, 'the record is signed with the officer\'s key file');

  // The letter confirming it comes in (Art. 50(3)): the officer records it, and reads the request's history.
  const confirmHelp = await tipline('protection', 'confirm', '--help');
  t.match(confirmHelp.stdout, /written\s+confirmation[\s\S]*--record <text>[\s\S]*--record-file <file>/, 'confirm --help says what it records');
  t.notMatch(confirmHelp.stdout, /--ground/, 'a confirmation names no ground');
  t.match((await tipline('protection', 'end', '--help')).stdout, /--ground <ground>[\s\S]*breach/, 'end --help lists the grounds of Art. 54(2) and Law 136');
  const noRecord = await tipline('protection', 'confirm', recorded.protectionRequestId);
  t.not(noRecord.code, 0, 'the record is required');
  t.match(noRecord.stderr, /--record/);
  const confirmed = await tipline('protection', 'confirm', recorded.protectionRequestId, '--record', 'Đơn xác nhận của ông H, nhận trực tiếp');
  t.equal(confirmed.code, 0, confirmed.stderr);
  t.match(confirmed.stdout, /confirm_writing .*đã ký, bước 1 \/ signed, step 1/, 'signed, in both languages');
  const history = await tipline('protection', 'history', recorded.protectionRequestId);
  t.equal(history.code, 0, history.stderr);
  t.match(history.stdout, /ghi nhận bởi \/ recorded by/, 'the intake record checks out under the officer\'s key');
  t.match(history.stdout, /xác nhận bằng văn bản \/ confirmed in writing \d{4}-\d{2}-\d{2}/);
  t.match(history.stdout, /confirm_writing[\s\S]*signed/, 'the step, checked');
  const again = await tipline('protection', 'confirm', recorded.protectionRequestId, '--record', 'again');
  t.not(again.code, 0, 'confirmed once');
});
