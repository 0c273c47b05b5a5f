import { createInterface } from 'node:readline/promises';
import { CliError } from './output.js';

// A yes/no question before an irreversible step. Scripts say --yes; without it and
// without a terminal to ask on, the answer is no.

export async function confirmed(question: string, opts: { yes?: boolean }): Promise<boolean> {
  if (opts.yes) return true;
  if (!process.stdin.isTTY) throw new CliError('nothing was done: confirm on a terminal, or pass --yes from a script');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
