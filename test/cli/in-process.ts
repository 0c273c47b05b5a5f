import { Command, CommanderError } from 'commander';
import { CliError } from '../../src/cli/common/output.js';
import { register } from '../../src/cli/denouncer/index.js';

// The denouncer's `tipline` commands run in this process, through the same commander
// registration as src/cli/main.ts, with stdout and stderr captured: a child process per
// command costs seconds on a loaded machine, and these tests run many of them.

export interface CliRun { code: number; stdout: string; stderr: string }

export async function denouncerCli(args: string[]): Promise<CliRun> {
  const program = new Command('tipline').exitOverride();
  register(program);
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const [writeOut, writeErr] = [stdout.write, stderr.write];
  stdout.write = ((chunk: unknown) => out.push(String(chunk)) > 0) as typeof stdout.write;
  stderr.write = ((chunk: unknown) => err.push(String(chunk)) > 0) as typeof stderr.write;
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CliError) {
      err.push(`tipline: ${e.message}\n`);
      code = e.exitCode;
    } else if (e instanceof CommanderError) code = e.exitCode;
    else throw e;
  } finally {
    stdout.write = writeOut;
    stderr.write = writeErr;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}
