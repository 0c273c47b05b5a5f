import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { bytesFile, openReceipt, submitCase } from '../../src/client/denouncer.js';
import { HttpClient } from '../../src/client/http.js';
import { StaffClient, type Session } from '../../src/client/staff.js';
import { ATTACHMENT_CHUNK_SIZE, attachmentWriter, encryptKeyFile, loadBackend, toBase64Url } from '../../src/protocol/index.js';
import { safeFileName, saveAttachments } from '../../src/cli/staff/save-attachments.js';
import { createTestApp } from '../helpers/app.js';
import { createTestAgency } from '../helpers/fixtures.js';
import { tiplineCli } from './in-process.js';

// `tipline case show --save-attachments`: a real server on a port, a case submitted and
// followed up through the denouncer SDK, then the staff command run as a user would.

const passphrase = 'correct horse battery staple';

async function tipline(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await tiplineCli(args, env);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

t.test('case show --save-attachments writes every attachment, byte for byte, inside the directory', async (t) => {
  const { app, database } = await createTestApp(t);
  const server = await app.listen({ port: 0, host: '127.0.0.1' });
  const agency = await createTestAgency(database.db, { intake: 1 });
  const intake = agency.withRole('intake')[0]!;

  // Crosses chunk boundaries with a short last chunk; the reply's file is exactly two chunks.
  const evidence = randomBytes(ATTACHMENT_CHUNK_SIZE * 5 + 4321);
  const followUp = randomBytes(ATTACHMENT_CHUNK_SIZE * 2);
  const submitted = await submitCase({
    server, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: 'The permit office sells licences',
    attachments: [bytesFile('../../etc/passwd', evidence)],
  });
  const session = await openReceipt(submitted.receipt, { server });
  await session.reply('one more document', [bytesFile('ledger.xlsx', followUp)]);

  const work = await mkdtemp(join(tmpdir(), 'tipline-attach-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));
  const keyFile = join(work, 'intake.json');
  await writeFile(keyFile, await encryptKeyFile(intake.keys, passphrase, { staffId: intake.id }, { opslimit: 1, memlimit: 8192 }));
  // The server's public origin (createTestApp) differs from the URL it listens on: signed as --origin.
  const env = { ...process.env, TIPLINE_SERVER: server, TIPLINE_ORIGIN: app.config.origin, TIPLINE_HOME: join(work, 'home'), TIPLINE_PASSPHRASE: passphrase, TIPLINE_KEY: keyFile };
  // The agency's fingerprint as the invitation gives it: replies are checked against its bundle.
  const pin = await tipline(env, 'agency', 'pin', agency.id, agency.fingerprint);
  t.equal(pin.status, 0, `agency pinned\n${pin.stderr}`);
  const login = await tipline(env, 'login');
  t.equal(login.status, 0, `logged in\n${login.stderr}`);
  // Pinned as at enrolment: `case show` checks the case was sealed to an intake officer of the signed bundle.
  const pinned = await tipline(env, 'agency', 'pin', agency.id, agency.fingerprint);
  t.equal(pinned.status, 0, `agency pinned\n${pinned.stderr}`);

  const out = join(work, 'files');
  const shown = await tipline(env, 'case', 'show', submitted.caseId, '--save-attachments', out, '--json');
  t.equal(shown.status, 0, `case show exits 0\n${shown.stderr}`);
  const result = JSON.parse(shown.stdout) as { saved: { name: string; path: string; size: number }[] };
  t.same(result.saved.map((f) => f.name), ['etc_passwd', 'ledger.xlsx'], 'both files, the hostile name made safe');
  t.same((await readdir(out)).sort(), ['etc_passwd', 'ledger.xlsx'], 'nothing written anywhere else');
  t.same(await readFile(join(out, 'etc_passwd')), evidence, 'the case body\'s file is byte-identical');
  t.same(await readFile(join(out, 'ledger.xlsx')), followUp, 'the reply\'s file is byte-identical');

  // The second save names the case by the public number the denouncer was given.
  const again = await tipline(env, 'case', 'show', submitted.publicNumber, '--out', out);
  t.equal(again.status, 0, `a second save exits 0\n${again.stderr}`);
  t.match(again.stdout, /saved: .*etc_passwd \(2\)/, 'existing files are kept, the new copies de-duplicated');
  t.same(await readFile(join(out, 'ledger (2).xlsx')), followUp);
});

t.test('attachment names are reduced to one harmless path component', async (t) => {
  t.equal(safeFileName('../../etc/passwd'), 'etc_passwd');
  t.equal(safeFileName('..\\..\\boot.ini'), 'boot.ini');
  t.equal(safeFileName('..'), 'attachment');
  t.equal(safeFileName('report\u202Efdp.exe'), 'reportfdp.exe', 'a bidi override cannot disguise the extension');
  t.equal(safeFileName('a\u0000b\u001b[2Jc.txt'), 'ab[2Jc.txt', 'no control characters');
  t.equal(safeFileName('notes..txt'), 'notes.txt');
  t.equal(safeFileName(42), 'attachment', 'a name that is not text');
  t.ok(safeFileName('x'.repeat(1000) + '.pdf').endsWith('.pdf') && safeFileName('x'.repeat(1000)).length <= 180, 'long names are cut, keeping the extension');
});

t.test('a stream cut before its last chunk, or a wrong hash, fails and leaves no file', async (t) => {
  const be = await loadBackend();
  const ctx = { agencyId: crypto.randomUUID(), caseId: crypto.randomUUID() };
  const id = crypto.randomUUID();
  const plain = randomBytes(ATTACHMENT_CHUNK_SIZE * 3);
  const sealer = attachmentWriter(be, ctx, id, plain.length);
  const chunks: Uint8Array[] = [];
  for await (const c of sealer.seal([plain])) chunks.push(c);
  t.equal(chunks.length, 4, 'three whole chunks of file and one of padding');
  const ref = { id, name: 'evidence.bin', type: 'application/octet-stream', size: plain.length, hash: '', key: toBase64Url(sealer.fileKey) };
  const serving = (served: Uint8Array[]) => new StaffClient(
    new HttpClient({ baseUrl: 'http://tipline.test', fetch: async () => new Response(Buffer.concat(served)) }),
    { token: 't' } as Session,
  );
  const work = await mkdtemp(join(tmpdir(), 'tipline-attach-'));
  t.teardown(() => rm(work, { recursive: true, force: true }));

  const unlisted = { ...ref, size: undefined as unknown as number };
  await t.rejects(saveAttachments(serving(chunks.slice(0, 2)), ctx, [unlisted], work), { code: 'open_failed' }, 'two whole chunks, none marked last');
  await t.rejects(saveAttachments(serving([...chunks.slice(0, 3), chunks[3]!.subarray(0, 1000)]), ctx, [unlisted], work), { code: 'open_failed' }, 'the last chunk cut short');
  await t.rejects(saveAttachments(serving(chunks.slice(0, 3)), ctx, [ref], work), { code: 'open_failed' }, 'the padding chunk dropped');
  await t.rejects(saveAttachments(serving(chunks), ctx, [{ ...ref, size: ATTACHMENT_CHUNK_SIZE }], work), /number of chunks/, 'more chunks than the listed size');
  await t.rejects(saveAttachments(serving(chunks), ctx, [{ ...ref, hash: '00'.repeat(32) }], work), /hash/, 'a hash that does not match');
  t.same(await readdir(work), [], 'no partial file is left behind');
  const saved = await saveAttachments(serving(chunks), ctx, [{ ...ref, hash: undefined as unknown as string }], work);
  t.same(await readFile(saved[0]!.path), plain, 'without a listed hash the authenticated chunks still make the file');
});
