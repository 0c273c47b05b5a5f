import type { FastifyInstance } from 'fastify';
import { DOCUMENT_CSP } from '../web/index.js';
import { serveBuilt, type BuiltBundle, type ServedFile } from '../web/built-files.js';

// Serves the staff console (built by src/console/build.ts into config.consoleDir) at
// /staff/, for agencies that accept trusting this server with the code that decrypts;
// `tipline console` serves the same files from a staff member's own machine
// (docs/CONSOLE.md says what each protects against).

/** The console's files, served under '/staff/' here and '/' by `tipline console`. */
const CONSOLE_FILES: ServedFile[] = [
  { file: 'index.html', type: 'text/html; charset=utf-8' },
  { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  { file: 'console.css', type: 'text/css; charset=utf-8' },
  // Loaded by the report's export only, checked against index.html first (src/console/xlsx.ts).
  { file: 'console-xlsx.js', type: 'text/javascript; charset=utf-8' },
  { file: 'BUNDLE-HASH.txt', type: 'text/plain; charset=utf-8' },
];

/**
 * The documents' policy (scripts only from this origin, WebAssembly for libsodium —
 * Argon2id unlocks the key file —, requests to this origin only), with no Worker and
 * Trusted Types with no policy: the console builds its DOM through Preact, which never
 * assigns HTML strings, and starts no Worker.
 */
export const CONSOLE_CSP = [...DOCUMENT_CSP, "worker-src 'none'", "require-trusted-types-for 'script'", "trusted-types 'none'"].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tipline</title></head>
<body><p>The staff console has not been built. Run <code>npm run build</code>; it is served as soon as it is built.</p></body></html>`;

export function consoleBundle(dir: string, prefix: string, rewriteIndex?: (html: string) => string): BuiltBundle {
  const bundle: BuiltBundle = {
    dir,
    prefix,
    // Written last by src/console/build.ts.
    stamp: 'BUNDLE-HASH.txt',
    list: async () => CONSOLE_FILES,
    csp: CONSOLE_CSP,
    notBuilt: NOT_BUILT,
    what: 'staff console',
  };
  if (rewriteIndex) bundle.rewriteIndex = rewriteIndex;
  return bundle;
}

export default async function staffConsole(app: FastifyInstance): Promise<void> {
  serveBuilt(app, consoleBundle(app.config.consoleDir, '/staff/'));
  app.get('/staff', { config: { budget: 'page' }, schema: { hide: true } }, (_req, reply) => reply.redirect('/staff/', 301));
}
