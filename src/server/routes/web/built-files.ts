import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

// A built bundle (the denouncer page, the staff console) served from the directory its
// build wrote. Files are read once, at the first request, and kept in memory, so what is
// served is exactly what was built and hashed into its BUNDLE-HASH.txt (a new build
// needs a restart). Used by the tipline server and by `tipline console` on a staff
// member's own machine, so both serve the same bytes with the same headers.

export interface ServedFile { path: string; file: string; type: string }

export interface BuiltBundle {
  dir: string;
  files: readonly ServedFile[];
  /** The document's own Content-Security-Policy (sent with index.html only). */
  csp: string;
  /** The 503 page when the bundle was not built. */
  notBuilt: string;
  /** Logged once when the bundle is missing. */
  what: string;
  /** Changes index.html before it is served (the local console names its server's origin). */
  rewriteIndex?: (html: string) => string;
}

async function readBuilt(bundle: BuiltBundle): Promise<Map<string, Buffer> | null> {
  const files = new Map<string, Buffer>();
  try {
    for (const f of bundle.files) files.set(f.file, await readFile(join(bundle.dir, f.file)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const index = files.get('index.html');
  if (index && bundle.rewriteIndex) files.set('index.html', Buffer.from(bundle.rewriteIndex(index.toString('utf8')), 'utf8'));
  return files;
}

export function serveBuilt(app: FastifyInstance, bundle: BuiltBundle): void {
  let built: Promise<Map<string, Buffer> | null> | undefined;
  const load = () => {
    built ??= readBuilt(bundle).then((files) => {
      if (files === null) app.log.warn(`${bundle.what} not built`);
      return files;
    });
    return built;
  };
  for (const f of bundle.files) {
    app.get(f.path, { config: { budget: 'page' }, schema: { hide: true } }, async (_req, reply) => {
      const body = (await load())?.get(f.file);
      if (body === undefined) return reply.code(503).type('text/html; charset=utf-8').send(bundle.notBuilt);
      if (f.file === 'index.html') reply.header('content-security-policy', bundle.csp);
      return reply.type(f.type).send(body);
    });
  }
}
