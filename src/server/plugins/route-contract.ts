import type { FastifyContextConfig, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { declaredCodes, errorResponse } from '../error-responses.js';
import { errorCodes, type ErrorCode } from '../errors.js';
import { needsPow } from './pow.js';
import { staffRolesOf } from './staff-auth.js';

// What the API document says of each route that the route itself does not write down:
// the credentials it needs (`security`) and the refusals that the plugins in front of its
// handler answer with. Both are read from the options that make those plugins act
// (config.receipt, config.pow, config.budget, the requireStaff preHandler, the input
// schemas), so the document cannot call a route open while a plugin guards it, nor leave
// out a refusal a plugin sends. A route declares its answers and its handler's own codes
// (error-responses.ts) and nothing else: one that declares `security` itself, or no
// success answer, fails start-up.
//
// With `check` (TIPLINE_CHECK_RESPONSES, on in every test), an answer with a status its
// route does not declare fails the request, as an undeclared code does (response-serializer.ts).

type Security = Record<string, string[]>[];

const BODYLESS = new Set(['GET', 'HEAD']);

function preHandlers(route: RouteOptions): unknown[] {
  const p = route.preHandler;
  return p === undefined ? [] : Array.isArray(p) ? p : [p];
}

/** The staff roles a route admits (empty: any staff member), or undefined for a route without a session. */
function staffRoles(route: RouteOptions): readonly string[] | undefined {
  const found = preHandlers(route).map(staffRolesOf).filter((r) => r !== undefined);
  if (found.length > 1) throw new Error(`${route.url}: one requireStaff preHandler per route`);
  return found[0];
}

/** OpenAPI security: requirement objects are alternatives, so each admitted role is one. */
function securityOf(config: FastifyContextConfig, roles: readonly string[] | undefined): Security | undefined {
  if (config.receipt) return [{ receipt: [], pow: [] }];
  if (config.pow) return [{ pow: [] }];
  if (roles) return roles.length === 0 ? [{ staff: [] }] : roles.map((role) => ({ staff: [role] }));
  return undefined;
}

/** The codes the plugins answer with on this route, whatever its handler does. */
function pluginCodes(route: RouteOptions, config: FastifyContextConfig, roles: readonly string[] | undefined): ErrorCode[] {
  const s = route.schema ?? {};
  const methods = [route.method].flat();
  // Every route may find the database gone for a moment (db/unavailable.ts).
  const codes: ErrorCode[] = ['internal', 'unavailable'];
  if (s.body || s.querystring || s.params || s.headers) codes.push('validation_failed');
  // A body is read (and refused) on every method that may carry one, schema or not.
  if (methods.some((m) => !BODYLESS.has(m))) codes.push('bad_request', 'payload_too_large', 'unsupported_media_type');
  // A path that does not decode (invalid UTF-8 in a parameter) is refused before validation.
  if (route.url.includes(':')) codes.push('bad_request');
  if (config.budget !== 'none') codes.push('rate_limited');
  if (needsPow(config)) codes.push('pow_required', 'pow_invalid');
  // A receipt that opens no case is the same 404 as a missing thing (receipt-auth.ts).
  if (config.receipt) codes.push('unauthorized', 'not_found');
  if (roles) codes.push('unauthorized');
  if (roles?.length) codes.push('forbidden');
  return codes;
}

// Fastify adds a HEAD route beside each GET with the same schema object: completed once.
const completed = new WeakSet<object>();

function completeRoute(route: RouteOptions): void {
  const schema = route.schema;
  if (!schema || schema.hide || completed.has(schema)) return;
  completed.add(schema);
  const where = `${[route.method].flat().join(',')} ${route.url}`;
  if (schema.security) throw new Error(`${where}: security is read from the route's guards; do not declare it`);
  const response = (schema.response ?? {}) as Record<string, unknown>;
  if (!Object.keys(response).some((status) => status.startsWith('2'))) throw new Error(`${where}: declare the success answer`);
  const config = (route.config ?? {}) as FastifyContextConfig;
  const roles = staffRoles(route);
  const security = securityOf(config, roles);
  if (security) schema.security = security;
  const codes = new Map<string, ErrorCode[]>();
  for (const [status, declared] of Object.entries(response)) {
    if (status.startsWith('2')) continue;
    const list = declaredCodes(declared);
    // Another schema on an error status (the health check's 503) stays as it is.
    if (list) codes.set(status, [...list]);
  }
  for (const code of pluginCodes(route, config, roles)) {
    const status = String(errorCodes[code]);
    if (response[status] && !codes.has(status)) continue;
    codes.set(status, [...(codes.get(status) ?? []), code]);
  }
  for (const [status, list] of codes) response[status] = errorResponse(list);
  schema.response = response;
}

export default fp(
  async (app, options: { check: boolean }) => {
    app.addHook('onRoute', completeRoute);
    if (!options.check) return;
    app.addHook('onSend', async (request, reply) => {
      const response = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
      if (!response || request.routeOptions.schema?.hide) return;
      const status = String(reply.statusCode);
      if (!(status in response) && !(`${status[0]}XX` in response) && !('default' in response)) {
        throw new Error(`${request.method} ${request.routeOptions.url}: status ${status} is not declared`);
      }
    });
  },
  { name: 'tipline-route-contract' },
);
