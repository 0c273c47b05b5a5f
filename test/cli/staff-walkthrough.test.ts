import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { cliArgs } from '../helpers/cli.js';
import { DocShell } from './doc-shell-run.js';

// Runs every ```sh block of docs/STAFF.md, word for word, against a real server (port 0,
// embedded database in a scratch directory), then tampers with one audit row behind the
// trigger and checks that `audit verify --direct` names it. The blocks are read as bash
// reads them (test/cli/doc-shell.ts, which refuses any form it does not know) and the
// `tipline` commands run in this process; the server, like `npm start` in its own
// terminal, is a process of its own.

const repo = resolve(import.meta.dirname, '../..');
const docs = readFileSync(join(repo, 'docs/STAFF.md'), 'utf8');
// The embedded database: the direct audit check below opens its files.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL'));
const script = [...docs.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');

/** A port the system just handed out: the server's origin must name the port it listens on, since staff sign it. */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => ok(port));
    });
  });
}

async function startServer(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, cliArgs('serve'), {
    cwd,
    env: { ...baseEnv, PORT: String(port), TIPLINE_DATA_DIR: 'data', TIPLINE_POW_DIFFICULTY: '4', LOG_LEVEL: 'warn', TIPLINE_CHECK_RESPONSES: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((ok, fail) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += String(d);
      const m = /tipline listening on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) ok({ child, url: m[1]! });
    });
    child.on('exit', (code) => fail(new Error(`server exited ${code}: ${err}`)));
  });
}

t.setTimeout(590_000);

t.test('docs/STAFF.md runs word for word; a tampered audit row is found', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-walk-'));
  for (const entry of ['dist', 'src', 'migrations', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(join(repo, entry), join(dir, entry));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { child, url } = await startServer(dir);
  const shell = new DocShell(dir, { DATABASE_URL: undefined, TIPLINE_SERVER: url, TIPLINE_HOME: join(dir, 'home'), TIPLINE_DATA_DIR: 'data' });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  t.teardown(stop);

  const walk = await shell.run(script);
  t.equal(walk.status, 0, walk.status === 0 ? 'the walk-through exits 0' : `the walk-through failed:\n${walk.stderr.slice(-3000)}`);
  t.match(walk.stdout, /logged in as .* \(intake\)/);
  t.match(walk.stdout, /TL-\d{4}-\d{6}/, 'the case list and the opened case');
  t.match(walk.stdout, /who: Director of the district land office/, 'the case decrypted locally');
  t.match(walk.stdout, /message [0-9a-f-]{36} sent/, 'the reply was signed and accepted');
  t.match(walk.stdout, /approved; the request is now pending[\s\S]*approved; the request is now approved/);
  t.match(walk.stdout, /name: Nguyen Van A/, 'two custodians revealed the identity');
  t.match(walk.stdout, /conclude: now CONCLUDED/, 'the head of agency concluded the case alone');
  t.match(walk.stdout, /extend by 30 days \(complex\)  by [0-9a-f-]{36}  \[taken by /, 'the proposed extension was taken by the head');
  t.match(walk.stdout, /audit log intact: \d+ rows verified/);

  await stop();
  const clean = await shell.tipline(['audit', 'verify', '--direct']);
  t.equal(clean.code, 0, `direct verification passes on the untouched log\n${clean.stderr}`);

  const { PGlite } = await import('@electric-sql/pglite');
  const pg = await PGlite.create(join(dir, 'data'));
  await pg.exec('alter table audit_log disable trigger audit_log_no_change');
  const victim = (await pg.query<{ seq: string }>("select seq::text from audit_log where action = 'case.grant' limit 1")).rows[0]!.seq;
  await pg.exec(`update audit_log set detail = '{"recipient":"someone-else"}' where seq = ${victim}`);
  await pg.close();
  const broken = await shell.tipline(['audit', 'verify', '--direct']);
  t.equal(broken.code, 1, 'verification fails');
  t.match(broken.stderr, new RegExp(`broken at row ${victim} \\(hash_mismatch\\)`), 'and names the edited row');
});
