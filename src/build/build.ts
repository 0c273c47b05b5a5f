import { build } from 'esbuild';
import { chmod, cp } from 'node:fs/promises';
import { TrustFileError } from '../cli/denouncer/trust-file.js';
import { UnpinnedProductionBuildError, buildWeb } from '../web/build.js';

// Bundles the `tipline` command (server included) into dist/, with the database's
// functions (src/server/db/sql/*.sql) beside it in dist/sql/. Dependencies stay in
// node_modules: PGlite and libsodium load their WebAssembly relative to themselves.
//
// `npm run build -- --production` (or NODE_ENV=production, as in the Dockerfile) makes
// the denouncer page a production one, which needs pins (src/web/build.ts). Checked
// before anything is written, so a refused build leaves no half of dist/ behind.

const production = process.argv.includes('--production') || process.env['NODE_ENV'] === 'production';

async function main(): Promise<void> {
  if (production) process.stderr.write('production build: the denouncer page refuses agencies it has no pin for\n');
  await buildWeb({ outDir: 'dist/web', log: true, production });
  await build({
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/tipline.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  await chmod('dist/tipline.js', 0o755);
  // The database's functions, read beside the bundle at migrate (src/server/db/database-functions.ts).
  await cp('src/server/db/sql', 'dist/sql', { recursive: true });
  process.stderr.write('built dist/tipline.js\n');
}

main().catch((err: unknown) => {
  // The refusal is an instruction to the operator, not a crash: no stack trace.
  if (err instanceof UnpinnedProductionBuildError || err instanceof TrustFileError) process.stderr.write(`build refused: ${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
