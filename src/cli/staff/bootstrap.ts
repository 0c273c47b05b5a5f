import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueBootstrapCode } from '../../server/db/agencies.js';
import type { Database } from '../../server/db/connect.js';

/**
 * On a server with no agency yet, issues the one-time bootstrap code and writes it to
 * <dataDir>/bootstrap-code (0600): only whoever can read the server's data directory
 * can create the first agency. The code is never logged.
 */
export async function announceBootstrapCode(db: Database, dataDir: string): Promise<void> {
  const code = await issueBootstrapCode(db);
  if (!code) return;
  const file = await writeBootstrapCode(dataDir, code);
  process.stderr.write(`first start: the one-time code for creating the first agency is in ${file}\n`);
}

/** Writes a bootstrap code where only the server's operator can read it; returns the path. */
export async function writeBootstrapCode(dataDir: string, code: string): Promise<string> {
  const dir = dataDir === 'memory://' ? 'data' : dataDir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'bootstrap-code');
  await writeFile(file, `${code}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; an older code's file keeps its own.
  await chmod(file, 0o600);
  return file;
}
