import { build } from 'esbuild';
import { chmod, cp } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles the `tipline` command (server included) into one file, with the database's
 * functions (src/server/db/sql/*.sql) in sql/ beside it. Dependencies stay in
 * node_modules: PGlite and libsodium load their WebAssembly relative to themselves, so
 * the bundle must sit inside the repository (dist/). The test run uses the same bundle
 * (test/helpers/before.ts): a bundled command starts in a fraction of the time the
 * TypeScript loader takes, and the tests then run what production runs.
 */
export async function bundleCli(outfile = 'dist/tipline.js'): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('../cli/main.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  await chmod(outfile, 0o755);
  // The database's functions, read beside the bundle at migrate (src/server/db/database-functions.ts).
  await cp(fileURLToPath(new URL('../server/db/sql', import.meta.url)), join(dirname(outfile), 'sql'), { recursive: true });
}
