import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { backupChannelPath } from '../../src/server/db/backup-embedded.js';
import { backupPayload, BackupWriter, checkBackupFile, type BackupHeader } from '../../src/server/db/backup-file.js';
import { connectDatabase, type Database } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { migrationLevel } from '../../src/server/db/restore-credentials.js';
import { createTestDatabase, testServerUrl } from '../helpers/db.js';
import { pgliteTemplate } from '../helpers/templates.js';
import { tiplineCli } from './in-process.js';

// What `tipline restore` refuses, before it touches anything, and what a restore that
// fails half-way leaves behind: the target as it was. On the database the run uses.

const dir = mkdtempSync(join(tmpdir(), 'tipline-restore-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

interface Place { env: Record<string, string | undefined>; open(): Promise<Database>; close(): Promise<void> }

/** A migrated database holding a marker row, as the command line reaches it. */
async function place(t: Test, name: string): Promise<Place> {
  if (testServerUrl) {
    const database = await createTestDatabase();
    const url = database.url!;
    await mark(database.db);
    let open: Database | undefined = database.db;
    t.teardown(async () => {
      await open?.destroy();
      const admin = new pg.Client({ connectionString: testServerUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
      await admin.end();
    });
    return {
      env: { DATABASE_URL: url, TIPLINE_DATA_DIR: join(dir, 'unused') },
      open: async () => (open ??= await connectDatabase({ databaseUrl: url, dataDir: 'unused' })),
      close: async () => { await open?.destroy(); open = undefined; },
    };
  }
  const dataDir = join(dir, name);
  let open: Database | undefined = await connectDatabase({ dataDir, seed: pgliteTemplate() });
  await migrateToLatest(open);
  await mark(open);
  t.teardown(async () => { await open?.destroy(); });
  return {
    env: { DATABASE_URL: undefined, TIPLINE_DATA_DIR: dataDir },
    open: async () => (open ??= await connectDatabase({ dataDir })),
    close: async () => { await open?.destroy(); open = undefined; },
  };
}

const mark = (db: Database) => db.insertInto('server_secrets').values({ name: 'marker', value: new Uint8Array([1, 2, 3]) }).execute();
const marked = async (db: Database) => (await db.selectFrom('server_secrets').select('name').where('name', '=', 'marker').executeTakeFirst()) !== undefined;

/** The same payload under another header: what a restore must catch after the check. */
async function rewritten(from: string, to: string, change: Partial<BackupHeader>): Promise<string> {
  const checked = checkBackupFile(from);
  const w = new BackupWriter(to, { ...checked.header, ...change } as BackupHeader);
  for await (const piece of backupPayload(from, checked)) w.write(piece);
  w.finish();
  return to;
}

t.test('backup and restore refuse what they must, and a failed restore leaves the target as it was', async (t) => {
  const help = await tiplineCli(['restore', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /--force/);
  t.match((await tiplineCli(['backup', '--help'])).stdout, /Encrypt it at rest/);

  const source = await place(t, 'source');
  // With no server on an embedded directory, the command opens it itself.
  await source.close();
  const file = join(dir, 'a.backup');
  const made = await tiplineCli(['backup', '--out', file], source.env);
  t.equal(made.code, 0, made.stderr);
  t.match(made.stdout, /đã sao lưu.*backed up/s);
  const again = await tiplineCli(['backup', '--out', file], source.env);
  t.not(again.code, 0, 'never over an existing backup');
  t.match(again.stderr, /already exists/);
  if (!testServerUrl) {
    // Beside the directory, in a parent others may write to: a planted "socket" is not asked.
    const planted = backupChannelPath(source.env['TIPLINE_DATA_DIR']!);
    writeFileSync(planted, 'not a socket', { mode: 0o600 });
    const fooled = await tiplineCli(['backup', '--out', join(dir, 'planted.backup')], source.env);
    t.not(fooled.code, 0);
    t.match(fooled.stderr, /not the server's control socket/, 'a planted control socket is refused');
    rmSync(planted);
  }

  const refusal = async (f: string, env = source.env, ...more: string[]) => {
    const r = await tiplineCli(['restore', f, ...more], env);
    t.not(r.code, 0, `${f}: refused`);
    return r.stderr;
  };
  t.match(await refusal(file), /không trống.*not empty.*--force/s, 'a target with data needs --force');

  const damaged = join(dir, 'damaged.backup');
  copyFileSync(file, damaged);
  const bytes = readFileSync(damaged);
  bytes[Math.floor(bytes.length / 2)]! ^= 1;
  writeFileSync(damaged, bytes);
  t.match(await refusal(damaged, source.env, '--force'), /digest does not match/, 'a changed byte');
  const cut = join(dir, 'cut.backup');
  copyFileSync(file, cut);
  truncateSync(cut, bytes.length - 100);
  t.match(await refusal(cut, source.env, '--force'), /damaged or cut short/, 'a cut file');
  writeFileSync(join(dir, 'other.backup'), randomBytes(4096));
  t.match(await refusal(join(dir, 'other.backup'), source.env, '--force'), /not a tipline backup/, 'not a backup');
  const newer = await rewritten(file, join(dir, 'newer.backup'), { migration: '9999_from_the_future' });
  t.match(await refusal(newer, source.env, '--force'), /9999_from_the_future.*does not know/, 'a schema this build does not know');
  const otherEngine = await rewritten(file, join(dir, 'engine.backup'), { engine: testServerUrl ? 'embedded' : 'postgres' });
  t.match(await refusal(otherEngine, source.env, '--force'), /backs up a .* database and the target is/, 'the other engine');

  // A file whose header names an older schema than its payload holds passes the check, and
  // the restore fails at its end: after the data was replayed, before it is kept.
  const target = await place(t, 'target');
  const lying = await rewritten(file, join(dir, 'lying.backup'), { migration: '0027_agency_key_transitions' });
  if (testServerUrl) t.match(await refusal(lying, target.env, '--force'), /other connection/, 'not while something else is connected');
  await target.close();
  t.match(await refusal(lying, target.env, '--force'), /khôi phục thất bại.*restore failed, the target is as it was/s);
  const db = await target.open();
  t.ok(await marked(db), 'the target still holds its own rows');
  t.same(readdirSync(dir).filter((n) => /\.(restoring|replaced)-/.test(n)), [], 'and nothing half-restored is left beside it');
  t.equal(await migrationLevel(db), checkBackupFile(file).header.migration, 'and its schema');
  await target.close();

  const forced = await tiplineCli(['restore', file, '--force'], target.env);
  t.equal(forced.code, 0, forced.stderr);
  const restored = await target.open();
  t.notOk(await marked(restored), 'with --force the target is replaced');
  t.equal((await restored.selectFrom('server_secrets').select('name').execute()).length, 0, 'and holds no server secret from before');
});
