import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { HttpClient } from '../../client/http.js';
import { StaffClient, configuredOrigin, type Session } from '../../client/staff.js';
import { fileTrustStore } from '../../client/staff-trust-file.js';
import { decryptKeyFile, type KeyFileMeta, type StaffKeys } from '../../protocol/index.js';
import { withClientOptions, type ClientOptions } from '../common/options.js';
import { CliError } from '../common/output.js';
import { readSecret } from '../common/secrets.js';

// What every staff command shares: the key file (passphrase from a prompt, a file or
// TIPLINE_PASSPHRASE — never argv) and the session state, one token per server and
// staff member, in TIPLINE_HOME/sessions.json (mode 0600); beside it the agency pins and
// highest bundle serials seen (agency-pins.json, src/client/staff-trust-file.ts).

export interface StaffOptions extends ClientOptions { key?: string; passphraseFile?: string; home: string; origin?: string }

/** The options about this machine's state and the origin it signs, shared with `tipline demo`. */
export function withHomeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--home <dir>', 'where session state and agency pins are kept').env('TIPLINE_HOME').default(join(homedir(), '.tipline')))
    .addOption(new Option('--origin <origin>', "the server's public origin, signed into logins (default: the origin of --server)").env('TIPLINE_ORIGIN'));
}

export function withStaffOptions(cmd: Command): Command {
  return withHomeOptions(withClientOptions(cmd)
    .addOption(new Option('--key <file>', 'your key file').env('TIPLINE_KEY'))
    .option('--passphrase-file <file>', "file whose first line is the key file's passphrase (else TIPLINE_PASSPHRASE or a prompt)"));
}

/** The origin this client signs: --origin, else --server's; never one the server names. */
export function signedOrigin(opts: Pick<StaffOptions, 'server' | 'origin'>): string {
  if (!opts.origin) return configuredOrigin(httpFor(opts));
  try {
    return new URL(opts.origin).origin;
  } catch {
    throw new CliError(`--origin ${opts.origin} is not an origin such as https://tipline.example.gov.vn`);
  }
}

interface State { sessions: Record<string, Session>; current: Record<string, string> }

const statePath = (home: string) => join(home, 'sessions.json');

export async function loadState(home: string): Promise<State> {
  try {
    return JSON.parse(await readFile(statePath(home), 'utf8')) as State;
  } catch {
    return { sessions: {}, current: {} };
  }
}

export async function saveState(home: string, state: State): Promise<void> {
  const path = statePath(home);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, JSON.stringify(state, null, 2), { mode: 0o600 });
  await chmod(path, 0o600);
}

export const httpFor = (opts: Pick<ClientOptions, 'server'>) => new HttpClient({ baseUrl: opts.server });

export async function keyFileMeta(file: string): Promise<KeyFileMeta> {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { meta?: KeyFileMeta }).meta ?? {};
  } catch {
    throw new CliError(`cannot read the key file ${file}`);
  }
}

export async function unlockKeys(opts: StaffOptions, file = opts.key): Promise<{ keys: StaffKeys; meta: KeyFileMeta }> {
  if (!file) throw new CliError('give your key file with --key (or TIPLINE_KEY)');
  const passphrase = await readSecret({ file: opts.passphraseFile, envVar: 'TIPLINE_PASSPHRASE', prompt: `passphrase for ${file}: ` });
  try {
    return await decryptKeyFile(await readFile(file, 'utf8'), passphrase);
  } catch {
    throw new CliError(`cannot open ${file}: wrong passphrase or not a key file`);
  }
}

/** The logged-in client for the key file's staff member (or the last one to log in here). */
export async function staffClient(opts: StaffOptions): Promise<StaffClient> {
  const state = await loadState(opts.home);
  const staffId = opts.key ? (await keyFileMeta(opts.key)).staffId : state.current[opts.server];
  const session = staffId ? state.sessions[`${opts.server}|${staffId}`] : undefined;
  if (!session || Date.parse(session.expiresAt) <= Date.now()) throw new CliError('not logged in: run `tipline login --key <file>` first');
  return new StaffClient(httpFor(opts), session, fileTrustStore(opts.home));
}
