import { buildApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import { connectDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { announceBootstrapCode } from '../staff/bootstrap.js';

// The one place that listens. On SIGTERM/SIGINT the server stops accepting, lets
// in-flight requests finish (bounded by a grace period), then closes the database.

export async function serve(config: Config): Promise<void> {
  const db = await connectDatabase(config);
  const where = config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`;
  const { applied } = await migrateToLatest(db, (name, i, total) =>
    process.stderr.write(`applying migration ${i}/${total}: ${name}\n`),
  );
  if (applied.length) process.stderr.write(`schema up to date (${applied.length} applied)\n`);
  await announceBootstrapCode(db, config.dataDir);
  const app = await buildApp(config, { db });
  app.addHook('onClose', async () => {
    await db.destroy();
  });
  await app.listen({ port: config.port, host: config.host });
  process.stderr.write(`tipline listening on http://${config.host}:${app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.port} (${where})\n`);

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
