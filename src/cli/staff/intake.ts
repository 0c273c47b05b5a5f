import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { PartialSubmitError, type IdentityBody } from '../../client/denouncer.js';
import { intakeSlipText, slipAgency } from '../../client/intake-slip.js';
import { recordIntake } from '../../client/staff-intake.js';
import { intakeChannels, type IntakeChannel } from '../../domain/index.js';
import { fileSource } from '../denouncer/io.js';
import { CliError, emit } from '../common/output.js';
import { submitProgressPrinter } from '../common/submit-progress.js';
import { signedOrigin, staffClient, withStaffOptions, type StaffOptions } from './context.js';
import { run } from './run.js';

// `tipline intake` (intake officer): a denunciation received in person or by letter,
// sealed on this machine as the page seals one (src/client/staff-intake.ts), with the
// signed record (biên bản) and the scanned letter as its files. The receipt is made
// here and goes only onto the person's slip: to standard output (pipe it to the printer)
// or to the --slip file, written 0600, to delete once printed. Nothing else keeps it.

interface IntakeOptions extends StaffOptions {
  channel: IntakeChannel;
  file: string;
  attach: string[];
  identityFile?: string;
  slip?: string;
}

async function readIdentity(path: string | undefined): Promise<IdentityBody | undefined> {
  if (!path) return undefined;
  const raw = JSON.parse(await readFile(path, 'utf8')) as Partial<IdentityBody>;
  if (typeof raw.name !== 'string' || typeof raw.address !== 'string' || typeof raw.contact !== 'string') {
    throw new CliError('the identity file needs "name", "address" and "contact": a formal denunciation carries all three (Law Art. 23)');
  }
  return { name: raw.name, address: raw.address, contact: raw.contact, ...(raw.idNumber ? { idNumber: raw.idNumber } : {}) };
}

export function registerIntake(program: Command): void {
  withStaffOptions(program.command('intake')
    .description('record a denunciation received in person or by letter: sealed on this machine, with a printed receipt slip for the person (intake)'))
    .addOption(new Option('--channel <channel>', 'how it reached the agency').choices([...intakeChannels]).makeOptionMandatory())
    .requiredOption('--file <path>', 'the report as the person gave it (text)')
    .option('--attach <file>', 'the signed record (biên bản), the scanned letter… (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--identity-file <path>', 'JSON {name, address, contact} of a formal denunciation (sealed for the custodians only)')
    .option('--slip <file>', "write the person's receipt slip here to print (default: standard output)")
    .action(run(async (opts: IntakeOptions) => {
      const body = await readFile(opts.file, 'utf8');
      if (!body.trim()) throw new CliError(`${opts.file} is empty: nothing to record`);
      const client = await staffClient(opts);
      const attachments = await Promise.all(opts.attach.map(fileSource));
      const identity = await readIdentity(opts.identityFile);
      const agencyName = await slipAgency(client);
      let recorded;
      try {
        recorded = await recordIntake(client, {
          channel: opts.channel, body, attachments, onProgress: submitProgressPrinter(), ...(identity ? { identity } : {}),
        });
      } catch (err) {
        if (!(err instanceof PartialSubmitError)) throw err;
        // The case is stored: the person still gets the slip, and the file is sent again with `tipline attach`.
        process.stdout.write(intakeSlipText({ receipt: err.receipt, publicNumber: err.publicNumber, agencyName, site: signedOrigin(opts), receivedOn: new Date().toISOString().slice(0, 10) }));
        throw new CliError(`${err.message}; send the file again with \`tipline attach --receipt …\``);
      }
      const slip = intakeSlipText({ ...recorded, agencyName, site: signedOrigin(opts) });
      if (opts.slip) await writeFile(opts.slip, slip, { mode: 0o600 });
      emit(opts, { caseId: recorded.caseId, publicNumber: recorded.publicNumber, receivedOn: recorded.receivedOn, channel: opts.channel, ...(opts.slip ? { slip: opts.slip } : { receipt: recorded.receipt }) },
        () => (opts.slip ? `recorded ${recorded.publicNumber} (${opts.channel}); the slip to print is in ${opts.slip}` : slip));
    }));
}
