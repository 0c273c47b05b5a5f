import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildConsole } from '../../src/console/build.js';

// The staff console as the browser tests serve it, built once per test run
// (test/helpers/before.ts) rather than once per test file: a build is an esbuild run over
// Preact, the SDK, libsodium and exceljs, seconds of CPU each time. It is named by the
// sources it was built from (all of src: the console bundles the client and the protocol)
// and this checkout, so a stale build is never served and two checkouts never share one;
// the tests only read it. test/console/serve.test.ts still builds its own, to test the build.

const repo = resolve(import.meta.dirname, '../..');

function sourcesHash(): string {
  const hash = createHash('sha256').update(repo);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(path).update(readFileSync(path));
    }
  };
  walk(join(repo, 'src'));
  return hash.digest('hex').slice(0, 16);
}

export const builtConsoleDir = join(tmpdir(), `tipline-test-console-${sourcesHash()}`);

export async function makeBuiltConsole(): Promise<void> {
  if (existsSync(builtConsoleDir)) return;
  const partial = `${builtConsoleDir}.${process.pid}`;
  await buildConsole({ outDir: partial });
  renameSync(partial, builtConsoleDir);
}

export function dropBuiltConsole(): void {
  rmSync(builtConsoleDir, { recursive: true, force: true });
}
