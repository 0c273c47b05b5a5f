import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import pg from 'pg';
import { backupPayload, BackupFileError, type BackupWriter, type CheckedBackup } from './backup-file.js';
import { FORGET_CREDENTIALS, FORGOTTEN_CHECK_SQL, migrationCheckSql } from './restore-credentials.js';

// PostgreSQL's backup is pg_dump's custom format, taken from the live database: pg_dump
// reads one consistent snapshot (a repeatable-read transaction) while the instances go
// on writing. The restore replays it with pg_restore into psql inside ONE transaction
// that this code opens and commits itself: the restored rows, the forgetting of every
// live credential (restore-credentials.ts) and the check of the schema's migration
// commit together, or — on any error, a damaged stream, a file changed under it — psql
// is killed before COMMIT and the database rolls back to what it was.
//
// The tools must match the server: pg_dump refuses a newer server, and Debian keeps one
// set per major version in /usr/lib/postgresql/<major>/bin (the PATH's wrappers pick the
// newest installed). A URL's password goes to the tools in PGPASSWORD, never on their
// command line, where any account could read it.

export type ChildEnv = Record<string, string | undefined>;

interface Target { url: string; env: ChildEnv; major: number }

async function withClient<T>(url: string, use: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

// Parameters the tools would otherwise see on their command line, readable by any local
// account in /proc: passed in their environment instead (libpq reads these variables).
const SECRET_PARAMS: Readonly<Record<string, string>> = { password: 'PGPASSWORD', sslpassword: 'PGSSLPASSWORD' };

function target(url: string, env: ChildEnv, major: number): Target {
  const u = new URL(url);
  const secrets: Record<string, string> = {};
  const password = decodeURIComponent(u.password);
  u.password = '';
  if (password) secrets['PGPASSWORD'] = password;
  for (const [param, variable] of Object.entries(SECRET_PARAMS)) {
    const value = u.searchParams.get(param);
    if (value !== null) secrets[variable] = value;
    u.searchParams.delete(param);
  }
  return { url: u.toString(), env: { ...env, ...secrets }, major };
}

/** The tool of the server's major version, else the PATH's. */
export function pgTool(name: 'pg_dump' | 'pg_restore' | 'psql', major: number): string {
  const own = `/usr/lib/postgresql/${major}/bin/${name}`;
  return existsSync(own) ? own : name;
}

export interface PostgresFacts { major: number; migration: string | null; tables: number; relations: number; others: number }

/** What a backup or a restore needs to know of the database first. */
export function postgresFacts(url: string): Promise<PostgresFacts> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ v: string; tables: string; relations: string; others: string; migrated: boolean }>(`
      select current_setting('server_version_num') as v,
        (select count(*) from pg_tables where schemaname = 'public') as tables,
        (select count(*) from pg_class k join pg_namespace n on n.oid = k.relnamespace
          where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%') as relations,
        (select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) as others,
        to_regclass('public.kysely_migration') is not null as migrated`);
    const r = rows[0]!;
    const migration = r.migrated ? ((await c.query<{ name: string | null }>('select max(name) as name from public.kysely_migration')).rows[0]?.name ?? null) : null;
    return { major: Math.floor(Number(r.v) / 10000), migration, tables: Number(r.tables), relations: Number(r.relations), others: Number(r.others) };
  });
}

function run(tool: string, args: string[], t: Target): ChildProcess {
  return spawn(tool, [...args, `--dbname=${t.url}`], { env: t.env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The last line a tool wrote on stderr, for the operator (tools name tables, not rows). */
function lastLine(buffer: string[]): string {
  return buffer.join('').trim().split('\n').filter((l) => l.trim()).at(-1)?.slice(0, 300) ?? 'no message';
}

async function exitOf(child: ChildProcess, name: string): Promise<void> {
  const err: string[] = [];
  child.stderr?.on('data', (d: Buffer) => err.push(d.toString('utf8')));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new BackupFileError(`${name} failed: ${lastLine(err)}`);
}

// The server's own secrets (the proof-of-work MAC key, the rate-limit key, an unspent
// bootstrap code's hash) stay out of a backup: a stolen file would otherwise let its
// holder mint proof-of-work tokens the live server accepts, or tag receipts in a copy of
// the rate-limit store. The table itself is kept; a restored server makes new ones.
const EXCLUDED_DATA = ['public.server_secrets'];

/** pg_dump of the live database into `out`; `onTable` counts the tables dumped. */
export async function dumpPostgres(url: string, env: ChildEnv, facts: PostgresFacts, out: BackupWriter, onTable?: (done: number) => void): Promise<void> {
  const t = target(url, env, facts.major);
  const child = run(pgTool('pg_dump', facts.major), ['--format=custom', '--no-owner', '--no-privileges', '--verbose', ...EXCLUDED_DATA.map((table) => `--exclude-table-data=${table}`)], t);
  let tables = 0;
  const lines: string[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    lines.push(d.toString('utf8'));
    const text = d.toString('utf8');
    for (const _ of text.matchAll(/dumping contents of table/g)) onTable?.(++tables);
  });
  child.stdout!.on('data', (chunk: Buffer) => out.write(chunk));
  child.once('error', () => {});
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new BackupFileError(`pg_dump failed: ${lastLine(lines.filter((l) => !l.includes('pg_dump: dumping') && !l.includes('pg_dump: reading')))}`);
}

/** Checks that the payload is an archive pg_restore can read, before anything is restored. */
async function listArchive(file: string, checked: CheckedBackup, major: number): Promise<void> {
  const child = spawn(pgTool('pg_restore', major), ['--list'], { stdio: ['pipe', 'ignore', 'pipe'] });
  child.once('error', () => {});
  // pg_restore stops reading once it has the table of contents: that is a success, not a broken pipe.
  child.stdin!.on('error', () => {});
  let ended = false;
  const exited = exitOf(child, 'pg_restore --list').finally(() => { ended = true; });
  exited.catch(() => {});
  for await (const piece of backupPayload(file, checked)) {
    if (ended) break;
    if (!child.stdin!.write(piece)) await Promise.race([once(child.stdin!, 'drain').catch(() => {}), exited.catch(() => {})]);
  }
  child.stdin!.end();
  await exited.catch(() => { throw new BackupFileError(`${file} holds no PostgreSQL archive pg_restore can read`); });
}

/**
 * Restores a checked backup into the database at `url` in one transaction (see above).
 * `replace`: the target's public schema is dropped first, inside the same transaction.
 */
export async function restorePostgres(
  url: string, env: ChildEnv, file: string, checked: CheckedBackup, facts: PostgresFacts,
  opts: { replace: boolean; onBytes?: (done: number, total: number) => void },
): Promise<void> {
  await listArchive(file, checked, facts.major);
  const t = target(url, env, facts.major);
  const psql = run(pgTool('psql', facts.major), ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', '--file=-'], t);
  const restore = spawn(pgTool('pg_restore', facts.major), ['--no-owner', '--no-privileges', '--file=-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  psql.stdout!.resume();
  psql.once('error', () => {});
  restore.once('error', () => {});
  const psqlDone = exitOf(psql, 'psql');
  const restoreDone = exitOf(restore, 'pg_restore');
  psqlDone.catch(() => {});
  restoreDone.catch(() => {});
  psql.stdin!.on('error', () => {});
  restore.stdin!.on('error', () => {});
  // A tool that stops early never drains: its exit (an error) ends the wait instead.
  // A tool that stopped reading (a broken pipe) has an exit to tell why: that is the error.
  const early = (tool: Promise<void>) => tool.then(() => { throw new BackupFileError('the restore stopped early'); });
  const drained = async (stream: NodeJS.WritableStream, tool: Promise<void>) => {
    await Promise.race([once(stream, 'drain').catch(() => early(tool)), early(tool)]);
  };
  const send = async (text: string | Buffer) => {
    if (!psql.stdin!.write(text)) await drained(psql.stdin!, psqlDone);
  };
  try {
    await send(`begin;\n${opts.replace ? 'drop schema public cascade;\ncreate schema public;\n' : ''}`);
    restore.stdout!.on('data', (chunk: Buffer) => {
      if (!psql.stdin!.write(chunk)) restore.stdout!.pause();
    });
    psql.stdin!.on('drain', () => restore.stdout!.resume());
    let done = 0;
    for await (const piece of backupPayload(file, checked)) {
      if (!restore.stdin!.write(piece)) await drained(restore.stdin!, restoreDone);
      done += piece.length;
      opts.onBytes?.(done, checked.payloadBytes);
    }
    restore.stdin!.end();
    await restoreDone;
    // Only now, with every byte read, checked and replayed, does the transaction end.
    await send(`\n${FORGET_CREDENTIALS.map((s) => `${s};\n`).join('')}${FORGOTTEN_CHECK_SQL};\n${migrationCheckSql(checked.header.migration)};\ncommit;\n`);
    psql.stdin!.end();
    await psqlDone;
  } catch (e) {
    // Killed before COMMIT: the server rolls the whole transaction back.
    psql.kill('SIGKILL');
    restore.kill('SIGKILL');
    await Promise.allSettled([psqlDone, restoreDone]);
    throw e;
  }
}
