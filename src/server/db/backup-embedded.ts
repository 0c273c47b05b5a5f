import { chmodSync, existsSync, lstatSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import { backupPayload, BackupFileError, type CheckedBackup } from './backup-file.js';
import { LOCK_FILE, lockDataDirectory, makePrivate, withPrivateUmask } from './data-dir.js';
import { forgetCredentials, migrationLevel } from './restore-credentials.js';
import type { DB } from './schema.js';

// The embedded database's backup while the server runs. The server holds the data
// directory (data-dir.ts): a second PGlite on it would write over the server's pages,
// and a copy of the files taken from outside could catch a page half-written. So the
// process that holds the directory makes the snapshot itself, and answers a backup
// request on a local control channel only the directory's owner can reach: a unix
// socket beside the directory, `<dir>.backup.sock`, created 0600 (it cannot live inside:
// PGlite's dump of the directory stops at a socket). Connecting to a unix socket needs
// write permission on it, so no other account can ask.
//
// The snapshot: inside PGlite's exclusive transaction lock (no other statement runs, no
// transaction is half done), a CHECKPOINT, then PGlite's own dump of the directory
// (gzipped tar). Requests wait the snapshot's length, then go on.
//
// Channel protocol: the client sends "tipline-backup 1\n"; the server answers one JSON
// line, {"ok":true,"migration":…,"bytes":N} followed by N bytes, or {"ok":false,"error":…}.

const REQUEST = 'tipline-backup 1\n';
/** Files of ours in the data directory that a restored copy must not carry. */
const NOT_RESTORED = [LOCK_FILE, 'bootstrap-code'];

export interface EmbeddedSnapshot { migration: string; payload: Uint8Array }

export const backupChannelPath = (dir: string): string => `${resolve(dir)}.backup.sock`;

/** The consistent snapshot of an open embedded database (see above). */
export async function snapshotEmbedded(db: Kysely<DB>, pglite: PGlite): Promise<EmbeddedSnapshot> {
  const migration = await migrationLevel(db);
  if (!migration) throw new BackupFileError('the database has no schema yet: nothing to back up');
  const blob = await pglite.transaction(async (tx) => {
    await tx.exec('checkpoint');
    return pglite.dumpDataDir('gzip');
  });
  return { migration, payload: new Uint8Array(await blob.arrayBuffer()) };
}

/** Listens on the directory's control socket; answers backup requests with `snapshot()`. */
export async function openBackupChannel(dir: string, snapshot: () => Promise<EmbeddedSnapshot>): Promise<Server | null> {
  const path = backupChannelPath(dir);
  // The caller holds the directory's lock, so a socket file left here is a dead server's.
  rmSync(path, { force: true });
  const server = createServer((socket) => {
    let asked = '';
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      asked += chunk.toString('latin1');
      if (!asked.includes('\n')) {
        if (asked.length > REQUEST.length) socket.destroy();
        return;
      }
      if (asked !== REQUEST) return void socket.end(`${JSON.stringify({ ok: false, error: 'unknown request' })}\n`);
      snapshot().then(
        (s) => {
          socket.write(`${JSON.stringify({ ok: true, migration: s.migration, bytes: s.payload.length })}\n`);
          socket.end(s.payload);
        },
        (e: unknown) => socket.end(`${JSON.stringify({ ok: false, error: (e as Error).message })}\n`),
      );
    });
  });
  const listening = await withPrivateUmask(() => new Promise<boolean>((done) => {
    server.once('error', () => done(false));
    // A path too long for a socket is refused, synchronously or not: the server runs without the channel.
    try {
      server.listen(path, () => done(true));
    } catch {
      done(false);
    }
  }));
  if (!listening) return null;
  chmodSync(path, 0o600);
  server.unref();
  return server;
}

export async function closeBackupChannel(dir: string, server: Server | null): Promise<void> {
  if (!server) return;
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(backupChannelPath(dir), { force: true });
}

/**
 * Asks the process holding `dir` for a snapshot. Null when nothing answers (no server
 * runs on it: the caller opens the directory itself). `onBytes` reports the transfer.
 */
export function requestSnapshot(dir: string, onBytes?: (done: number, total: number) => void): Promise<EmbeddedSnapshot | null> {
  const path = backupChannelPath(dir);
  if (!existsSync(path)) return Promise.resolve(null);
  // The socket sits in the directory's parent, which may be shared: answer only from a
  // socket of our own account that no one else can reach, never from a planted one.
  const s = lstatSync(path);
  if (!s.isSocket() || s.uid !== process.getuid?.() || (s.mode & 0o077) !== 0) {
    return Promise.reject(new BackupFileError(`${path} is not the server's control socket (not a socket, not ours, or open to others): nothing read`));
  }
  return new Promise((done, fail) => {
    const socket = createConnection(path);
    let head: Buffer = Buffer.alloc(0);
    let answer: { migration: string; bytes: number } | undefined;
    let payload: Buffer | undefined;
    let got = 0;
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' || e.code === 'ENOENT' ? done(null) : fail(e)));
    socket.on('data', (chunk: Buffer) => {
      if (!answer) {
        head = Buffer.concat([head, chunk]);
        const nl = head.indexOf(10);
        if (nl < 0) return;
        const reply = JSON.parse(head.subarray(0, nl).toString('utf8')) as { ok: boolean; error?: string; migration?: string; bytes?: number };
        if (!reply.ok || typeof reply.bytes !== 'number' || typeof reply.migration !== 'string') {
          socket.destroy();
          return fail(new BackupFileError(`the server refused the backup: ${reply.error ?? 'no reason given'}`));
        }
        answer = { migration: reply.migration, bytes: reply.bytes };
        payload = Buffer.alloc(reply.bytes);
        chunk = head.subarray(nl + 1);
      }
      chunk.copy(payload!, got);
      got += chunk.length;
      onBytes?.(got, answer.bytes);
    });
    socket.on('end', () => {
      if (!answer || got !== answer.bytes) return fail(new BackupFileError('the server stopped in the middle of the backup'));
      done({ migration: answer.migration, payload: payload! });
    });
  });
}

export const isEmptyDirectory = (dir: string): boolean => !existsSync(dir) || readdirSync(dir).length === 0;

/**
 * Restores a checked embedded backup into `dir`. The copy is built in a sibling
 * directory, checked (its schema at the file's migration) and stripped of every live
 * credential (restore-credentials.ts), and only then swapped in by two renames: until
 * the first, `dir` is untouched; a failure between them puts it back.
 */
export async function restoreEmbedded(dir: string, file: string, checked: CheckedBackup): Promise<void> {
  const target = resolve(dir);
  const release = existsSync(target) ? lockDataDirectory(target) : () => {};
  const tag = randomBytes(4).toString('hex');
  const staging = join(dirname(target), `.${basename(target)}.restoring-${tag}`);
  try {
    const pieces: Uint8Array<ArrayBuffer>[] = [];
    for await (const piece of backupPayload(file, checked)) pieces.push(new Uint8Array(piece));
    const { PGlite } = await import('@electric-sql/pglite');
    makePrivate(staging);
    const pglite = await withPrivateUmask(() => PGlite.create(staging, { loadDataDir: new Blob(pieces) }));
    const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
    try {
      const level = await migrationLevel(db);
      if (level !== checked.header.migration) throw new BackupFileError(`${file} holds schema ${String(level)}, not the ${checked.header.migration} its header names`);
      await forgetCredentials(db);
    } finally {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    }
    for (const name of NOT_RESTORED) rmSync(join(staging, name), { force: true });
    makePrivate(staging);
    swapIn(staging, target, tag);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  } finally {
    release();
  }
}

function swapIn(staging: string, target: string, tag: string): void {
  if (!existsSync(target)) return renameSync(staging, target);
  const replaced = join(dirname(target), `.${basename(target)}.replaced-${tag}`);
  renameSync(target, replaced);
  try {
    renameSync(staging, target);
  } catch (e) {
    renameSync(replaced, target);
    throw e;
  }
  // The lock file went with the replaced directory; nothing of it is needed any more.
  try { unlinkSync(join(replaced, LOCK_FILE)); } catch { /* released already */ }
  rmSync(replaced, { recursive: true, force: true });
}
