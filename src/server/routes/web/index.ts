import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { MANIFEST_FILE, type BuildManifest } from '../../../web/build.js';
import { serveBuilt, type ServedFile } from './built-files.js';

// Serves the denouncer page (built by src/web/build.ts into config.webDir) from the
// server itself: no CDN, no font, no analytics. What is served is what the build's
// manifest.json lists: index.html (no-store), hashed scripts and stylesheet (immutable,
// precompressed) and BUNDLE-HASH.txt.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

async function manifestFiles(dir: string): Promise<ServedFile[]> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as BuildManifest;
  return manifest.files.map((f) => {
    const type = TYPES[extname(f.name)];
    // Only plain names of known kinds: a manifest cannot make the server read elsewhere.
    if (!type || !/^[A-Za-z0-9._-]+$/.test(f.name)) throw new Error(`the page manifest lists an unexpected file: ${f.name}`);
    return { file: f.name, type, immutable: f.immutable, encodings: f.encodings };
  });
}

/**
 * What the page and the console share: the app-wide CSP plus 'wasm-unsafe-eval', on the
 * documents only — it lets libsodium compile its WebAssembly and nothing else (no eval,
 * no inline script). Both also require Trusted Types: they build their DOM without HTML strings.
 */
export const DOCUMENT_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
] as const;

/** The denouncer page's policy. Without WebAssembly the page still works on the pure-JavaScript backend. */
export const PAGE_CSP = [
  ...DOCUMENT_CSP,
  // The proof-of-work Worker starts from a blob: URL of bytes the page checked against
  // index.html (src/web/lazy.ts); only script already running here can make one.
  "worker-src 'self' blob:",
  "require-trusted-types-for 'script'",
  // Any injection sink use is refused. The one policy allowed makes only Worker script
  // URLs, and only of those blob: URLs.
  "trusted-types tipline-pow-worker",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tipline</title></head>
<body><p>The denouncer page has not been built. Run <code>npm run build</code>; the server serves it as soon as it is built.</p></body></html>`;

export default async function web(app: FastifyInstance): Promise<void> {
  serveBuilt(app, {
    dir: app.config.webDir,
    prefix: '/',
    stamp: MANIFEST_FILE,
    list: manifestFiles,
    csp: PAGE_CSP,
    notBuilt: NOT_BUILT,
    what: 'denouncer page',
  });
}
