import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

// The `tipline` command as the CLI tests run it: dist/tipline.js, which
// test/helpers/before.ts builds from src first (as `npm run build` does), started by plain node. A child process
// through the TypeScript loader takes seconds to start on a loaded machine; the bundle a
// fraction of that.

const repo = resolve(import.meta.dirname, '../..');
export const cliBundle = resolve(repo, 'dist/tipline.js');

/** Arguments for `spawn(process.execPath, cliArgs(...))`. */
export function cliArgs(...args: string[]): string[] {
  if (!existsSync(cliBundle)) throw new Error(`${cliBundle} is missing: run the tests with npm test (tap builds it first)`);
  return [cliBundle, ...args];
}
