import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, link, mkdir, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CliError } from './output.js';

// Every file holding a secret (key files, passphrases, receipts, the demo's ids) is
// written here, and none is ever overwritten: an agency key file may be the only copy
// of the agency's signing key, and a second run that replaced it left an agency no one
// could add staff to again. The file appears whole or not at all: written to a private
// temporary file, flushed, then hard-linked to its name — link() fails if the name
// exists, so two runs racing for one name cannot both win and neither replaces it.

export class SecretFileExistsError extends CliError {
  constructor(readonly path: string) {
    super(`${path} already exists; refusing to overwrite it (it may hold the only copy of a key). Choose another file name, or move it away first.`);
  }
}

/** Writes `text` to a new file at `path` (mode 0600, parent directories 0700); never replaces one. */
export async function writeSecretFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new SecretFileExistsError(path);
    throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** The paths that already exist, so a command can refuse before it does anything. */
export async function existingFiles(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => access(p, constants.F_OK).then(() => p, () => undefined)));
  return found.filter((p): p is string => p !== undefined);
}
