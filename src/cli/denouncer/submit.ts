import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { PartialSubmitError, SubmitRefusedError, submitCase, type IdentityBody, type SubmitProgress } from '../../client/denouncer.js';
import { ApiClientError } from '../../client/http.js';
import { withClientOptions, type ClientOptions } from '../common/options.js';
import { CliError, emit } from '../common/output.js';
import { submitProgressPrinter } from '../common/submit-progress.js';
import { promptHidden } from '../common/secrets.js';
import { agencyPin, fileSource, readAllStdin, type AgencyPin } from './io.js';
import { DEFAULT_TRUST_FILE } from './trust.js';
import { rememberSerial } from './trust-file.js';

// `tipline submit`: seal a report on this machine and send it. The receipt printed at
// the end is the only way back to the case; it is shown once and stored nowhere.

interface SubmitOptions extends ClientOptions {
  file?: string;
  attach: string[];
  identityFile?: string;
  identity?: boolean;
  kind: 'denunciation' | 'petition' | 'retaliation';
  fingerprint?: string;
  trustFile?: string;
}

async function readIdentity(opts: SubmitOptions): Promise<IdentityBody | undefined> {
  if (opts.identityFile) {
    const raw = JSON.parse(await readFile(opts.identityFile, 'utf8')) as Partial<IdentityBody>;
    if (typeof raw.name !== 'string') throw new CliError('the identity file needs at least a "name"');
    return { name: raw.name, address: raw.address ?? '', contact: raw.contact ?? '', ...(raw.idNumber ? { idNumber: raw.idNumber } : {}) };
  }
  if (!opts.identity) return undefined;
  if (!process.stdin.isTTY) throw new CliError('--identity prompts on a terminal; use --identity-file in scripts');
  return { name: await promptHidden('Full name: '), address: await promptHidden('Address: '), contact: await promptHidden('Contact (phone or e-mail): ') };
}

export function receiptNotice(receipt: string, publicNumber: string, receivedOn: string): string {
  const line = '='.repeat(60);
  return [
    line,
    `  Case ${publicNumber} received on ${receivedOn}.`,
    '',
    '  YOUR RECEIPT:',
    '',
    `      ${receipt}`,
    '',
    '  Write it down and keep it somewhere safe. It is the ONLY way back to',
    '  your case: to read replies, add information and follow its status.',
    '  Nobody can recover it — not the agency, not the server operator.',
    '  Do not share it: whoever has it can read your case.',
    line,
  ].join('\n');
}

/**
 * After a bundle verified under the file's pin, its serial becomes the new floor there,
 * and the key that signed it the pin (a rotation followed, PROTOCOL.md §9.2).
 */
async function keepSerial(agency: string, pin: AgencyPin | undefined, trustFile: string, verified: { serial: number; signer: string } | undefined): Promise<void> {
  if (!pin?.kept || verified === undefined) return;
  const { serial, signer } = verified;
  try {
    await rememberSerial(trustFile, agency, pin.fingerprint, serial, signer);
  } catch (err) {
    process.stderr.write(`warning: could not remember bundle serial ${serial} in ${trustFile}: ${(err as Error).message}\n`);
  }
}

async function run(agency: string, opts: SubmitOptions): Promise<void> {
  const text = opts.file ? await readFile(opts.file, 'utf8') : process.stdin.isTTY ? '' : await readAllStdin();
  if (!text.trim()) throw new CliError('nothing to submit: give the report with --file or on standard input');
  const attachments = await Promise.all(opts.attach.map(fileSource));
  const identity = await readIdentity(opts);
  const trustFile = opts.trustFile ?? DEFAULT_TRUST_FILE;
  const pin = await agencyPin(agency, opts.fingerprint, trustFile);
  if (!pin) process.stderr.write(`warning: no pinned fingerprint for "${agency}"; the agency's keys are trusted as the server offers them (pin it with \`tipline trust add ${agency} <fingerprint>\`)\n`);
  const printProgress = submitProgressPrinter();
  let verified: { serial: number; signer: string } | undefined;
  const onProgress = (p: SubmitProgress) => {
    if (p.stage === 'verified') verified = { serial: p.serial, signer: p.signer };
    printProgress(p);
  };
  try {
    const done = await submitCase({
      server: opts.server, agency, kind: opts.kind, body: text, attachments, onProgress,
      ...(identity ? { identity } : {}),
      ...(pin ? { pinnedFingerprint: pin.fingerprint } : {}),
      ...(pin?.minSerial !== undefined ? { minSerial: pin.minSerial } : {}),
      ...(pin && pin.revoked.length > 0 ? { revokedFingerprints: pin.revoked } : {}),
    });
    emit(opts, { receipt: done.receipt, caseId: done.caseId, publicNumber: done.publicNumber, receivedOn: done.receivedOn },
      () => receiptNotice(done.receipt, done.publicNumber, done.receivedOn));
  } catch (err) {
    if (err instanceof PartialSubmitError) {
      process.stdout.write(`${receiptNotice(err.receipt, err.publicNumber, 'today')}\n`);
      throw new CliError(`${err.message}; send the file again with \`tipline attach\``);
    }
    if (err instanceof SubmitRefusedError && err.code === 'bundle_rollback') {
      throw new CliError(`bundle_rollback: ${err.message}. The server may have been tampered with: contact the agency through another channel.`);
    }
    if (err instanceof SubmitRefusedError || err instanceof ApiClientError) throw new CliError(err.message);
    throw err;
  } finally {
    // A verified bundle is remembered even when sending failed afterwards.
    await keepSerial(agency, pin, trustFile, verified);
  }
}

export function registerSubmit(program: Command): void {
  withClientOptions(
    program
      .command('submit')
      .description('seal a report on this machine and send it to an agency; prints your receipt')
      .argument('<agency>', 'agency slug (see `tipline agencies`)')
      .option('--file <path>', 'the report text (default: standard input)')
      .option('--attach <file>', 'a file to attach (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
      .option('--identity-file <path>', 'JSON {name, address, contact} for a formal denunciation (sealed for custodians only)')
      .option('--identity', 'prompt for your name, address and contact')
      .addOption(new Option('--kind <kind>', 'what this is').choices(['denunciation', 'petition', 'retaliation']).default('denunciation'))
      .option('--fingerprint <fp>', "the agency's signing key fingerprint, from a trusted source (not remembered: `tipline trust add` keeps it, and the newest bundle serial, for next time)")
      .option('--trust-file <path>', 'pinned fingerprints by agency slug; the newest bundle serial seen is kept there too', DEFAULT_TRUST_FILE),
  ).action(run);
}
