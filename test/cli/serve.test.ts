import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { HttpClient } from '../../src/client/http.js';
import { enrol, login } from '../../src/client/staff.js';
import { AuditVerifier } from '../../src/protocol/audit-verify.js';
import { generateAgencyKeys, loadBackend, toBase64Url } from '../../src/protocol/index.js';
import { listAudit } from '../../src/server/db/audit.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { LOCK_FILE } from '../../src/server/db/data-dir.js';
import { cliArgs } from '../helpers/cli.js';

// One real `tipline serve` (a child process, PORT=0, an embedded database in a scratch
// directory). With the port left to the system, the origin staff sign is the port it
// chose: an agency's admin enrols and logs in by the URL printed at start. And while it
// runs, the operator commands that open the same data directory refuse, with the
// owner's pid and what to do instead, leaving the server serving and its data whole.

t.setTimeout(300_000);

// The embedded database, and no public origin: the server derives its own.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'TIPLINE_ORIGIN', 'TIPLINE_SERVER'].includes(k)));
const root = mkdtempSync(join(tmpdir(), 'tipline-serve-'));
const dataDir = join(root, 'data');
const childEnv = { ...env, TIPLINE_DATA_DIR: dataDir, TIPLINE_HOME: join(root, 'home'), LOG_LEVEL: 'warn' };

interface Ran { code: number | null; stdout: string; stderr: string }

function tipline(...args: string[]): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn(process.execPath, cliArgs(...args), { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function startServer(): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, cliArgs('serve'), {
    env: { ...childEnv, HOST: '127.0.0.1', PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((ok, fail) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += String(d);
      const m = /tipline listening on (http:\/\/127\.0\.0\.1:\d+) /.exec(err);
      if (m) ok({ child, url: m[1]!, exited });
    });
    void exited.then((code) => fail(new Error(`server exited ${code}: ${err}`)));
  });
}

const server = await startServer();
t.teardown(async () => {
  if (server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  rmSync(root, { recursive: true, force: true });
});
const http = new HttpClient({ baseUrl: server.url });
const slug = 'thanh-tra-thu-nghiem';
let admin: { staffId: string; keys: Awaited<ReturnType<typeof enrol>> };

t.test('PORT=0: the origin staff sign is the port the system chose', async (t) => {
  t.not(new URL(server.url).port, '0', `listening on ${server.url}`);
  const challenge = await http.post<{ origin: string }>('/v1/staff/challenge');
  t.equal(challenge.origin, server.url, 'the server checks logins against its real address');
  const code = readFileSync(join(dataDir, 'bootstrap-code'), 'utf8').trim();
  const agency = generateAgencyKeys(await loadBackend());
  const made = await http.post<{ admin: { staffId: string; enrolmentCode: string } }>('/v1/admin/agencies', {
    bootstrapCode: code, slug, name: 'Thanh tra thử nghiệm', signingPublicKey: toBase64Url(agency.publicKey), admin: { displayName: 'Quản trị' },
  });
  // enrol and login sign the origin of the URL they were given, as every client does.
  const keys = await enrol(http, server.url, made.admin.staffId, made.admin.enrolmentCode);
  const session = await login(http, made.admin.staffId, keys);
  t.equal(session.staffId, made.admin.staffId, 'an admin enrols and logs in by the printed URL');
  admin = { staffId: made.admin.staffId, keys };
});

t.test('commands on the same data directory refuse while the server runs; it keeps serving', async (t) => {
  const lock = readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim();
  t.equal(lock, String(server.child.pid), 'the server holds the lock');
  const [issued, verified] = await Promise.all([tipline('bootstrap-code', '--print'), tipline('audit', 'verify', '--direct')]);
  for (const [name, ran] of [['bootstrap-code', issued], ['audit verify --direct', verified]] as const) {
    t.equal(ran.code, 2, `${name} exits 2`);
    t.match(ran.stderr, new RegExp(`data directory ${dataDir} is in use by process ${server.child.pid}`), `${name} names the directory and its owner`);
    t.match(ran.stderr, /Stop that process first/, `${name} says what to do`);
    t.equal(ran.stdout, '', `${name} prints no result`);
  }
  t.equal(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim(), lock, 'the lock is still the server’s');
  t.equal((await fetch(`${server.url}/healthz`)).status, 200, '/healthz answers 200');
  t.equal((await fetch(`${server.url}/readyz`)).status, 200, 'and the database still answers the server');
  const again = await login(http, admin.staffId, admin.keys);
  t.equal(again.staffId, admin.staffId, 'the admin logs in again: sessions are written as before');
});

t.test('after the server stops its data is whole and the directory opens', async (t) => {
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0, 'the server stops cleanly on SIGTERM');
  const db = await connectDatabase({ dataDir });
  try {
    const agencies = await db.selectFrom('agencies').select('slug').execute();
    t.same(agencies.map((a) => a.slug), [slug], 'the agency created while it ran');
    const rows = await listAudit(db, { agencyId: 'all', limit: 100 });
    t.same(rows.map((r) => r.action), ['agency.create', 'staff.enrol', 'staff.login', 'staff.login'], 'every action audited, nothing else');
    const v = new AuditVerifier(await loadBackend());
    for (const r of rows) v.push(r);
    t.equal(v.finish(), null, 'and the chain verifies');
  } finally {
    await db.destroy();
  }
});
