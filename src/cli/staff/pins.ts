import type { Command } from 'commander';
import { pinAgency, pinsPath, readPins, unpinAgency } from '../../client/staff-trust-file.js';
import { CliError, emit, table } from '../common/output.js';
import { withHomeOptions, type StaffOptions } from './context.js';
import { run } from './run.js';

// `tipline agency pin | pins | unpin`: the agency signing-key fingerprints this machine
// trusts, by agency id, and the highest bundle serial seen for each. `staff enrol` pins
// your own agency; pin another agency (to grant it a case) with the fingerprint that
// agency gives you itself — a pin taken from the server it is meant to check proves nothing.

type PinOptions = Pick<StaffOptions, 'home' | 'json'> & { replace?: boolean; revokeOld?: boolean; revoke: string[] };

export function registerPins(agency: Command): void {
  withHomeOptions(agency.command('pin').description("trust an agency's signing key: its fingerprint must come from the agency, not from the server"))
    .argument('<agencyId>', 'the agency id')
    .argument('<fingerprint...>', 'the fingerprint, e.g. "7K2M 9QXA …" (quotes optional)')
    .option('--replace', 'replace a different pin already held for this agency (check the new one with the agency first)')
    .option('--revoke-old', 'with --replace: revoke the key replaced (a leaked agency key), so that it is never followed or used again')
    .option('--revoke <fingerprint>', 'revoke this agency key too (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'print machine-readable JSON')
    .action(run(async (agencyId: string, words: string[], opts: PinOptions) => {
      const held = opts.revokeOld ? (await readPins(opts.home))[agencyId] : undefined;
      if (opts.revokeOld && (!opts.replace || !held)) throw new CliError('--revoke-old revokes the pin that --replace replaces: give both, for an agency already pinned');
      const revoke = [...opts.revoke, ...(held ? [held.fingerprint] : [])];
      const pin = await pinAgency(opts.home, agencyId, words.join(' '), { replace: opts.replace, revoke });
      emit(opts, { agencyId, ...pin }, () => `pinned agency ${agencyId}: ${pin.fingerprint} (in ${pinsPath(opts.home)})`);
    }));

  withHomeOptions(agency.command('pins').description('the agencies this machine trusts, the newest bundle serial seen of each, and the agency keys a re-pin revoked'))
    .option('--json', 'print machine-readable JSON')
    .action(run(async (opts: PinOptions) => {
      const pins = await readPins(opts.home);
      const rows = Object.entries(pins).map(([agencyId, p]) => ({ agencyId, ...p }));
      emit(opts, rows, () => (rows.length
        ? table(['mã cơ quan / agency id', 'dấu vân tay / fingerprint', 'số gói mới nhất đã thấy / newest serial seen', 'khóa đã thu hồi / revoked keys'],
          rows.map((r) => [r.agencyId, r.fingerprint, r.highestSerial, (r.revoked ?? []).join(', ') || '-']))
        : `chưa ghim cơ quan nào trong / no agency pinned in ${pinsPath(opts.home)}`));
    }));

  withHomeOptions(agency.command('unpin').description('stop trusting an agency key'))
    .argument('<agencyId>', 'the agency id')
    .option('--json', 'print machine-readable JSON')
    .action(run(async (agencyId: string, opts: PinOptions) => {
      if (!(await unpinAgency(opts.home, agencyId))) throw new CliError(`agency ${agencyId} is not pinned in ${pinsPath(opts.home)}`);
      emit(opts, { agencyId, removed: true }, () => `removed the pin for agency ${agencyId}`);
    }));
}
