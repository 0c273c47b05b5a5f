import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { consumeBootstrapCode } from '../../src/server/db/agencies.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { tiplineCli } from './in-process.js';

// `tipline bootstrap-code` issues the code for a further agency: written 0600 to the
// data directory (or printed), stored only as a hash, and replacing any unspent code.

async function tipline(dataDir: string, ...args: string[]) {
  const r = await tiplineCli(['bootstrap-code', ...args], { DATABASE_URL: undefined, TIPLINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

t.setTimeout(180_000);

t.test('a new code replaces the unspent one; only the newest opens', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-bootstrap-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');

  const written = await tipline(dataDir, '--json');
  t.equal(written.status, 0, written.stderr);
  const { file } = JSON.parse(written.stdout) as { file: string };
  t.equal(file, join(dataDir, 'bootstrap-code'));
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by the operator only');
  const first = readFileSync(file, 'utf8').trim();
  t.match(first, /^[A-Za-z0-9_-]{32}$/);

  const printed = await tipline(dataDir, '--print');
  t.equal(printed.status, 0, printed.stderr);
  const second = printed.stdout.trim();
  t.match(second, /^[A-Za-z0-9_-]{32}$/);
  t.not(second, first);
  t.equal(readFileSync(file, 'utf8').trim(), first, '--print leaves the file alone');

  const db = await connectDatabase({ databaseUrl: undefined, dataDir });
  try {
    const stored = await db.selectFrom('server_secrets').select('value').where('name', '=', 'bootstrap_code').execute();
    t.equal(stored.length, 1, 'one outstanding code');
    t.not(Buffer.from(stored[0]!.value).toString('utf8').includes(second), true, 'stored as a hash, never in clear');
    t.equal(await consumeBootstrapCode(db, first), false, 'the replaced code no longer works');
    t.equal(await consumeBootstrapCode(db, second), true, 'the newest code works');
    t.equal(await consumeBootstrapCode(db, second), false, 'once');
  } finally {
    await db.destroy();
  }
});

t.test('--help says where the code goes and what it replaces', async (t) => {
  const help = await tipline(join(tmpdir(), 'unused'), '--help');
  t.equal(help.status, 0);
  t.match(help.stdout, /replaces any\s+unspent code/);
  t.match(help.stdout, /mode 0600/);
});
