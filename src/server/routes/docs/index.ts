import type { FastifyInstance } from 'fastify';
import { errorMeanings } from '../../errors.js';
import { renderReference, type Document } from './render.js';
import { REFERENCE_CSS } from './style.js';

// /docs/api: the API reference, rendered on the server from the app's own OpenAPI
// document. It has no script (nothing for the document CSP to block, no renderer package
// to ship) and it is rendered once, on the first request, as the document never changes
// under a running server.

const STYLESHEET = '/docs/api/reference.css';

export default async function docs(app: FastifyInstance): Promise<void> {
  let page: string | undefined;
  app.get('/docs/api', { config: { budget: 'page' }, schema: { hide: true } }, async (_request, reply) => {
    page ??= renderReference(app.swagger() as unknown as Document, STYLESHEET, errorMeanings);
    return reply.type('text/html; charset=utf-8').send(page);
  });
  app.get(STYLESHEET, { config: { budget: 'page' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(REFERENCE_CSS));
}
