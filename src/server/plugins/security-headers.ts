import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

// Helmet's response headers on every response. @fastify/helmet builds a new helmet
// middleware, parsing the whole policy again, on every request; the policy here has no
// per-request part (no nonces), so helmet runs once at start-up against a recorder and
// each response gets the headers it set. A helmet that needs more of the response than
// setHeader/removeHeader fails start-up rather than sending fewer headers.

function headersFrom(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let failed: unknown;
  helmet(options)({} as never, recorder as never, (err?: unknown) => {
    failed = err;
  });
  if (failed || Object.keys(headers).length === 0) throw new Error('helmet did not produce its headers', { cause: failed });
  return headers;
}

export default fp(
  async (app: FastifyInstance, options: HelmetOptions) => {
    const headers = Object.entries(headersFrom(options));
    // On the raw response, as helmet itself does, so a hijacked reply has them too.
    app.addHook('onRequest', (_request, reply, done) => {
      for (const [name, value] of headers) reply.raw.setHeader(name, value);
      done();
    });
  },
  { name: 'tipline-security-headers' },
);
