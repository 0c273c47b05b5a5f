import t from 'tap';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';

// End to end: the real server on a port, the real `tipline` command in a child process,
// through submit → status → reply → messages → download.

const run = promisify(execFile);

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
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args, '--server', address], {
      env: { ...process.env, ...env }, cwd: process.cwd(),
    });
    return stdout;
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
