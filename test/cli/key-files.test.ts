import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { SecretFileExistsError, writeSecretFile } from '../../src/cli/common/key-files.js';
import { cliArgs } from '../helpers/cli.js';

// No command overwrites a key file: the agency key file may be the only copy of the
// agency's signing key. A failed `tipline demo` followed by a second one used to replace
// keys/demo/agency.json and keys/demo/passphrase, and the agency was lost.

t.setTimeout(600_000);

function tipline(cwd: string, env: Record<string, string>, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, cliArgs(...args), { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

t.test('writeSecretFile creates 0600 files whole and never replaces one, even racing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-keys-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nested', 'agency.json');
  await writeSecretFile(file, 'first');
  t.equal(statSync(file).mode & 0o777, 0o600, 'owner-only');
  t.equal(statSync(join(dir, 'nested')).mode & 0o777, 0o700, 'in an owner-only directory');
  const refused = await writeSecretFile(file, 'second').then(() => undefined, (e: unknown) => e);
  t.ok(refused instanceof SecretFileExistsError, 'a second write is refused');
  t.match((refused as Error).message, /already exists; refusing to overwrite/, 'saying why');
  t.equal(readFileSync(file, 'utf8'), 'first', 'the first content is kept');

  const race = join(dir, 'race.json');
  const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => writeSecretFile(race, `writer ${i}`)));
  t.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, 'of eight racing writers exactly one wins');
  const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
  t.equal(readFileSync(race, 'utf8'), `writer ${winner}`, "and the file holds the winner's whole content");
  t.same(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left');
  t.same(readdirSync(join(dir, 'nested')).filter((f) => f.endsWith('.tmp')), [], 'none in the nested directory either');
});

t.test('a second demo, after a failed one, refuses before asking the server anything', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-demo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'bootstrap code refused' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(join(dir, 'code'), 'a-spent-bootstrap-code\n');
  const args = ['demo', '--server', url, '--dir', 'keys/demo', '--bootstrap-code-file', 'code'];

  const failed = await tipline(dir, {}, ...args);
  t.not(failed.status, 0, 'the first run fails (the server refuses the bootstrap code)');
  t.ok(requests.length > 0, 'after asking the server');
  const agencyKey = readFileSync(join(dir, 'keys/demo/agency.json'), 'utf8');
  const passphrase = readFileSync(join(dir, 'keys/demo/passphrase'), 'utf8');
  t.equal(statSync(join(dir, 'keys/demo/agency.json')).mode & 0o777, 0o600, 'the agency key file it kept is 0600');

  requests.length = 0;
  const second = await tipline(dir, {}, ...args);
  t.not(second.status, 0, 'the second run fails');
  t.match(second.stderr, /keys\/demo already holds a demo/, 'saying the directory holds a demo');
  t.match(second.stderr, /--dir/, 'and what to do instead');
  t.same(requests, [], 'without a single request to the server');
  t.equal(readFileSync(join(dir, 'keys/demo/agency.json'), 'utf8'), agencyKey, 'agency.json is untouched');
  t.equal(readFileSync(join(dir, 'keys/demo/passphrase'), 'utf8'), passphrase, 'the passphrase is untouched');
});

t.test('keys new refuses an existing --out, before asking for a passphrase', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-keys-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'agency.json'), 'the only copy');
  const res = await tipline(dir, { TIPLINE_PASSPHRASE: 'correct horse battery' }, 'keys', 'new', '--agency', '--out', 'agency.json');
  t.not(res.status, 0, 'refused');
  t.match(res.stderr, /agency\.json already exists; refusing to overwrite/, 'with a clear message');
  t.equal(readFileSync(join(dir, 'agency.json'), 'utf8'), 'the only copy', 'the file is untouched');
  const made = await tipline(dir, { TIPLINE_PASSPHRASE: 'correct horse battery' }, 'keys', 'new', '--agency', '--out', 'fresh.json');
  t.equal(made.status, 0, made.stderr);
  t.equal(statSync(join(dir, 'fresh.json')).mode & 0o777, 0o600, 'a new key file is 0600');
});
