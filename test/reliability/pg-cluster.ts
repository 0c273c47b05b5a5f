import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A private PostgreSQL instance in a temporary directory, on its own port, that a
// fault test may stop, restart or kill without touching the shared server others use.

export interface PgCluster {
  url: string;
  port: number;
  start(): void;
  /** Fast shutdown: open connections are terminated, as in a restart or failover. */
  stop(): void;
  /** Immediate shutdown (no checkpoint), as in a crash; recovery replays the WAL. */
  crash(): void;
  destroy(): void;
}

export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs PostgreSQL's tools; as root (PostgreSQL refuses to run as root) they run as the postgres system user. */
export interface PostgresTools {
  bin: string;
  run(tool: string, args: string[]): void;
  /** Hands a directory to the user the tools run as, owner-only. */
  own(dir: string): void;
}

export function postgresTools(): PostgresTools {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
  const asRoot = process.getuid?.() === 0;
  return {
    bin,
    run: (tool, args) => {
      const cmd = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] as const : [join(bin, tool), args] as const;
      const r = spawnSync(cmd[0], [...cmd[1]], { encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr || r.stdout}`);
    },
    own: (dir) => {
      if (asRoot) {
        const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
        const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
        chownSync(dir, uid, gid);
      }
      chmodSync(dir, 0o700);
    },
  };
}

export async function createPgCluster(): Promise<PgCluster> {
  const tools = postgresTools();
  const { bin, run } = tools;
  const dir = mkdtempSync(join(tmpdir(), 'tipline-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  tools.own(dir);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50 -c shared_buffers=32MB`;
  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']),
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    crash: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    destroy: () => {
      spawnSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}
