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
// side. Each area registers its own sub-commands. main.ts runs it for a shell; the tests
// run the same program in their own process (test/cli/in-process.ts).

export function tiplineProgram(): Command {
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
  return program;
}

/**
 * Runs one command line and answers its exit code: 0, a refusal's own code (one line on
 * stderr, no stack trace), 2 for configuration, 1 for anything unexpected.
 */
export async function runTipline(args: readonly string[], from: 'node' | 'user' = 'node'): Promise<number> {
  try {
    await tiplineProgram().parseAsync([...args], { from });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError || err instanceof ConfigError || err instanceof DataDirectoryBusyError) {
      process.stderr.write(`tipline: ${err.message}\n`);
      return err instanceof CliError ? err.exitCode : 2;
    }
    process.stderr.write(`tipline: unexpected error: ${(err as Error).message}\n`);
    return 1;
  }
}
