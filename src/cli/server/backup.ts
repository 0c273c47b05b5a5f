import type { Command } from 'commander';
import { loadConfig, type Config } from '../../server/config.js';
import { isEmptyDirectory, requestSnapshot, restoreEmbedded, type EmbeddedSnapshot } from '../../server/db/backup-embedded.js';
import { BACKUP_VERSION, BackupFileError, BackupWriter, checkBackupFile, today, type BackupEngine } from '../../server/db/backup-file.js';
import { dumpPostgres, postgresFacts, restorePostgres } from '../../server/db/backup-postgres.js';
import { connectDatabase, snapshotOf } from '../../server/db/connect.js';
import { CliError, emit } from '../common/output.js';
import { progressBar, type Progress } from '../common/progress.js';

// `tipline backup` and `tipline restore` (docs/OPERATIONS.md, "Backup and restore"), for
// the database the server uses: DATABASE_URL, or the embedded one in TIPLINE_DATA_DIR.
// Both work while the server runs: pg_dump reads a snapshot of a live PostgreSQL; the
// embedded database's holder answers on its control socket (backup-embedded.ts). A
// restore checks the whole file first, never writes over data without --force, and
// leaves the target as it was when it fails.

const mib = (n: number) => (n / 1048576).toFixed(1);
const failed = (vi: string, en: string) => (e: unknown): never => {
  if (e instanceof BackupFileError) throw new CliError(`${vi} / ${en}: ${e.message}`);
  throw e;
};

/** A bar in bytes drawn once the total is known (the first report gives it). */
function bytesBar(label: string): { update(done: number, total: number): void; stop(): void } {
  let bar: Progress | undefined;
  return {
    update(done, total) {
      bar ??= progressBar(label, total);
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}

async function embeddedSnapshot(config: Config): Promise<EmbeddedSnapshot> {
  const bar = bytesBar('sao lưu / backing up');
  try {
    const answered = await requestSnapshot(config.dataDir, (done, total) => bar.update(done, total));
    if (answered) return answered;
  } finally {
    bar.stop();
  }
  if (isEmptyDirectory(config.dataDir)) {
    throw new CliError(`không có cơ sở dữ liệu trong ${config.dataDir}: không có gì để sao lưu / no database in ${config.dataDir}: nothing to back up`);
  }
  // No server answers: open the directory here (it refuses, naming the pid, if a process holds it without answering).
  const db = await connectDatabase(config);
  try {
    return await snapshotOf(db)!();
  } finally {
    await db.destroy();
  }
}

async function backup(opts: { out: string; json?: boolean }): Promise<void> {
  const config = loadConfig();
  const engine: BackupEngine = config.databaseUrl ? 'postgres' : 'embedded';
  let writer: BackupWriter | undefined;
  try {
    if (config.databaseUrl) {
      const facts = await postgresFacts(config.databaseUrl);
      if (!facts.migration) throw new CliError('cơ sở dữ liệu chưa có lược đồ: không có gì để sao lưu / the database has no schema yet: nothing to back up');
      writer = new BackupWriter(opts.out, { format: 'tipline-backup', version: BACKUP_VERSION, engine, migration: facts.migration, madeOn: today() });
      const bar = progressBar('sao lưu / backing up (tables)', facts.tables, 'items');
      try {
        await dumpPostgres(config.databaseUrl, process.env, facts, writer, (done) => bar.update(done));
      } finally {
        bar.stop();
      }
    } else {
      const snapshot = await embeddedSnapshot(config);
      writer = new BackupWriter(opts.out, { format: 'tipline-backup', version: BACKUP_VERSION, engine, migration: snapshot.migration, madeOn: today() });
      writer.write(snapshot.payload);
    }
    writer.finish();
  } catch (e) {
    writer?.abort();
    failed('sao lưu thất bại', 'backup failed')(e);
  }
  const bytes = writer!.written;
  emit(opts, { file: opts.out, engine, bytes }, () => [
    `đã sao lưu vào ${opts.out} (${mib(bytes)} MiB) / backed up to ${opts.out} (${mib(bytes)} MiB)`,
    'Tệp (quyền 0600) chỉ chứa những gì cơ sở dữ liệu giữ — bản mã, mã xác minh — không có khóa của cán bộ; hãy mã hóa nó trước khi cất giữ.',
    'The file (mode 0600) holds only what the database holds — ciphertext, verifiers — and no staff key; encrypt it before you store it.',
  ].join('\n'));
}

async function restore(file: string, opts: { force?: boolean; json?: boolean }): Promise<void> {
  const config = loadConfig();
  const engine: BackupEngine = config.databaseUrl ? 'postgres' : 'embedded';
  const where = config.databaseUrl ? new URL(config.databaseUrl).pathname.slice(1) || 'PostgreSQL' : config.dataDir;
  const checking = bytesBar('kiểm tra / checking');
  const checked = (() => {
    try {
      return checkBackupFile(file, (done, total) => checking.update(done, total));
    } catch (e) {
      return failed('không khôi phục', 'nothing restored')(e);
    } finally {
      checking.stop();
    }
  })();
  if (checked.header.engine !== engine) {
    throw new CliError(
      `tệp là bản sao lưu của cơ sở dữ liệu ${checked.header.engine}, còn đích là ${engine} / ` +
      `the file backs up a ${checked.header.engine} database and the target is ${engine}: nothing restored`);
  }
  const notEmpty = () => new CliError(
    `đích ${where} không trống; thêm --force để thay thế / the target ${where} is not empty; add --force to replace it: nothing restored`);
  try {
    if (config.databaseUrl) {
      const facts = await postgresFacts(config.databaseUrl);
      if (facts.others > 0) {
        throw new CliError(
          `còn ${facts.others} kết nối khác tới ${where}: hãy dừng mọi phiên bản tipline trước / ` +
          `${facts.others} other connection(s) to ${where}: stop every tipline instance using it first; nothing restored`);
      }
      if (facts.relations > 0 && !opts.force) throw notEmpty();
      const bar = progressBar('khôi phục / restoring', checked.payloadBytes);
      try {
        await restorePostgres(config.databaseUrl, process.env, file, checked, facts, { replace: facts.relations > 0, onBytes: (done) => bar.update(done) });
      } finally {
        bar.stop();
      }
    } else {
      if (!isEmptyDirectory(config.dataDir) && !opts.force) throw notEmpty();
      await restoreEmbedded(config.dataDir, file, checked);
    }
  } catch (e) {
    failed('khôi phục thất bại, đích vẫn như trước', 'restore failed, the target is as it was')(e);
  }
  emit(opts, { file, engine, migration: checked.header.migration, madeOn: checked.header.madeOn }, () => [
    `đã khôi phục ${file} (ngày ${checked.header.madeOn}, lược đồ ${checked.header.migration}) vào ${where} / ` +
      `restored ${file} (made ${checked.header.madeOn}, schema ${checked.header.migration}) into ${where}`,
    'Phiên đăng nhập, thử thách đăng nhập, mã mời, mã khởi tạo và mã bằng chứng công việc trước đó không còn dùng được: khởi động lại mọi phiên bản máy chủ; cán bộ đăng nhập lại; mời lại người chưa ghi danh.',
    'Sessions, login challenges, invitation and bootstrap codes and proof-of-work tokens from before no longer work: restart every server instance; staff log in again; invite again anyone not yet enrolled.',
  ].join('\n'));
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('back up the database while the server runs (pg_dump, or the embedded database through its control socket)')
    .requiredOption('--out <file>', 'the backup file to write (mode 0600; never over an existing file)')
    .option('--json', 'print machine-readable JSON')
    .addHelpText('after', `
Uses DATABASE_URL (pg_dump of the matching major version from /usr/lib/postgresql/<major>/bin),
or the embedded database in TIPLINE_DATA_DIR (default ./data): a running server answers on
<data dir>.backup.sock (only its owner can connect); with no server, the directory is opened here.
The file holds only what the database holds (ciphertext, verifiers, the audit log); staff
keys are not in it. Encrypt it at rest (docs/OPERATIONS.md, "Backup and restore").`)
    .action(backup);

  program
    .command('restore')
    .description('restore a backup into DATABASE_URL or TIPLINE_DATA_DIR, voiding every session and one-time code from before')
    .argument('<file>', 'a file written by `tipline backup`')
    .option('--force', 'replace a target that is not empty')
    .option('--json', 'print machine-readable JSON')
    .addHelpText('after', `
The whole file is checked first (format, version, engine, schema, digest). The restore is one
transaction (PostgreSQL) or a swap of directories (embedded): if it fails, the target stays as
it was. Stop every server using the target first; afterwards staff log in again, and
invitations not yet used must be issued again.`)
    .action(restore);
}
