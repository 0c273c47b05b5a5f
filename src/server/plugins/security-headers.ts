import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

// Helmet's response headers on every response, in two sets. @fastify/helmet builds a new
// helmet middleware, parsing the whole policy again, on every request; these policies
// have no per-request part (no nonces), so helmet runs once at start-up against a
// recorder and each response gets the headers it set. A helmet that needs more of the
// response than setHeader/removeHeader fails start-up rather than sending fewer headers.
//
// Documents (the web page, its assets, the API reference, and anything that matched no
// API route, unknown paths included) get the whole document policy. Answers of the routes
// under the API prefix are JSON or sealed bytes that no browser renders as a page, and get
// the header set OWASP's REST Security
// Cheat Sheet gives for APIs: a CSP that forbids everything and all framing, nosniff,
// HSTS, no framing, no referrer, and same-origin resource policy. The headers left out
// there act only on a rendered document (COEP, COOP, Origin-Agent-Cluster, DNS prefetch,
// the legacy XSS filter) or on clients no API caller is (IE's download prompt, Flash and
// PDF cross-domain policies); each costs bytes on every answer of the busiest routes.

declare module 'fastify' {
  interface FastifyInstance {
    /** Sets the document policy on a reply no onRequest hook saw (a URL Fastify could not route: errors.ts). */
    setDocumentHeaders(reply: FastifyReply): void;
  }
}

export interface SecurityHeaderOptions {
  document: HelmetOptions;
  api: HelmetOptions;
  /** Routes whose pattern starts with it answer as an API; everything else is a document (fail closed). */
  apiPrefix: string;
}

function headersFrom(options: HelmetOptions): [string, string][] {
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
  return Object.entries(headers);
}

const hsts = { maxAge: 63072000, includeSubDomains: true };

/** The tipline server's headers; `tipline console` sends the same on 127.0.0.1. */
export const SECURITY_HEADERS: SecurityHeaderOptions = {
  apiPrefix: '/v1/',
  document: {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        workerSrc: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: true,
    referrerPolicy: { policy: 'no-referrer' },
    hsts,
  },
  api: {
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts,
    xContentTypeOptions: true,
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  },
};

export default fp(
  async (app: FastifyInstance, options: SecurityHeaderOptions) => {
    const document = headersFrom(options.document);
    const api = headersFrom(options.api);
    app.decorate('setDocumentHeaders', (reply: FastifyReply) => {
      for (const [name, value] of document) reply.raw.setHeader(name, value);
    });
    // On the raw response, as helmet itself does, so a hijacked reply has them too.
    app.addHook('onRequest', (request, reply, done) => {
      // The matched route's pattern, not the URL as sent (which may be percent-encoded).
      const headers = request.routeOptions.url?.startsWith(options.apiPrefix) ? api : document;
      for (const [name, value] of headers) reply.raw.setHeader(name, value);
      done();
    });
  },
  { name: 'tipline-security-headers' },
);
