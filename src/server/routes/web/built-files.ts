import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chooseEncoding, type Encoding } from './encoding.js';

// A built bundle (the denouncer page, the staff console) served from the directory its
// build wrote, from memory, so what is served is exactly what was built and hashed into
// its BUNDLE-HASH.txt. Each request checks the build's stamp file (one stat): when a new
// build has replaced it, the bundle is read again, so `npm run build` is served without
// a restart and the hash an operator publishes is the hash served; every switch is
// logged with that hash. Used by the tipline server and by `tipline console` on a staff
// member's own machine, so both serve the same bytes with the same headers.

export interface ServedFile {
  file: string;
  type: string;
  /** Hashed name: cached by browsers for a year, never revalidated. */
  immutable?: boolean;
  /** Precompressed copies beside it (<file>.br, <file>.gz). */
  encodings?: readonly Encoding[];
}

export interface BuiltBundle {
  dir: string;
  /** URL of index.html; the other files are served at prefix + file name. */
  prefix: string;
  /** Written last by the build: a change means a new build is complete. */
  stamp: string;
  /** The files of the build in `dir`, index.html first. */
  list(dir: string): Promise<ServedFile[]>;
  /** The document's own Content-Security-Policy (sent with index.html only). */
  csp: string;
  /** The 503 page when the bundle was not built. */
  notBuilt: string;
  /** Names the bundle in the log. */
  what: string;
  /** Changes index.html before it is served (the local console names its server's origin). */
  rewriteIndex?: (html: string) => string;
}

interface LoadedFile { served: ServedFile; body: Buffer; br?: Buffer; gz?: Buffer }
interface Loaded { stamp: string; files: Map<string, LoadedFile>; indexSha256: string }

const IMMUTABLE = 'public, max-age=31536000, immutable';

async function stampOf(bundle: BuiltBundle): Promise<string | null> {
  try {
    const s = await stat(join(bundle.dir, bundle.stamp));
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function readBuilt(bundle: BuiltBundle, stamp: string): Promise<Loaded> {
  const files = new Map<string, LoadedFile>();
  for (const served of await bundle.list(bundle.dir)) {
    const path = join(bundle.dir, served.file);
    const f: LoadedFile = { served, body: await readFile(path) };
    if (served.encodings?.includes('br')) f.br = await readFile(`${path}.br`);
    if (served.encodings?.includes('gzip')) f.gz = await readFile(`${path}.gz`);
    files.set(served.file, f);
  }
  const index = files.get('index.html');
  if (!index) throw new Error(`${bundle.what}: the build in ${bundle.dir} has no index.html`);
  const indexSha256 = createHash('sha256').update(index.body).digest('hex');
  if (bundle.rewriteIndex) {
    // Rewritten here, so the precompressed copies no longer match: served plain.
    files.set('index.html', { served: { ...index.served, encodings: [] }, body: Buffer.from(bundle.rewriteIndex(index.body.toString('utf8')), 'utf8') });
  }
  return { stamp, files, indexSha256 };
}

function send(req: FastifyRequest, reply: FastifyReply, f: LoadedFile, csp: string | undefined): FastifyReply {
  if (csp) reply.header('content-security-policy', csp);
  if (f.served.immutable) reply.header('cache-control', IMMUTABLE);
  reply.type(f.served.type);
  if (!f.br && !f.gz) return reply.send(f.body);
  reply.header('vary', 'Accept-Encoding');
  const encoding = chooseEncoding(req.headers['accept-encoding'], { br: Boolean(f.br), gzip: Boolean(f.gz) });
  if (encoding === 'br') return reply.header('content-encoding', 'br').send(f.br);
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(f.gz);
  return reply.send(f.body);
}

export function serveBuilt(app: FastifyInstance, bundle: BuiltBundle): void {
  let current: Loaded | null = null;
  let pending: Promise<Loaded | null> | undefined;
  let warned = false;
  // One stat per request; at most one reload at a time, shared by the requests that see it.
  const load = (): Promise<Loaded | null> => {
    pending ??= (async () => {
      const stamp = await stampOf(bundle);
      if (stamp === null) {
        if (!warned) app.log.warn(`${bundle.what} not built`);
        warned = true;
        current = null;
      } else if (current?.stamp !== stamp) {
        current = await readBuilt(bundle, stamp);
        warned = false;
        app.log.info(`${bundle.what}: serving the build in ${bundle.dir}, index.html sha256:${current.indexSha256}`);
      }
      return current;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  // Said on start, so the operator sees which hash to publish before anyone loads the page.
  app.addHook('onReady', async () => {
    await load().catch((err: unknown) => app.log.error({ err }, `${bundle.what}: the build could not be read`));
  });
  const options = { config: { budget: 'page' }, schema: { hide: true } } as const;
  app.get(bundle.prefix, options, async (req, reply) => {
    const index = (await load())?.files.get('index.html');
    if (!index) return reply.code(503).type('text/html; charset=utf-8').send(bundle.notBuilt);
    return send(req, reply, index, bundle.csp);
  });
  // Only names shaped like a build's files reach the page budget; any other path is the
  // not-found handler's, on the anonymous budget, so a flood of made-up paths cannot spend
  // the budget the page itself is served from.
  app.get<{ Params: { asset: string } }>(`${bundle.prefix}:asset(^[A-Za-z0-9._-]+\\.(?:js|css|txt|json)$)`, options, async (req, reply) => {
    const name = req.params.asset;
    const f = name === 'index.html' ? undefined : (await load())?.files.get(name);
    if (!f) return reply.callNotFound();
    return send(req, reply, f, undefined);
  });
}
