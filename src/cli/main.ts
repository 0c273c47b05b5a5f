#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../server/config.js';
import { DataDirectoryBusyError } from '../server/db/data-dir.js';
import { CliError } from './common/output.js';
import { register as registerConsole } from './console/index.js';
import { register as registerDenouncer } from './denouncer/index.js';
import { register as registerServer } from './server/index.js';
import { register as registerStaff } from './staff/index.js';
import { register as registerWorkflow } from './workflow/index.js';

// The `tipline` command: server administration, the denouncer's side and the staff's
// side. Each area registers its own sub-commands.

const program = new Command('tipline')
  .description('tipline — anonymous, end-to-end encrypted tip line')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerServer(program);
registerDenouncer(program);
registerStaff(program);
registerWorkflow(program);
registerConsole(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof CliError || err instanceof ConfigError || err instanceof DataDirectoryBusyError) {
    process.stderr.write(`tipline: ${err.message}\n`);
    process.exit(err instanceof CliError ? err.exitCode : 2);
  }
  process.stderr.write(`tipline: unexpected error: ${(err as Error).message}\n`);
  process.exit(1);
}
