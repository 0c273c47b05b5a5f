import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/connect.js';
import { logDestination, loggerOptions, RequestLogController } from './logger.js';
import errors, { refuseUnroutableUrl } from './plugins/errors.js';
import notificationDigest from './plugins/notification-digest.js';
import openapi from './plugins/openapi.js';
import pow from './plugins/pow.js';
import rateLimit from './plugins/rate-limit.js';
import receiptAuth from './plugins/receipt-auth.js';
import { responseSerializerCompiler } from './plugins/response-serializer.js';
import routeContract from './plugins/route-contract.js';
import securityHeaders, { SECURITY_HEADERS } from './plugins/security-headers.js';
import staffAuth from './plugins/staff-auth.js';
import { routes } from './routes/index.js';

export interface AppDeps {
  db: Database;
  /** Where logs go; tests pass a capture stream to prove what is (not) logged. */
  logStream?: NodeJS.WritableStream;
  /**
   * The clock budget windows are counted on (plugins/rate-limit.ts): Date.now. Tests pass
   * a stopped one, so a count they rely on never straddles the turn of a window.
   */
  budgetClock?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    budgetClock: () => number;
    db: Database;
  }
}

/** Builds the whole app on an open, migrated database. Never listens (see src/cli/server/serve.ts). */
export async function buildApp(config: Config, deps: AppDeps): Promise<FastifyInstance> {
  const logStream = deps.logStream ?? logDestination();
  const app = Fastify({
    logger: loggerOptions(config, logStream),
    logController: new RequestLogController(config, logStream),
    // No request ids derived from the client, and no IP resolution from proxies unless
    // asked: nothing below reads the address anyway.
    trustProxy: config.trustProxy,
    bodyLimit: config.maxBodyBytes,
    genReqId: () => '',
    // Building the OpenAPI document from every route's zod schemas takes seconds on a busy
    // two-core machine; Fastify's 10 s default then fails a healthy start-up.
    pluginTimeout: 60_000,
    frameworkErrors: (_error, _request, reply) => refuseUnroutableUrl(reply),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ check: config.checkResponses }));
  app.decorate('config', config);
  app.decorate('db', deps.db);
  app.decorate('budgetClock', deps.budgetClock ?? Date.now);

  await app.register(securityHeaders, SECURITY_HEADERS);
  // Nothing a denouncer fetches may sit in a shared or browser cache, except the page's
  // content-hashed files, which say so themselves (routes/web/built-files.ts).
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  // Budgets per kind of traffic, then the proof of work (its hook runs after theirs):
  // plugins/rate-limit.ts and plugins/pow.ts. Registered before any route, 404s included.
  await app.register(receiptAuth);
  await app.register(rateLimit);
  await app.register(pow);
  await app.register(errors);
  await app.register(openapi);
  await app.register(routeContract, { check: config.checkResponses });
  await app.register(staffAuth);
  await app.register(notificationDigest);
  await app.register(routes);
  return app;
}
