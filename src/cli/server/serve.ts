import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { connectDatabase, type Database } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { announceBootstrapCode } from '../staff/bootstrap.js';

// The one place that listens. On SIGTERM/SIGINT the server stops accepting, lets
// in-flight requests finish (bounded by a grace period), then closes the database.

type Env = Record<string, string | undefined>;

export async function serve(env: Env): Promise<void> {
  const config = loadConfig(env);
  const db = await connectDatabase(config);
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`;
  const { applied } = await migrateToLatest(db, (name, i, total) =>
    process.stderr.write(`applying migration ${i}/${total}: ${name}\n`),
  );
  if (applied.length) process.stderr.write(`schema up to date (${applied.length} applied)\n`);
  await announceBootstrapCode(db, config.dataDir);
  const { app, bound } = await listen(env, config, db);
  const url = `http://${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`;
  const signed = bound.origin === new URL(url).origin ? '' : `; staff logins are bound to ${bound.origin}`;
  process.stderr.write(`tipline listening on ${url} (${where})${signed}\n`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stderr.write(`${signal}: finishing in-flight requests…\n`);
    const timer = setTimeout(() => process.exit(1), config.shutdownGraceSeconds * 1000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/**
 * Builds the app and listens. Staff sign the server's origin into every login, so with
 * PORT=0 the origin (unless TIPLINE_ORIGIN names a public one) must carry the port the
 * system chose, never ":0", which no client signs. The port is drawn from the system
 * before the app is built, so the app knows its origin from the start; should another
 * process take that port in the moment between, another is drawn.
 */
async function listen(env: Env, config: Config, db: Database): Promise<{ app: FastifyInstance; bound: Config }> {
  for (let attempt = 1; ; attempt++) {
    const bound = config.port === 0 ? loadConfig({ ...env, PORT: String(await freePort(config.host)) }) : config;
    const app = await buildApp(bound, { db });
    // The database outlives an app that failed to listen: the next attempt uses it.
    let serving = false;
    app.addHook('onClose', async () => {
      if (serving) await db.destroy();
    });
    try {
      await app.listen({ port: bound.port, host: bound.host });
      serving = true;
      return { app, bound };
    } catch (e) {
      await app.close();
      if (config.port !== 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 3) throw e;
    }
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject).listen({ port: 0, host }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
