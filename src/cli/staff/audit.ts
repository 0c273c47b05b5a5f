import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { anchorAudit, anchorFromJson, anchorToJson, verifyAuditViaApi } from '../../client/staff-audit.js';
import type { AuditAnchor } from '../../protocol/audit-anchor.js';
import type { ChainBreak } from '../../protocol/audit-verify.js';
import { pinnedAgency } from '../../client/staff-trust-file.js';
import { writeSecretFile } from '../common/key-files.js';
import { CliError, emit } from '../common/output.js';
import { progressBar } from '../common/progress.js';
import { verifyAuditDirect } from './audit-direct.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { run } from './run.js';

// `tipline audit verify` and `tipline audit anchor`: the auditor checks the chain, every
// signed entry against the agency's pinned bundles, and the anchors they keep outside
// the database.

interface AuditOptions extends StaffOptions { agencyFingerprint?: string; anchor: string[]; direct?: boolean }

const collect = (value: string, previous: string[]) => [...previous, value];

/** The agency pin: the option, else this machine's pin for the agency (set at enrolment), never the server's word. */
async function pinOf(opts: AuditOptions, agencyId: string): Promise<string> {
  if (opts.agencyFingerprint) return opts.agencyFingerprint;
  const pin = await pinnedAgency(opts.home, agencyId);
  if (pin) return pin.fingerprint;
  throw new CliError(`agency ${agencyId} is not pinned on this machine: give its fingerprint with --agency-fingerprint (from your invitation or your admin, never from the server)`);
}

async function readAnchors(files: string[]): Promise<AuditAnchor[]> {
  return Promise.all(files.map(async (file) => {
    try {
      return anchorFromJson(await readFile(file, 'utf8'));
    } catch (err) {
      throw new CliError(`cannot read the anchor ${file}: ${(err as Error).message}`);
    }
  }));
}

const broken = (b: ChainBreak, verified: number) =>
  new CliError(`audit log broken at row ${b.seq} (${b.reason}); ${verified} rows before it verified`);

function withAuditOptions(cmd: Command): Command {
  return withStaffOptions(cmd)
    .option('--agency-fingerprint <fingerprint>', "your agency's signing key fingerprint, from your invitation or your admin")
    .option('--anchor <file>', 'an anchor written by `audit anchor`: the chain must still hold its row (repeatable)', collect, []);
}

async function viaApi(opts: AuditOptions, anchors: AuditAnchor[], onPage: (n: number) => void) {
  const c = await staffClient(opts);
  return verifyAuditViaApi(c, { pinnedFingerprint: await pinOf(opts, c.session.agencyId), anchors }, onPage);
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the hash-chained, signed audit log');

  withAuditOptions(audit.command('verify').description("check your agency's audit log (auditor): links, hashes, staff signatures and anchors; reports the first break"))
    .option('--direct', "operators: read every agency's chain straight from the database (DATABASE_URL / TIPLINE_DATA_DIR); signatures are checked for the agency with --agency-fingerprint")
    .action(run(async (opts: AuditOptions) => {
      const anchors = await readAnchors(opts.anchor);
      const bar = progressBar('verifying', 0, 'items');
      const result = opts.direct
        ? await verifyAuditDirect({ pinnedFingerprint: opts.agencyFingerprint, anchors }, (n) => bar.update(n))
        : await viaApi(opts, anchors, (n) => bar.update(n));
      bar.stop();
      if (result.firstBreak) throw broken(result.firstBreak, result.verified);
      const unsigned = opts.direct && !opts.agencyFingerprint ? ' (signatures NOT checked: give --agency-fingerprint)' : '';
      emit(opts, result, () =>
        `audit log intact: ${result.verified} rows verified, ${result.signaturesChecked} signatures checked, ${anchors.length} anchors found${unsigned}`);
    }));

  withAuditOptions(audit.command('anchor').description("verify your agency's audit log, then sign its head with your key into a file you keep"))
    .requiredOption('--out <file>', 'where to write the anchor (never overwritten); keep it off the server')
    .action(run(async (opts: AuditOptions & { out: string }) => {
      const { keys } = await unlockKeys(opts);
      const c = await staffClient(opts);
      const { report, anchor } = await anchorAudit(c, keys, { pinnedFingerprint: await pinOf(opts, c.session.agencyId), anchors: await readAnchors(opts.anchor) });
      if (report.firstBreak) throw broken(report.firstBreak, report.verified);
      if (!anchor) throw new CliError('the audit log is empty: there is no head to anchor yet');
      await writeSecretFile(opts.out, anchorToJson(anchor));
      emit(opts, { ...report, anchor: opts.out }, () =>
        `audit log intact: ${report.verified} rows verified; anchored row ${anchor.seq} in ${opts.out} — keep it, and pass it to \`audit verify --anchor\``);
    }));
}
