import type { Command } from 'commander';
import { describe, proposeBundle, publishBundle, unaccepted, type BundleProposal, type ProposedMember } from '../../client/staff-bundle.js';
import { confirmed } from '../common/confirm.js';
import { CliError, emit } from '../common/output.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { readRecoveryRecipient } from './recovery.js';
import { run } from './run.js';
import { readKeyTransition } from './agency-key.js';

// `tipline bundle publish` (admin): the next bundle is the previous verified one, plus
// the new and changed keys the admin accepts by fingerprint (src/client/staff-bundle.ts).
// Each member reads their fingerprint from their own `staff enrol`; the admin names it
// with --accept, or confirms it here on a terminal. --yes never accepts a key by itself.
// The name beside each key is signed in with it: staff clients show it beside what that
// member signs, so a rename by the server is a change to confirm like a new key.

interface PublishOptions extends StaffOptions {
  agencyKey: string; threshold?: string; accept: string[]; yes?: boolean; recovery?: string | false; keyTransition?: string;
}

function showProposal(p: BundleProposal): string {
  return [
    `previous bundle: ${p.previous ? `serial ${p.previous.serial}, ${p.previous.staff.length} staff` : 'none'}; ${p.carried.length} carried over unchanged`,
    `jurisdiction: ${p.jurisdiction}${p.previous?.jurisdiction === undefined ? ' (signed in for the first time: check it is the law the agency applies)' : ''}`,
    ...p.added.map((m) => `  + ${describe(m)}`),
    ...p.changed.map((m) => `  ~ ${describe(m)}`),
    ...p.removed.map((s) => `  - ${s.staffId} (${s.roles.join(',')}): no longer active on the server; left out`),
  ].join('\n');
}

/** What the admin confirms: the key as its member read it out, or, with the key unchanged, the roles and name. */
function question(m: ProposedMember): string {
  return m.previous?.fingerprint === m.fingerprint
    ? `same key as before: sign in ${m.staffId} as ${JSON.stringify(m.displayName)} with the roles ${m.roles.join(',')}?`
    : `has ${m.displayName} read you this fingerprint from their own \`staff enrol\` output?`;
}

/** The fingerprints to sign in: those named, plus those confirmed one by one on a terminal. */
async function accepted(p: BundleProposal, opts: PublishOptions): Promise<string[]> {
  const pending = unaccepted(p, opts.accept);
  if (pending.length === 0) return opts.accept;
  const names = pending.map((m) => `  ${describe(m)}`).join('\n');
  if (opts.yes || !process.stdin.isTTY) {
    throw new CliError(`nothing was published: these keys are not confirmed (keys_unconfirmed)\n${names}\n` +
      'have each member read you their fingerprint from their own `tipline staff enrol`, then name it with --accept "<fingerprint>"');
  }
  const accept = [...opts.accept];
  for (const m of pending) {
    if (!(await confirmed(`${describe(m)}\n${question(m)}`, {}))) {
      throw new CliError(`nothing was published: ${m.staffId}'s key is not confirmed (keys_unconfirmed)`);
    }
    accept.push(m.fingerprint);
  }
  return accept;
}

export function registerBundlePublish(program: Command): void {
  withStaffOptions(program.command('bundle').description("the agency's signed key bundle").command('publish').description("sign the agency's key bundle offline and publish it (admin)"))
    .requiredOption('--agency-key <file>', 'agency key file')
    .option('--threshold <m>', 'custodians needed to reveal an identity')
    .option('--accept <fingerprint>', 'a new or changed key to sign in, as its member read it to you from their own `staff enrol` (repeat per key)',
      (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--recovery <file>', 'list this recovery recipient (from `tipline recovery init`); every new case is then also sealed to it')
    .option('--no-recovery', 'list no recovery recipient (default: keep the previous bundle\'s)')
    .option('--yes', 'do not ask; refused unless every new or changed key is named with --accept')
    .option('--key-transition <file>', 'a statement from `agency rotate-key`: publish it with this first bundle of the new key (--agency-key is then the new key)')
    .action(run(async (opts: PublishOptions) => {
      const client = await staffClient(opts);
      const proposal = await proposeBundle(client);
      if (!opts.json) process.stderr.write(`${showProposal(proposal)}\n`);
      const accept = await accepted(proposal, opts);
      const { keys } = await unlockKeys(opts, opts.agencyKey);
      const agencyKeys = { publicKey: keys.signPublicKey, secretKey: keys.signSecretKey };
      const recovery = opts.recovery === false ? null : opts.recovery ? await readRecoveryRecipient(opts.recovery) : undefined;
      const keyTransition = opts.keyTransition ? await readKeyTransition(opts.keyTransition) : undefined;
      const res = await publishBundle(client, agencyKeys, {
        accept, ...(opts.threshold ? { threshold: Number(opts.threshold) } : {}), ...(recovery !== undefined ? { recovery } : {}),
        ...(keyTransition ? { keyTransition } : {}),
      });
      const p = res.proposal;
      emit(opts, {
        serial: res.serial, staff: res.content.staff.length, threshold: res.content.threshold,
        carried: p.carried.map((s) => s.staffId), added: p.added, changed: p.changed, removed: p.removed.map((s) => s.staffId),
        keyRotated: keyTransition !== undefined,
      }, () => `${keyTransition ? 'agency key handed over; ' : ''}published bundle serial ${res.serial}: ${res.content.staff.length} staff (${p.carried.length} carried over, ` +
        `${p.added.length} new, ${p.changed.length} changed, ${p.removed.length} left out), identity threshold ${res.content.threshold}` +
        (res.content.recovery ? `, recovery recipient listed (${res.content.recovery.threshold} of ${res.content.recovery.shares} shares)` : ', no recovery recipient'));
    }));
}
