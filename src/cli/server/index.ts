import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import { connectDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { emit } from '../common/output.js';
import { registerBackup } from './backup.js';
import { registerBootstrapCode } from './bootstrap-code.js';
import { serve } from './serve.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('start the API server and the denouncer page (embedded database unless DATABASE_URL is set)')
    .option('--port <port>', 'port to listen on, 0 for any free one (default: PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: HOST or 127.0.0.1)')
    .action(async (opts: { port?: string; host?: string }) => {
      const env = { ...process.env, ...(opts.port ? { PORT: opts.port } : {}), ...(opts.host ? { HOST: opts.host } : {}) };
      await serve(env);
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option('--json', 'print machine-readable JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const db = await connectDatabase(config);
      try {
        const report = await migrateToLatest(db, (name, i, total) => {
          if (!opts.json) process.stderr.write(`đang áp dụng / applying migration ${i}/${total}: ${name}\n`);
        });
        emit(opts, report, () => (report.applied.length
          ? `đã áp dụng ${report.applied.length} bản nâng cấp; lược đồ đã mới nhất / applied ${report.applied.length} migration(s); schema is up to date`
          : 'lược đồ đã mới nhất / schema is already up to date'));
      } finally {
        await db.destroy();
      }
    });

  registerBootstrapCode(program);
  registerBackup(program);
}
