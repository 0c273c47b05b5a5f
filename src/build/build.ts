import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';
import { buildWeb } from '../web/build.js';

// Bundles the `tipline` command (server included) into dist/. Dependencies stay in
// node_modules: PGlite and libsodium load their WebAssembly relative to themselves.

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
process.stderr.write('built dist/tipline.js\n');
await buildWeb({ outDir: 'dist/web', log: true });
