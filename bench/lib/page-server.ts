import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBackend } from '../../src/protocol/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { connectDatabase } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { buildWeb } from '../../src/web/build.js';
import { seedAgency } from './seed.js';

// The built denouncer page served by a tipline server on 127.0.0.1 with one agency, for
// the browser benches (page load, proof of work): the page as `npm run build` makes it,
// the budgets a bench would trip opened, everything else as configured by default.

export interface PageServer { url: string; config: Config; close(): Promise<void> }

export async function startPageServer(name: string, overrides: Partial<Config> = {}): Promise<PageServer> {
  const work = mkdtempSync(join(tmpdir(), `tipline-bench-${name}-`));
  const webDir = join(work, 'web');
  await buildWeb({ outDir: webDir, trustedAgencies: {} });
  const config = loadConfig(
    { LOG_LEVEL: 'warn', HOST: '127.0.0.1', TIPLINE_DATA_DIR: join(work, 'data') },
    { webDir, pagePerMinute: 1_000_000, rateLimitPerMinute: 1_000_000, ...overrides },
  );
  const db = await connectDatabase(config);
  await migrateToLatest(db);
  await seedAgency(db, await loadBackend('sodium'));
  const app = await buildApp(config, { db });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    config,
    async close() {
      await app.close();
      await db.destroy();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium flags for a bench; without WebAssembly as Tor Browser "Safer" runs (test/web/nowasm.test.ts). */
export function benchBrowserArgs(wasm: boolean): string[] {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
  if (!wasm) args.push('--js-flags=--jitless --noexpose_wasm');
  return args;
}
