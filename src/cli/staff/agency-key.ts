import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { pinnedAgency } from '../../client/staff-trust-file.js';
import { agencyFingerprint, loadBackend, signAgencyKeyTransition, transitionToJson, type AgencyKeyTransitionJson } from '../../protocol/index.js';
import { existingFiles, SecretFileExistsError } from '../common/key-files.js';
import { CliError, emit } from '../common/output.js';
import { unlockKeys, withHomeOptions, type StaffOptions } from './context.js';
import { run } from './run.js';

// `tipline agency rotate-key` (offline, where the agency keys are): the statement by which
// the agency's current signing key hands over to a new one (PROTOCOL.md §9.2), signed by
// both. `tipline bundle publish --agency-key <new> --key-transition <statement>` then
// publishes it with the first bundle the new key signs; every pinned client follows it.
// A leaked key cannot be retired this way (whoever holds it can sign statements too): see
// docs/OPERATIONS.md, "A leaked agency key", for the re-pin.

type RotateOptions = StaffOptions & { agencyId: string; agencyKey: string; newAgencyKey: string; serial?: string; out: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The serial the new key starts at: given, or the one after the newest this machine has seen. */
async function effectiveSerial(opts: RotateOptions): Promise<number> {
  if (opts.serial !== undefined) {
    const n = Number(opts.serial);
    if (!/^\d+$/.test(opts.serial) || !Number.isSafeInteger(n) || n < 2) throw new CliError('--serial is a whole number ≥ 2: the first bundle serial the new key signs');
    return n;
  }
  const pin = await pinnedAgency(opts.home, opts.agencyId);
  if (!pin || pin.highestSerial < 1) throw new CliError(`no bundle of agency ${opts.agencyId} seen on this machine: give --serial (the current bundle's serial + 1)`);
  return pin.highestSerial + 1;
}

/** A statement file as `rotate-key` writes it. */
export async function readKeyTransition(file: string): Promise<AgencyKeyTransitionJson> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as AgencyKeyTransitionJson;
  } catch {
    throw new CliError(`cannot read ${file} as a key transition statement (from \`tipline agency rotate-key\`)`);
  }
}

export function registerAgencyKey(agency: Command): void {
  withHomeOptions(agency.command('rotate-key')
    .description("offline: sign the statement that hands the agency's signing key over to a new one (publish it with `bundle publish --key-transition`)"))
    .requiredOption('--agency-id <id>', 'the agency id')
    .requiredOption('--agency-key <file>', 'the current agency key file')
    .requiredOption('--new-agency-key <file>', 'the new agency key file, from `tipline keys new --agency`')
    .option('--serial <n>', 'the first bundle serial the new key signs (default: one above the newest seen on this machine)')
    .requiredOption('--out <file>', 'where to write the statement (public: no secret in it)')
    .option('--passphrase-file <file>', 'file holding the key files\' passphrase (else TIPLINE_PASSPHRASE or a prompt per file)')
    .option('--json', 'print machine-readable JSON')
    .action(run(async (opts: RotateOptions) => {
      if (!UUID.test(opts.agencyId)) throw new CliError(`"${opts.agencyId}" is not an agency id (a lower-case UUID)`);
      if ((await existingFiles([opts.out])).length) throw new SecretFileExistsError(opts.out);
      const serial = await effectiveSerial(opts);
      const be = await loadBackend();
      const { keys: old } = await unlockKeys(opts, opts.agencyKey);
      const { keys: next } = await unlockKeys(opts, opts.newAgencyKey);
      const fields = { agencyId: opts.agencyId, oldPublicKey: old.signPublicKey, newPublicKey: next.signPublicKey, effectiveSerial: serial, issuedOn: new Date().toISOString().slice(0, 10) };
      let statement: AgencyKeyTransitionJson;
      try {
        statement = transitionToJson(signAgencyKeyTransition(be, fields, old.signSecretKey, next.signSecretKey));
      } catch {
        throw new CliError('cannot sign: the two key files must hold two different agency keys');
      }
      await writeFile(opts.out, `${JSON.stringify({ agencyId: opts.agencyId, ...statement }, null, 2)}\n`, { flag: 'wx' });
      const from = agencyFingerprint(be, old.signPublicKey);
      const to = agencyFingerprint(be, next.signPublicKey);
      emit(opts, { file: opts.out, agencyId: opts.agencyId, effectiveSerial: serial, oldFingerprint: from, newFingerprint: to }, () =>
        `wrote ${opts.out}: ${from} hands over to ${to} from bundle serial ${serial}\n` +
        `publish it with: tipline bundle publish --agency-key ${opts.newAgencyKey} --key-transition ${opts.out}\n` +
        '(tell staff the new fingerprint too, and rebuild the web page so that it compiles it in)');
    }));
}
