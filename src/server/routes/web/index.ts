import type { FastifyInstance } from 'fastify';
import { serveBuilt } from './built-files.js';

// Serves the denouncer page (built by src/web/build.ts into config.webDir) from the
// server itself: no CDN, no font, no analytics.

const FILES = [
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { path: '/app.css', file: 'app.css', type: 'text/css; charset=utf-8' },
  { path: '/BUNDLE-HASH.txt', file: 'BUNDLE-HASH.txt', type: 'text/plain; charset=utf-8' },
] as const;

/**
 * The app-wide CSP plus 'wasm-unsafe-eval', on the page document only: it lets
 * libsodium compile its WebAssembly and nothing else (no eval, no inline script).
 * Without it the page still works on the pure-JavaScript backend.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "worker-src 'self'",
  // The page builds its DOM without HTML strings; any injection sink use is refused.
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tipline</title></head>
<body><p>The denouncer page has not been built. Run <code>npm run build</code>, then restart the server.</p></body></html>`;

export default async function web(app: FastifyInstance): Promise<void> {
  serveBuilt(app, { dir: app.config.webDir, files: FILES, csp: PAGE_CSP, notBuilt: NOT_BUILT, what: 'denouncer page; / explains how' });
}
