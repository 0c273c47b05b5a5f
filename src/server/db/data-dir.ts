import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// The embedded database's data directory: one process at a time, private to its owner.
// Two PGlite instances on one directory (a running server and `bootstrap-code`, or
// `audit verify --direct`) each keep their own buffers and write over each other's
// pages; the second must refuse before it opens anything. And the files hold every
// sealed case: no other account on the machine may read them.

export const LOCK_FILE = 'tipline.lock';

export class DataDirectoryBusyError extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(
      `the data directory ${dir} is in use by process ${pid} (a running \`tipline serve\`?). ` +
        'Stop that process first, or point this command at the server with DATABASE_URL. ' +
        `If no such process exists, remove ${join(dir, LOCK_FILE)}.`,
    );
    this.name = 'DataDirectoryBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(lock: string): number | undefined {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the directory's lock with an exclusive create holding this process's pid, and
 * returns its release. A lock whose process is dead (a crash) is stale and taken over;
 * a live one (this process included: a second open here is the same mistake) refuses.
 */
export function lockDataDirectory(dir: string): () => void {
  const lock = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        process.off('exit', release);
        if (ownerOf(lock) === process.pid) unlinkSync(lock);
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = ownerOf(lock);
      if (pid !== undefined && alive(pid)) throw new DataDirectoryBusyError(dir, pid);
      // Stale (or half-written by a process that died): remove and try once more.
      unlinkSync(lock);
    }
  }
  throw new DataDirectoryBusyError(dir, ownerOf(lock) ?? 0);
}

/** Creates the directory 0700 if needed and makes it and everything in it owner-only. */
export function makePrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const walk = (path: string) => {
    chmodSync(path, 0o700);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) chmodSync(child, 0o600);
    }
  };
  walk(dir);
}

/** Runs `open` with a umask that keeps what it creates owner-only, then restores the umask. */
export async function withPrivateUmask<T>(open: () => Promise<T>): Promise<T> {
  const previous = process.umask(0o077);
  try {
    return await open();
  } finally {
    process.umask(previous);
  }
}
