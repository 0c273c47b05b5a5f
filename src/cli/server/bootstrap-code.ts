import type { Command } from 'commander';
import { loadConfig } from '../../server/config.js';
import { issueBootstrapCode } from '../../server/db/agencies.js';
import { connectDatabase } from '../../server/db/connect.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { emit } from '../common/output.js';
import { writeBootstrapCode } from '../staff/bootstrap.js';

// `tipline bootstrap-code`: a fresh one-time code for creating a further agency. It is
// an operator's command, run where the server's database is reachable — the same
// trust as the first start's code, which only the data directory's owner can read.
// Only one code is outstanding at a time: a new one replaces any unspent one.

export function registerBootstrapCode(program: Command): void {
  program
    .command('bootstrap-code')
    .description('issue a one-time code for creating another agency (operators; replaces any unspent code)')
    .option('--print', 'print the code on stdout instead of writing <data dir>/bootstrap-code')
    .option('--json', 'print machine-readable JSON')
    .addHelpText('after', `
The code is written to <data dir>/bootstrap-code (mode 0600) unless --print is given;
the database stores only its hash. Hand it to the agency's head, who runs
  tipline agency create --slug … --name … --agency-key … --bootstrap-code-file <file>
Uses DATABASE_URL, or the embedded database in TIPLINE_DATA_DIR (default ./data);
stop a server using the embedded database first, as only one process can open it.`)
    .action(async (opts: { print?: boolean; json?: boolean }) => {
      const config = loadConfig();
      const db = await connectDatabase(config);
      try {
        await migrateToLatest(db);
        const code = await issueBootstrapCode(db, true);
        if (!code) throw new Error('the code could not be stored');
        if (opts.print) {
          emit(opts, { code }, () => code);
          return;
        }
        const file = await writeBootstrapCode(config.dataDir, code);
        emit(opts, { file }, () => `a one-time code for creating another agency is in ${file}; any earlier unspent code no longer works`);
      } finally {
        await db.destroy();
      }
    });
}
