import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { recoverCases, recoveryPublicKey } from '../../client/staff-recovery.js';
import {
  fromBase64Url, loadBackend, makeRecoveryKey, openRecoveryKey, parseRecoveryShare, recoveryKeyId, toBase64Url,
  type BundleRecovery, type RecoveryShare,
} from '../../protocol/index.js';
import { base32Encode } from '../../protocol/base32.js';
import { CliError, emit } from '../common/output.js';
import { promptHidden } from '../common/secrets.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { run } from './run.js';

// `tipline recovery` (PROTOCOL.md §9.1, OPERATIONS.md "When every intake key is lost"):
// `init` runs on an offline machine and makes the recovery key pair, writing only its
// public half (for `bundle publish --recovery`) and printing its private half as n paper
// shares; `open` is the drill: m holders type their shares (or give files) beside an
// intake officer, the key is rebuilt in memory only, and chosen cases are re-granted.

/** The public file `recovery init` writes and `bundle publish --recovery` reads. */
const RECIPIENT_FORMAT = 'tipline-recovery-recipient';

export async function readRecoveryRecipient(file: string): Promise<BundleRecovery> {
  try {
    const r = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    if (r.format !== RECIPIENT_FORMAT || typeof r.boxPublicKey !== 'string' || fromBase64Url(r.boxPublicKey).length !== 32) throw new Error();
    return { boxPublicKey: r.boxPublicKey, threshold: Number(r.threshold), shares: Number(r.shares) };
  } catch {
    throw new CliError(`${file} is not a recovery recipient file written by \`tipline recovery init\``);
  }
}

const count = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2 || n > 255) throw new CliError(`${name} must be a whole number from 2 to 255`);
  return n;
};

interface InitOptions { threshold: string; shares: string; out: string; sharesDir?: string; json?: boolean }

async function init(opts: InitOptions): Promise<void> {
  const m = count('--threshold', opts.threshold);
  const n = count('--shares', opts.shares);
  if (m > n) throw new CliError('--threshold cannot exceed --shares');
  const be = await loadBackend();
  const made = await makeRecoveryKey(be, m, n);
  const keyId = base32Encode(recoveryKeyId(be, made.publicKey));
  const recipient = { format: RECIPIENT_FORMAT, version: 1, boxPublicKey: toBase64Url(made.publicKey), threshold: m, shares: n, keyId };
  await writeFile(opts.out, `${JSON.stringify(recipient, null, 2)}\n`, { flag: 'wx' });
  if (opts.sharesDir) {
    await mkdir(opts.sharesDir, { recursive: true, mode: 0o700 });
    for (const [i, s] of made.shares.entries()) await writeFile(join(opts.sharesDir, `share-${i + 1}-of-${n}.txt`), `${s}\n`, { mode: 0o600, flag: 'wx' });
  }
  const sheets = made.shares.map((s, i) => [
    `Mảnh khóa khôi phục ${i + 1}/${n} — cần ${m} mảnh / Recovery share ${i + 1} of ${n} — any ${m} rebuild the key (key ${keyId})`,
    s, '',
  ].join('\n'));
  emit(opts, { recipient, ...(opts.sharesDir ? {} : { shares: made.shares }) }, () =>
    `wrote the public key to ${opts.out}: sign it into the bundle with \`tipline bundle publish --recovery ${opts.out}\`\n\n` +
    (opts.sharesDir ? `wrote ${n} share files to ${opts.sharesDir}: print each, give one to each holder, then delete them` : sheets.join('\n')));
}

interface OpenOptions extends StaffOptions { shareFile: string[]; to: string; case: string[] }

/** The shares: from files, then typed without echo until the threshold they name is reached. */
async function readShares(files: readonly string[]): Promise<RecoveryShare[]> {
  const be = await loadBackend();
  const shares: RecoveryShare[] = [];
  const parse = (text: string, where: string) => {
    try {
      shares.push(parseRecoveryShare(be, text));
    } catch {
      throw new CliError(`${where} is not a recovery share, or has a typo (its check does not match): nothing was opened`);
    }
  };
  for (const f of files) parse((await readFile(f, 'utf8')).trim(), f);
  while (process.stdin.isTTY && shares.length < (shares[0]?.threshold ?? 2)) {
    parse(await promptHidden(`recovery share ${shares.length + 1}${shares[0] ? ` of ${shares[0].threshold}` : ''} (not shown): `), 'that share');
  }
  return shares;
}

async function open(opts: OpenOptions): Promise<void> {
  const be = await loadBackend();
  const client = await staffClient(opts);
  const publicKey = await recoveryPublicKey(client);
  const shares = await readShares(opts.shareFile);
  const recovery = await openRecoveryKey(be, shares, publicKey).catch(() => {
    throw new CliError(`these ${shares.length} shares do not rebuild the recovery key the signed bundle lists (too few, repeated or another key's): nothing was opened`);
  });
  const { keys } = await unlockKeys(opts);
  try {
    const done = await recoverCases(client, {
      recovery, recipientStaffId: opts.to, keys, ...(opts.case.length ? { only: opts.case } : {}),
      onProgress: ({ done, case: c }) => { if (!opts.json) process.stderr.write(`${done}. ${c.publicNumber} ${c.outcome}\n`); },
    });
    const granted = done.filter((d) => d.outcome === 'granted').length;
    const refused = done.filter((d) => d.outcome === 'refused');
    emit(opts, { cases: done }, () => `re-granted ${granted} of ${done.length} cases to ${opts.to}` +
      (refused.length ? `; refused (the recovery key does not open them): ${refused.map((r) => r.publicNumber).join(', ')}` : ''));
  } finally {
    recovery.secretKey.fill(0);
  }
}

export function registerRecovery(program: Command): void {
  const recovery = program.command('recovery').description("the agency's offline recovery recipient, for when every intake key is lost");
  recovery.command('init').description('make the recovery key pair on an offline machine: its public key for the bundle, its private key as n paper shares')
    .requiredOption('--threshold <m>', 'shares needed to rebuild the key (2..255)')
    .requiredOption('--shares <n>', 'shares to make, one per holder (m..255)')
    .option('--out <file>', 'where to write the public key (never the private key)', 'recovery-recipient.json')
    .option('--shares-dir <dir>', 'write each share to its own file (for printing) instead of to standard output')
    .option('--json', 'machine-readable output')
    .action(run(init));
  withStaffOptions(recovery.command('open').description('the recovery drill: rebuild the key from m shares in memory and re-grant cases (intake)'))
    .requiredOption('--to <staffId>', 'the member to re-grant the cases to, as the signed bundle lists them')
    .option('--share-file <file>', 'a file holding one share (repeat); otherwise shares are typed', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--case <id>', 'only this case, by id or public number (repeat); default every case sealed to the recovery key',
      (v: string, p: string[]) => [...p, v], [] as string[])
    .action(run(open));
}
