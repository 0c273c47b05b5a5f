import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// Serves the denouncer page (built by src/web/build.ts into config.webDir) from the
// server itself: no CDN, no font, no analytics. Files are read once and kept in memory,
// so what is served is exactly what was built and hashed into BUNDLE-HASH.txt.

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

async function readBuilt(dir: string): Promise<Map<string, Buffer> | null> {
  const files = new Map<string, Buffer>();
  try {
    for (const f of FILES) files.set(f.file, await readFile(join(dir, f.file)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return files;
}

export default async function web(app: FastifyInstance): Promise<void> {
  // Read once, on the first request for the page, and kept: the served bytes never
  // change under a running server (a new build needs a restart).
  let built: Promise<Map<string, Buffer> | null> | undefined;
  const load = () => {
    built ??= readBuilt(app.config.webDir).then((files) => {
      if (files === null) app.log.warn('denouncer page not built; / explains how');
      return files;
    });
    return built;
  };
  for (const f of FILES) {
    app.get(f.path, { config: { budget: 'page' }, schema: { hide: true } }, async (_req, reply) => {
      const body = (await load())?.get(f.file);
      if (body === undefined) {
        return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
      }
      if (f.file === 'index.html') reply.header('content-security-policy', PAGE_CSP);
      return reply.type(f.type).send(body);
    });
  }
}
