import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import t, { type Test } from 'tap';
import { connectDatabase } from '../../src/server/db/connect.js';
import { DataDirectoryBusyError, LOCK_FILE } from '../../src/server/db/data-dir.js';

// The embedded data directory holds every sealed case: one process opens it at a time
// (a second PGlite on it would write over the first's pages), and no other account on
// the machine can read it.

t.setTimeout(900_000);

function modes(dir: string): { path: string; mode: number; isDir: boolean }[] {
  const out = [{ path: dir, mode: statSync(dir).mode & 0o777, isDir: true }];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modes(path));
    else if (entry.isFile()) out.push({ path, mode: statSync(path).mode & 0o777, isDir: false });
  }
  return out;
}

function assertPrivate(t: Test, dir: string, when: string) {
  const open = modes(dir).filter((m) => (m.isDir ? m.mode !== 0o700 : m.mode !== 0o600));
  t.same(open.map((m) => `${m.path} ${m.mode.toString(8)}`), [], `${when}: the directory is 0700 and every file 0600`);
}

t.test('a second process on one data directory is refused; the first keeps it', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tipline-datadir-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'data');
  const first = await connectDatabase({ dataDir: dir });
  await sql`create table kept (n int)`.execute(first);
  assertPrivate(t, dir, 'after opening');

  const second = await connectDatabase({ dataDir: dir }).then(() => undefined, (e: unknown) => e);
  t.type(second, DataDirectoryBusyError, 'the second open is refused');
  t.match((second as Error).message, new RegExp(`in use by process ${process.pid}`), 'the message names the owner');
  t.match((second as Error).message, /DATABASE_URL/, 'and says what to do instead');
  t.ok(existsSync(join(dir, LOCK_FILE)), 'the refusal left the lock in place');
  await sql`insert into kept values (1)`.execute(first);

  await first.destroy();
  t.notOk(existsSync(join(dir, LOCK_FILE)), 'closing releases the lock');
  assertPrivate(t, dir, 'after closing');
  const again = await connectDatabase({ dataDir: dir });
  const rows = await sql<{ n: number }>`select n from kept`.execute(again);
  t.same(rows.rows.map((r) => r.n), [1], 'reopened after the owner closed, with its data');
  await again.destroy();

  // The same directory, as a crash or another process would leave its lock.
  const lock = join(dir, LOCK_FILE);
  writeFileSync(lock, `${process.ppid}\n`);
  const busy = await connectDatabase({ dataDir: dir }).then((db) => db.destroy().then(() => undefined), (e: unknown) => e);
  t.type(busy, DataDirectoryBusyError, 'a lock held by another live process keeps the directory');
  t.match((busy as Error).message, new RegExp(`process ${process.ppid}`), 'named in the message');

  const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
  writeFileSync(lock, `${dead}\n`);
  writeFileSync(join(dir, 'stray'), 'left world-readable by an older version', { mode: 0o666 });
  spawnSync('chmod', ['-R', 'a+rwX', dir]);
  t.ok(modes(dir).some((m) => m.mode & 0o007), 'made world-readable, as the old code left it');
  const taken = await connectDatabase({ dataDir: dir });
  t.pass(`a stale lock of the dead process ${dead} is taken over`);
  assertPrivate(t, dir, 'reopened over a world-readable directory');
  await taken.destroy();
  t.notOk(existsSync(lock), 'and released');

  writeFileSync(lock, 'not a pid');
  const garbled = await connectDatabase({ dataDir: dir });
  t.pass('a half-written lock is stale too');
  await garbled.destroy();
});

