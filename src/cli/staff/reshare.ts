import type { Command } from 'commander';
import { acceptReshare, currentReshare, planReshare, reshareMyShares, verifyPlan, type ReshareView } from '../../client/staff-reshare.js';
import { confirmed } from '../common/confirm.js';
import { emit } from '../common/output.js';
import { progressBar } from '../common/progress.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { run } from './run.js';

// `tipline reshare`: custodian turnover without putting an identity key together
// (PROTOCOL.md §6.2). The admin plans (after publishing the bundle that lists the new
// custodians), each old custodian named in the plan runs `reshare split`, then each new
// custodian runs `reshare accept`. The old set's shares are deleted subject by subject
// once all new shares of it are in.

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

function describe(p: ReshareView): string {
  return [
    `reshare:     ${p.reshareId} (planned ${p.day} by ${p.plannedBy}; signature checked against the agency's pinned bundles)`,
    `old set:     ${p.from.join(', ')}`,
    `new set:     ${p.to.join(', ')} (threshold ${p.threshold}, bundle ${p.bundleSerial})`,
    `progress:    ${p.done} of ${p.subjects} identity blocks and protection details${p.finished ? ' — finished' : ''}`,
    `split:       ${p.from.map((id, i) => `${id} ${p.fromDone[i] ?? 0}/${p.subjects}`).join(', ')}`,
    `accepted:    ${p.to.map((id, i) => `${id} ${p.toDone[i] ?? 0}/${p.subjects}`).join(', ')}`,
  ].join('\n');
}

export function registerReshare(program: Command): void {
  const reshare = program.command('reshare').description("custodian turnover: old custodians re-split their shares to a new set and threshold; no identity key is ever put together");

  withStaffOptions(reshare.command('plan').description('plan a turnover and sign it (admin); publish the bundle listing the new custodians first'))
    .requiredOption('--from <staffIds>', 'the old custodians who take part, comma-separated: at least the threshold of every block')
    .option('--to <staffIds>', "the new custodians, comma-separated, in the order that gives their share's x (default: the current bundle's custodians)")
    .option('--threshold <m>', "the new threshold m' (default: the current bundle's)", (v) => Number.parseInt(v, 10))
    .action(run(async (opts: StaffOptions & { from: string; to?: string; threshold?: number }) => {
      const client = await staffClient(opts);
      const { keys } = await unlockKeys(opts);
      const plan = await planReshare(client, keys, {
        from: list(opts.from), ...(opts.to ? { to: list(opts.to) } : {}), ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
      });
      emit(opts, plan, () => describe(plan));
    }));

  withStaffOptions(reshare.command('status').description("the agency's open (or latest) reshare, its plan verified against the pinned bundles"))
    .action(run(async (opts: StaffOptions) => {
      const client = await staffClient(opts);
      const plan = await currentReshare(client);
      await verifyPlan(client, plan);
      emit(opts, plan, () => describe(plan));
    }));

  withStaffOptions(reshare.command('split').description('old custodian: re-split your share of every covered block to the new custodians, sealed to each and signed; shows the verified plan and asks you to confirm'))
    .option('--yes', 'confirm without asking (scripts); the plan is still verified and shown')
    .action(run(async (opts: StaffOptions & { yes?: boolean }) => {
      const client = await staffClient(opts);
      const { keys } = await unlockKeys(opts);
      const bar = progressBar('re-splitting', (await currentReshare(client)).subjects, 'items');
      const done = await reshareMyShares(client, keys, {
        confirm: async ({ plan, newSet }) => {
          process.stderr.write(`${describe(plan)}\nto:          ${newSet.map((m) => `${m.displayName ?? '(name unverified)'} (${m.staffId})`).join(', ')}\n`);
          return confirmed(`hand your share of these blocks on to these ${newSet.length} custodians, any ${plan.threshold} of whom can then open them?`, opts);
        },
        onProgress: (n) => bar.update(n),
      });
      bar.stop();
      emit(opts, { split: done }, () => `re-split your share of ${done} blocks`);
    }));

  withStaffOptions(reshare.command('accept').description("new custodian: check every old custodian's signed part, sum your sub-shares and keep the new share, sealed to you"))
    .action(run(async (opts: StaffOptions) => {
      const client = await staffClient(opts);
      const { keys } = await unlockKeys(opts);
      const bar = progressBar('summing', (await currentReshare(client)).subjects, 'items');
      const result = await acceptReshare(client, keys, (n) => bar.update(n));
      bar.stop();
      emit(opts, result, () => `new share of ${result.posted} blocks kept; ${result.completed} blocks now held by the new set only`);
    }));
}
