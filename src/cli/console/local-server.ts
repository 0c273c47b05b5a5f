import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { consoleBundle } from '../../server/routes/console/index.js';
import { serveBuilt } from '../../server/routes/web/built-files.js';
import securityHeaders, { SECURITY_HEADERS } from '../../server/plugins/security-headers.js';

// `tipline console`: the staff console served from this machine's own install, so the
// code that decrypts never comes from the tipline server (docs/CONSOLE.md). The page's
// API calls go to this same origin (CSP connect-src 'self') and are relayed to the one
// configured server; the origin the page signs into a login is the configured one,
// written into the page here, never one the server names.

export interface LocalConsoleOptions {
  /** The built console (dist/console). */
  consoleDir: string;
  /** The tipline server the API calls go to. */
  server: string;
  /** The server's public origin, signed into logins (default: the origin of `server`). */
  origin?: string;
}

/** Headers the console sends that the server needs; nothing else (no cookie, referer, user agent) is relayed. */
const FORWARDED_REQUEST = ['accept', 'authorization', 'content-type'] as const;
// Not content-length: fetch decodes a compressed answer, so the length would no longer match.
const FORWARDED_RESPONSE = ['content-type', 'retry-after'] as const;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const escapeAttribute = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The empty `tipline-origin` meta of the built page, filled with the configured origin. */
export function withOrigin(html: string, origin: string): string {
  const empty = '<meta name="tipline-origin" content="">';
  if (!html.includes(empty)) throw new Error('the built console has no tipline-origin meta; rebuild it');
  return html.replace(empty, `<meta name="tipline-origin" content="${escapeAttribute(origin)}">`);
}

async function relay(app: FastifyInstance, server: string): Promise<void> {
  // The body is passed through as the raw stream: the server enforces its own limits.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  app.all('/v1/*', async (request, reply) => {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers, redirect: 'manual' };
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.body) {
      init.body = request.body as ReadableStream;
      init.duplex = 'half';
    }
    let answer: Response;
    try {
      answer = await fetch(`${server}${request.url}`, init);
    } catch {
      return reply.code(502).send({ error: { code: 'server_unreachable', message: 'the tipline server did not answer' } });
    }
    reply.code(answer.status);
    for (const name of FORWARDED_RESPONSE) {
      const value = answer.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    return reply.send(answer.body ? Readable.fromWeb(answer.body as never) : null);
  });
}

/** The local console app; the caller listens on 127.0.0.1. */
export async function buildLocalConsole(options: LocalConsoleOptions): Promise<FastifyInstance> {
  const server = new URL(options.server).origin;
  const origin = new URL(options.origin ?? server).origin;
  const app = Fastify({ logger: false });
  await app.register(securityHeaders, SECURITY_HEADERS);
  // A page on another site that points a host name at 127.0.0.1 (DNS rebinding) is
  // refused: only requests addressed to this machine by name reach the relay.
  app.addHook('onRequest', (request, reply, done) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!LOCAL_HOSTS.has(host)) {
      reply.code(421).send({ error: { code: 'wrong_host', message: 'the console answers only on 127.0.0.1' } });
      return;
    }
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  serveBuilt(app, consoleBundle(options.consoleDir, '/', (html) => withOrigin(html, origin)));
  await relay(app, server);
  return app;
}
