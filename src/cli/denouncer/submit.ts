import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { PartialSubmitError, SubmitRefusedError, submitCase, type IdentityBody, type SubmitProgress } from '../../client/denouncer.js';
import { ApiClientError } from '../../client/http.js';
import { withClientOptions, type ClientOptions } from '../common/options.js';
import { CliError, emit } from '../common/output.js';
import { progressBar, type Progress } from '../common/progress.js';
import { promptHidden } from '../common/secrets.js';
import { fileSource, pinnedFingerprint, readAllStdin } from './io.js';

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

async function run(agency: string, opts: SubmitOptions): Promise<void> {
  const text = opts.file ? await readFile(opts.file, 'utf8') : process.stdin.isTTY ? '' : await readAllStdin();
  if (!text.trim()) throw new CliError('nothing to submit: give the report with --file or on standard input');
  const attachments = await Promise.all(opts.attach.map(fileSource));
  const identity = await readIdentity(opts);
  const fingerprint = await pinnedFingerprint(agency, opts.fingerprint, opts.trustFile);
  if (!fingerprint) process.stderr.write(`warning: no pinned fingerprint for "${agency}"; the agency's keys are trusted as the server offers them (pin it with \`tipline trust add ${agency} <fingerprint>\`)\n`);
  let bar: Progress | undefined;
  const onProgress = (p: SubmitProgress) => {
    if (p.stage === 'uploading') {
      bar ??= progressBar(`uploading ${p.name}`, p.total);
      bar.update(p.done);
      if (p.done === p.total) { bar.stop(); bar = undefined; }
    } else if (p.stage === 'sealing' || p.stage === 'sending') process.stderr.write(`${p.stage}…\n`);
  };
  try {
    const done = await submitCase({
      server: opts.server, agency, kind: opts.kind, body: text, attachments, onProgress,
      ...(identity ? { identity } : {}), ...(fingerprint ? { pinnedFingerprint: fingerprint } : {}),
    });
    emit(opts, { receipt: done.receipt, caseId: done.caseId, publicNumber: done.publicNumber, receivedOn: done.receivedOn },
      () => receiptNotice(done.receipt, done.publicNumber, done.receivedOn));
  } catch (err) {
    if (err instanceof PartialSubmitError) {
      process.stdout.write(`${receiptNotice(err.receipt, err.publicNumber, 'today')}\n`);
      throw new CliError(`${err.message}; send the file again with \`tipline attach\``);
    }
    if (err instanceof SubmitRefusedError || err instanceof ApiClientError) throw new CliError(err.message);
    throw err;
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
      .option('--fingerprint <fp>', "the agency's signing key fingerprint, from a trusted source")
      .option('--trust-file <path>', 'pinned fingerprints by agency slug', 'keys/trusted-agencies.json'),
  ).action(run);
}
