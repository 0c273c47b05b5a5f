import type { BuildOptions } from 'esbuild';

// What every script built for a browser shares — the denouncer page, its Workers, the
// staff console and the console's lazy chunks: bundled in memory, for browsers of 2022
// on, no licence comments, UTF-8 kept as it is
// (the Vietnamese strings stay readable in the bundle a reviewer hashes), warnings only.
export const BROWSER_BUILD = {
  bundle: true,
  write: false,
  platform: 'browser',
  target: ['es2022'],
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
} as const satisfies BuildOptions;
