import { readFile } from 'node:fs/promises';
import { CliError } from '../common/output.js';

// A text given inline or from a file (`--reason` / `--reason-file`): a long reason is
// easier to write in an editor, and a file keeps it out of the shell's history.

export async function textOption(name: string, inline: string | undefined, file: string | undefined): Promise<string | undefined> {
  if (inline !== undefined && file !== undefined) throw new CliError(`give --${name} or --${name}-file, not both`);
  if (file === undefined) return inline;
  try {
    return (await readFile(file, 'utf8')).trimEnd();
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
}
