import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { migrations } from '../../../migrations/index.js';

// The backup file (docs/OPERATIONS.md, "Backup and restore"): one container for both
// engines, so a restore can refuse a wrong, truncated or newer file before it touches
// anything.
//
//   magic "tipline-backup\n" (15 bytes) || header length (uint32 BE) || header (JSON, UTF-8)
//   || payload || payload length (uint64 BE) || SHA-256(header || payload) (32) || "tipline-end\n"
//
// The payload is what the engine's own tool makes: pg_dump's custom format for
// PostgreSQL, PGlite's gzipped data directory for the embedded database. The digest
// catches a damaged or cut copy; it is not a seal against someone who rewrites the file
// (that person could recompute it). Nothing in it is more than the database holds.

export const BACKUP_MAGIC = Buffer.from('tipline-backup\n');
const TRAILER_MAGIC = Buffer.from('tipline-end\n');
const TRAILER_BYTES = 8 + 32 + TRAILER_MAGIC.length;
const MAX_HEADER = 4096;
export const BACKUP_VERSION = 1;

export type BackupEngine = 'postgres' | 'embedded';

export interface BackupHeader {
  format: 'tipline-backup';
  version: typeof BACKUP_VERSION;
  engine: BackupEngine;
  /** The last migration the database had: a restore refuses one this build does not know. */
  migration: string;
  /** The day it was made (a day, like every date the database keeps of denouncers). */
  madeOn: string;
}

export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

/** A backup being written to `<file>.partial`, renamed into place only when complete. */
export class BackupWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private readonly partial: string;

  constructor(private readonly file: string, header: BackupHeader) {
    this.partial = `${file}.partial`;
    // Said at once rather than after the dump (finish() still refuses, should one appear meanwhile).
    if (existsSync(file)) throw new BackupFileError(`${file} already exists`);
    // 0600 from the start, and never over an existing backup.
    try {
      this.fd = openSync(this.partial, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      throw new BackupFileError(`${this.partial} exists: another backup is being written there, or one stopped half-way (remove it)`);
    }
    const json = Buffer.from(JSON.stringify(header));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    writeSync(this.fd, BACKUP_MAGIC);
    writeSync(this.fd, length);
    writeSync(this.fd, json);
    this.hash.update(json);
  }

  write(chunk: Uint8Array): void {
    writeSync(this.fd, chunk);
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  get written(): number { return this.bytes; }

  /** Writes the trailer, syncs and renames into place; refuses to replace an existing file. */
  finish(): void {
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(this.bytes));
    writeSync(this.fd, Buffer.concat([length, this.hash.digest(), TRAILER_MAGIC]));
    fsyncSync(this.fd);
    closeSync(this.fd);
    // A hard link fails if the name is taken: an existing backup is never replaced.
    try {
      linkSync(this.partial, this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupFileError(`${this.file} already exists`);
      throw e;
    } finally {
      rmSync(this.partial, { force: true });
    }
  }

  abort(): void {
    try { closeSync(this.fd); } catch { /* already closed */ }
    rmSync(this.partial, { force: true });
  }
}

export interface CheckedBackup { header: BackupHeader; headerJson: Buffer; payloadOffset: number; payloadBytes: number; digest: Buffer }

const readAt = (fd: number, length: number, position: number): Buffer => {
  const out = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, out, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return out.subarray(0, got);
};

/**
 * Checks a backup file end to end before anything is restored from it: the magic, a
 * header of this version naming an engine and a migration this build knows, the
 * payload's length and digest. `onBytes` reports progress through the payload.
 */
export function checkBackupFile(file: string, onBytes?: (done: number, total: number) => void): CheckedBackup {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    throw new BackupFileError(`${file} cannot be read`);
  }
  try {
    const size = statSync(file).size;
    const head = readAt(fd, BACKUP_MAGIC.length + 4, 0);
    if (head.length < BACKUP_MAGIC.length + 4 || !head.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
      throw new BackupFileError(`${file} is not a tipline backup`);
    }
    const headerBytes = head.readUInt32BE(BACKUP_MAGIC.length);
    const payloadOffset = BACKUP_MAGIC.length + 4 + headerBytes;
    if (headerBytes > MAX_HEADER || payloadOffset + TRAILER_BYTES > size) throw new BackupFileError(`${file} is damaged or cut short`);
    const json = readAt(fd, headerBytes, BACKUP_MAGIC.length + 4);
    const header = parseHeader(file, json);
    const payloadBytes = size - payloadOffset - TRAILER_BYTES;
    const trailer = readAt(fd, TRAILER_BYTES, size - TRAILER_BYTES);
    if (!trailer.subarray(40).equals(TRAILER_MAGIC) || trailer.readBigUInt64BE(0) !== BigInt(payloadBytes)) {
      throw new BackupFileError(`${file} is damaged or cut short`);
    }
    const hash = createHash('sha256').update(json);
    const piece = Buffer.alloc(1 << 20);
    for (let done = 0; done < payloadBytes; ) {
      const n = readSync(fd, piece, 0, Math.min(piece.length, payloadBytes - done), payloadOffset + done);
      if (n === 0) throw new BackupFileError(`${file} is damaged or cut short`);
      hash.update(piece.subarray(0, n));
      done += n;
      onBytes?.(done, payloadBytes);
    }
    const digest = trailer.subarray(8, 40);
    if (!hash.digest().equals(digest)) throw new BackupFileError(`${file} is damaged: its digest does not match`);
    return { header, headerJson: json, payloadOffset, payloadBytes, digest };
  } finally {
    closeSync(fd);
  }
}

function parseHeader(file: string, json: Buffer): BackupHeader {
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new BackupFileError(`${file} is damaged: its header is not readable`);
  }
  if (h['format'] !== 'tipline-backup') throw new BackupFileError(`${file} is not a tipline backup`);
  if (h['version'] !== BACKUP_VERSION) throw new BackupFileError(`${file} is a backup of version ${String(h['version'])}; this tipline reads version ${BACKUP_VERSION}`);
  if (h['engine'] !== 'postgres' && h['engine'] !== 'embedded') throw new BackupFileError(`${file} names no known database engine`);
  const migration = h['migration'];
  if (typeof migration !== 'string' || !(migration in migrations)) {
    throw new BackupFileError(`${file} was made at schema ${String(migration)}, which this tipline does not know: restore it with the release that made it, or a newer one`);
  }
  return { format: 'tipline-backup', version: BACKUP_VERSION, engine: h['engine'], migration, madeOn: String(h['madeOn'] ?? '') };
}

/**
 * Reads the payload of a checked backup in pieces, hashing it again: the file could be
 * replaced between the check and the restore, so the last piece is handed out only once
 * the bytes read are the bytes checked, and a caller commits only after the last piece.
 */
export async function* backupPayload(file: string, checked: CheckedBackup): AsyncGenerator<Buffer> {
  const fd = openSync(file, 'r');
  const hash = createHash('sha256').update(checked.headerJson);
  let held: Buffer | undefined;
  try {
    const piece = Buffer.alloc(1 << 20);
    for (let done = 0; done < checked.payloadBytes; ) {
      const n = readSync(fd, piece, 0, Math.min(piece.length, checked.payloadBytes - done), checked.payloadOffset + done);
      if (n === 0) throw new BackupFileError(`${file} changed while it was being restored`);
      done += n;
      if (held) yield held;
      held = Buffer.from(piece.subarray(0, n));
      hash.update(held);
    }
    if (!hash.digest().equals(checked.digest)) throw new BackupFileError(`${file} changed while it was being restored`);
    if (held) yield held;
  } finally {
    closeSync(fd);
  }
}

export const today = (): string => new Date().toISOString().slice(0, 10);
