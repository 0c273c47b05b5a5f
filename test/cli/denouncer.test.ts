import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency, publishBundle } from '../helpers/fixtures.js';
import { generateStaffKeys, toBase64Url } from '../../src/protocol/index.js';
import { tiplineCli } from './in-process.js';

// End to end: the real server on a port, the real `tipline` command in a child process,
// through submit → status → reply → messages → download.

// The first test spawns a `tipline` process per step, seconds each on a loaded machine.
t.setTimeout(300_000);

t.test('a case submitted with the CLI is followed with its receipt', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 6 });
  const agency = await createTestAgency(database.db, { slug: 'thanh-tra', custodians: 1, threshold: 1 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const dir = await mkdtemp(join(tmpdir(), 'tipline-cli-'));
  const report = join(dir, 'report.txt');
  const evidence = join(dir, 'evidence.bin');
  const bytes = randomBytes(200_000);
  await writeFile(report, 'Procurement at the district hospital was rigged.');
  await writeFile(evidence, bytes);
  await writeFile(join(dir, 'identity.json'), JSON.stringify({ name: 'Trần Thị B', address: 'Huế', contact: 'b@example.vn' }));

  const tipline = async (args: string[], env: Record<string, string> = {}) => {
    const r = await tiplineCli([...args, '--server', address], env);
    if (r.code !== 0) throw Object.assign(new Error(`tipline ${args[0]} exited ${r.code}: ${r.stderr}`), { code: r.code, stderr: r.stderr });
    return r.stdout;
  };

  const human = await tipline(['submit', 'thanh-tra', '--file', report, '--fingerprint', agency.fingerprint]);
  t.match(human, /YOUR RECEIPT:\s+[0-9A-Z]{5}(-[0-9A-Z]{5}){4}/, 'the receipt is shown prominently');
  t.match(human, /ONLY way back/);

  const submitted = JSON.parse(await tipline([
    'submit', 'thanh-tra', '--file', report, '--attach', evidence, '--identity-file', join(dir, 'identity.json'),
    '--fingerprint', agency.fingerprint, '--json',
  ]));
  t.match(submitted.publicNumber, /^TL-\d{4}-000002$/);
  const env = { TIPLINE_RECEIPT: submitted.receipt };

  const status = JSON.parse(await tipline(['status', '--json'], env));
  t.match(status, { publicNumber: submitted.publicNumber, status: 'RECEIVED', hasIdentity: true });

  const receiptFile = join(dir, 'receipt.txt');
  await writeFile(receiptFile, `${submitted.receipt}\n`);
  const replyText = join(dir, 'reply.txt');
  await writeFile(replyText, 'I have more documents.');
  await tipline(['reply', '--receipt-file', receiptFile, '--file', replyText]);
  const messages = JSON.parse(await tipline(['messages', '--json'], env));
  t.equal(messages.length, 1);
  t.equal(messages[0].text, 'I have more documents.');

  const caseBody = await tipline(['download', '--help']);
  t.match(caseBody, /attachment-id/);
  const attachmentId = (await database.db.selectFrom('attachments').select('id').executeTakeFirstOrThrow()).id;
  const out = join(dir, 'back.bin');
  await tipline(['download', attachmentId, '--out', out], env);
  t.same(await readFile(out), bytes, 'the file comes back as it was sent');

  const stranger = await tipline(['status'], { TIPLINE_RECEIPT: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA' }).catch((e) => e);
  t.match(String(stranger.stderr), /typo|no case/);
  await t.rejects(tipline(['submit', 'thanh-tra', '--file', report, '--fingerprint', 'AAAA BBBB']), 'a wrong pin refuses');
  t.equal((await database.db.selectFrom('cases').select('id').execute()).length, 2);
});

t.test('rollback: a pinned CLI that saw serial 2 refuses serial 1 after the newest bundle row is deleted', async (t) => {
  const { app, database } = await createTestApp(t);
  const { db } = database;
  const agency = await createTestAgency(db, { slug: 'thanh-tra', custodians: 1, threshold: 1 });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const dir = await mkdtemp(join(tmpdir(), 'tipline-cli-'));
  const trustFile = join(dir, 'pins.json');
  const report = join(dir, 'report.txt');
  await writeFile(report, 'The tender was awarded before it was published.');
  const tipline = (args: string[]) => tiplineCli([...args, '--trust-file', trustFile, ...(args[0] === 'submit' ? ['--server', address] : [])]);

  // Serial 2: the first intake officer has left; a new one replaces them.
  const departed = agency.withRole('intake')[0]!;
  const successor = { id: randomUUID(), keys: generateStaffKeys(agency.be) };
  await db.insertInto('staff').values({
    id: successor.id, agency_id: agency.id, display_name: 'intake 2', roles: ['intake'], status: 'active',
    sign_public_key: successor.keys.signPublicKey, box_public_key: successor.keys.boxPublicKey,
  }).execute();
  const staff = [
    ...agency.bundle.staff.filter((s) => s.staffId !== departed.id),
    { staffId: successor.id, displayName: 'intake 2', roles: ['intake' as const], signPublicKey: toBase64Url(successor.keys.signPublicKey), boxPublicKey: toBase64Url(successor.keys.boxPublicKey) },
  ];
  await publishBundle(db, agency.be, { ...agency.bundle, serial: 2, staff }, agency.keys);

  t.equal((await tipline(['trust', 'add', 'thanh-tra', agency.fingerprint])).code, 0);
  const first = await tipline(['submit', 'thanh-tra', '--file', report]);
  t.equal(first.code, 0, first.stderr);
  t.same(JSON.parse(await readFile(trustFile, 'utf8')), { 'thanh-tra': { fingerprint: agency.fingerprint, serial: 2 } },
    'the serial of the verified bundle is remembered beside the pin');
  const sealedTo = (await db.selectFrom('case_keys').select('staff_id').where('recipient', '=', 'staff').execute()).map((k) => k.staff_id);
  t.same(sealedTo, [successor.id], 'the first case is sealed to the successor only');

  // The attack: whoever writes to the database deletes the newest bundle, so the
  // server offers serial 1 again, still validly signed, listing the departed officer.
  await db.deleteFrom('key_bundles').where('agency_id', '=', agency.id).where('serial', '=', 2).execute();
  const listed = (await app.inject({ method: 'GET', url: '/v1/agencies' })).json() as { agencies: { slug: string; bundle: { serial: number } }[] };
  t.equal(listed.agencies.find((a) => a.slug === 'thanh-tra')?.bundle.serial, 1, 'the server now serves the older bundle');

  const refused = await tipline(['submit', 'thanh-tra', '--file', report]);
  t.not(refused.code, 0, 'the submission is refused');
  t.match(refused.stderr, /bundle_rollback/);
  t.match(refused.stderr, /older key list .* than serial 2/);
  t.notMatch(refused.stderr, /sealing/, 'nothing was sealed');
  t.equal((await db.selectFrom('cases').select('id').execute()).length, 1, 'no second case reached the server');
  t.same(JSON.parse(await readFile(trustFile, 'utf8'))['thanh-tra'].serial, 2, 'the remembered serial is not lowered');

  // The older file form (slug → fingerprint) is read, and rewritten with the serial.
  await writeFile(trustFile, JSON.stringify({ 'thanh-tra': agency.fingerprint }));
  const legacy = await tipline(['submit', 'thanh-tra', '--file', report]);
  t.equal(legacy.code, 0, legacy.stderr);
  t.same(JSON.parse(await readFile(trustFile, 'utf8')), { 'thanh-tra': { fingerprint: agency.fingerprint, serial: 1 } });
});
