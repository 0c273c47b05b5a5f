import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { CliError } from './output.js';

// Secrets (receipts, passphrases) never come from argv: argv is visible to every user
// of the machine (ps) and lands in shell history. They come from a prompt without
// echo, from stdin when it is not a terminal, from a file, or from an environment
// variable for scripts.

async function readStdinLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  throw new CliError('expected a line on standard input');
}

/** Prompts on the terminal without echoing what is typed. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError('cancelled', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}

export interface SecretSource { file?: string; envVar?: string; prompt: string }

export async function readSecret(source: SecretSource): Promise<string> {
  if (source.file) return (await readFile(source.file, 'utf8')).split(/\r?\n/)[0] ?? '';
  const fromEnv = source.envVar ? process.env[source.envVar] : undefined;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) return promptHidden(source.prompt);
  return readStdinLine();
}
