import { TrustFileError } from '../cli/denouncer/trust-file.js';
import { buildConsole } from '../console/build.js';
import { UnpinnedProductionBuildError, buildWeb } from '../web/build.js';
import { bundleCli } from './cli-bundle.js';

// Builds the denouncer page into dist/web, the staff console into dist/console (served by
// `tipline console` and at /staff/) and the `tipline` command into dist/tipline.js,
// with the database's functions beside it in dist/sql/ (cli-bundle.ts).
//
// `npm run build -- --production` (or NODE_ENV=production, as in the Dockerfile) makes
// the denouncer page a production one, which needs pins (src/web/build.ts). Checked
// before anything is written, so a refused build leaves no half of dist/ behind.

const production = process.argv.includes('--production') || process.env['NODE_ENV'] === 'production';

async function main(): Promise<void> {
  if (production) process.stderr.write('production build: the denouncer page refuses agencies it has no pin for\n');
  await buildWeb({ outDir: 'dist/web', log: true, production });
  await buildConsole({ outDir: 'dist/console', log: true });
  await bundleCli();
  process.stderr.write('built dist/tipline.js\n');
}

main().catch((err: unknown) => {
  // The refusal is an instruction to the operator, not a crash: no stack trace.
  if (err instanceof UnpinnedProductionBuildError || err instanceof TrustFileError) process.stderr.write(`build refused: ${err.message}\n`);
  else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
