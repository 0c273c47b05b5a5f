import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Servers under test run in their own process, as in production: the load generator
// and the server do not share an event loop, and the server's RSS can be sampled
// from /proc without counting the benchmark's own memory.

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Resident set size of the server process now, bytes (Linux /proc). */
  rss(): number;
  stop(): Promise<void>;
  /** The last few KiB the server wrote to stderr (start-up lines, crashes). */
  stderr(): string;
  /** SIGKILL, as a crash or an out-of-memory kill would: no graceful shutdown. */
  kill(): Promise<void>;
}

export interface ServerSpec {
  /** 'tipline' runs `tipline serve`; 'ceiling' runs bench/ceiling-server.ts. */
  kind: 'tipline' | 'ceiling';
  env: Record<string, string>;
  /** Extra node flags, e.g. `--cpu-prof` (bench/profile-cases.ts). */
  nodeArgs?: string[];
}

export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const script = spec.kind === 'tipline' ? ['src/cli/main.ts', 'serve'] : ['bench/ceiling-server.ts'];
  // A data directory of its own: the server writes its first-start files there.
  const dataDir = mkdtempSync(join(tmpdir(), 'tipline-bench-server-'));
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), '--import', 'tsx', ...script], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', TIPLINE_DATA_DIR: dataDir, ...spec.env },
    // Request logs go to /dev/null: writing them is part of the server's cost, reading
    // them back would be part of ours.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4096);
  });
  child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const port = await listeningPort(child);
  const pid = child.pid ?? 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid,
    rss: () => rssOf(pid),
    stderr: () => tail,
    stop: () => stopChild(child),
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error('server did not start within 60 s')), 60_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n${text.slice(-2000)}`));
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(text);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`server exited with ${code} before listening`)));
  });
}

export function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function rssSampler(read: () => number, everyMs = 25): { peak(): number; stop(): number } {
  let peak = read();
  const timer = setInterval(() => {
    peak = Math.max(peak, read());
  }, everyMs);
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, read());
      return peak;
    },
  };
}
