import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { postgresTools } from '../reliability/pg-cluster.js';

// The production layout in miniature: a primary PostgreSQL, a synchronous standby fed by
// streaming replication, and HAProxy in front of both, routing to whichever of them
// answers `pg_is_in_recovery() = false` (ops/haproxy/pg-primary-check.sh). node-pg has
// no multi-host `target_session_attrs`, so the component that follows the primary is the
// proxy: tipline is given one address and never learns which server is behind it.

export const PRIMARY_PORT = 5433;
export const STANDBY_PORT = 5434;
export const PROXY_PORT = 5435;
const STANDBY_NAME = 'standby';
const checkScript = fileURLToPath(new URL('../../ops/haproxy/pg-primary-check.sh', import.meta.url));

export interface ReplicatedCluster {
  /** The proxy's address: what tipline's DATABASE_URL names (database `postgres`). */
  proxyUrl: string;
  /** Stops the primary hard (`pg_ctl stop -m immediate`): no checkpoint, connections cut. */
  crashPrimary(): void;
  /** Promotes the standby; it takes writes alone afterwards (no synchronous partner left). */
  promoteStandby(): void;
  /** Resolves once the proxy has marked `server` up (true) or down (false). */
  proxyRoutes(server: 'primary' | 'standby', up: boolean, timeoutMs: number): Promise<void>;
  /** Stops every process and removes the directory; safe to call twice and from an exit handler. */
  /** What both servers wrote to their logs so far: the drill checks it names no case or message. */
  serverLogs(): string;
  destroy(): void;
}

// The settings docs/OPERATIONS.md ("Production layout") asks for, on both servers.
const quietLog = [
  'log_min_messages=warning', 'log_min_error_statement=panic', 'log_statement=none', 'log_min_duration_statement=-1',
  'log_duration=off', 'log_connections=off', 'log_disconnections=off', 'log_hostname=off', "log_line_prefix='%m [%p] '",
];

function settings(port: number, socketDir: string, synchronousStandby: string): string {
  return [
    `-p ${port}`, `-k ${socketDir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=60', '-c shared_buffers=32MB',
    '-c wal_level=replica', '-c max_wal_senders=4', '-c synchronous_commit=on', '-c track_commit_timestamp=off',
    `-c synchronous_standby_names=${synchronousStandby}`, ...quietLog.map((s) => `-c ${s}`),
  ].join(' ');
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', () => reject(new Error(`port ${port} is in use: the failover drill needs 127.0.0.1:${PRIMARY_PORT}-${PROXY_PORT} free`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

export async function createReplicatedCluster(haproxy: string): Promise<ReplicatedCluster> {
  for (const port of [PRIMARY_PORT, STANDBY_PORT, PROXY_PORT]) await assertPortFree(port);
  const tools = postgresTools();
  const dir = mkdtempSync(join(tmpdir(), 'tipline-failover-'));
  tools.own(dir);
  const primary = join(dir, 'primary');
  const standby = join(dir, 'standby');
  const running = new Set<string>();
  let proxy: ChildProcess | undefined;
  let destroyed = false;
  const pgCtl = (data: string, args: string[]) => tools.run('pg_ctl', ['-D', data, ...args]);
  const start = (data: string, port: number, synchronousStandby: string) => {
    pgCtl(data, ['-o', settings(port, dir, synchronousStandby), '-l', join(dir, `${port}.log`), '-w', '-t', '60', 'start']);
    running.add(data);
  };
  const cluster: ReplicatedCluster = {
    proxyUrl: `postgres://postgres@127.0.0.1:${PROXY_PORT}/postgres`,
    serverLogs: () => [PRIMARY_PORT, STANDBY_PORT].map((port) => readFileSync(join(dir, `${port}.log`), 'utf8')).join('\n'),
    crashPrimary: () => {
      pgCtl(primary, ['-m', 'immediate', '-w', 'stop']);
      running.delete(primary);
    },
    promoteStandby: () => pgCtl(standby, ['-w', '-t', '60', 'promote']),
    proxyRoutes: (server, up, timeoutMs) => waitForProxyState(join(dir, 'haproxy.sock'), server, up, timeoutMs),
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      proxy?.kill('SIGKILL');
      for (const data of running) stopQuietly(tools, data);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    tools.run('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    // The standby names itself in its connection; the primary waits for that name on every commit.
    start(primary, PRIMARY_PORT, STANDBY_NAME);
    tools.run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(PRIMARY_PORT), '-U', 'postgres', '-D', standby, '-X', 'stream', '-R']);
    appendFileSync(standby + '/postgresql.auto.conf', `primary_conninfo = 'host=127.0.0.1 port=${PRIMARY_PORT} user=postgres application_name=${STANDBY_NAME}'\n`);
    // Once promoted it has no standby of its own: waiting for one would stop every write.
    start(standby, STANDBY_PORT, "''");
    await waitForSynchronousStandby(`postgres://postgres@127.0.0.1:${PRIMARY_PORT}/postgres`);
    proxy = startProxy(haproxy, dir, tools.bin);
    await cluster.proxyRoutes('primary', true, 30_000);
    await cluster.proxyRoutes('standby', false, 30_000);
    return cluster;
  } catch (e) {
    cluster.destroy();
    throw e;
  }
}

function stopQuietly(tools: ReturnType<typeof postgresTools>, data: string): void {
  try {
    tools.run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  } catch {
    // Already down: nothing to stop.
  }
}

async function waitForSynchronousStandby(primaryUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: primaryUrl });
  await client.connect();
  try {
    for (let i = 0; i < 300; i++) {
      const r = await client.query<{ sync_state: string }>('select sync_state from pg_stat_replication where application_name = $1', [STANDBY_NAME]);
      if (r.rows[0]?.sync_state === 'sync') return;
      await sleep(100);
    }
    throw new Error('the standby did not become synchronous within 30 s');
  } finally {
    await client.end();
  }
}

function startProxy(haproxy: string, dir: string, pgBin: string): ChildProcess {
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, proxyConfig(dir, pgBin));
  const child = spawn(haproxy, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr?.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-2000)));
  child.once('exit', (code) => {
    if (code) process.stderr.write(`haproxy exited with ${code}: ${tail}\n`);
  });
  return child;
}

/** The proxy's configuration: the same as docs/OPERATIONS.md shows, with this drill's ports. */
export function proxyConfig(dir: string, pgBin: string): string {
  return `global
  insecure-fork-wanted
  external-check
  stats socket ${join(dir, 'haproxy.sock')} mode 600 level admin

defaults
  mode tcp
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 3s
  retries 1

listen tipline-postgres
  bind 127.0.0.1:${PROXY_PORT}
  option external-check
  external-check path "${pgBin}:/usr/bin:/bin"
  external-check command ${checkScript}
  default-server inter 500ms fall 2 rise 1 observe layer4 error-limit 1 on-error mark-down on-marked-down shutdown-sessions
  server primary 127.0.0.1:${PRIMARY_PORT} check
  server standby 127.0.0.1:${STANDBY_PORT} check
`;
}

async function proxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = createConnection(socket);
    let out = '';
    c.on('connect', () => c.end(`${command}\n`));
    c.on('data', (d) => (out += d.toString()));
    c.on('end', () => resolve(out));
    c.on('error', reject);
  });
}

async function waitForProxyState(socket: string, server: string, up: boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    // `show stat` is CSV: proxy, server, …, status (column 18).
    const stat = await proxyCommand(socket, 'show stat').catch(() => '');
    const row = stat.split('\n').map((l) => l.split(',')).find((f) => f[0] === 'tipline-postgres' && f[1] === server);
    const status = row?.[17] ?? '';
    if (up ? status === 'UP' : status.startsWith('DOWN')) return;
    await sleep(50);
  }
  throw new Error(`the proxy did not mark ${server} ${up ? 'up' : 'down'} within ${timeoutMs} ms`);
}
