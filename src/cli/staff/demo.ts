import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { submitCase } from '../../client/denouncer.js';
import { StaffClient, createAgency, enrol, login } from '../../client/staff.js';
import { publishBundle } from '../../client/staff-bundle.js';
import { fileTrustStore, pinAgency, pinsPath } from '../../client/staff-trust-file.js';
import {
  agencyFingerprint, canonicalFingerprint, encryptKeyFile, generateAgencyKeys, generateStaffKeys, loadBackend, staffKeyFingerprint, type StaffKeys, type StaffRole,
} from '../../protocol/index.js';
import { withClientOptions, type ClientOptions } from '../common/options.js';
import { existingFiles, writeSecretFile } from '../common/key-files.js';
import { CliError, emit } from '../common/output.js';
import { readSecret } from '../common/secrets.js';
import { httpFor, signedOrigin, withHomeOptions } from './context.js';
import { run } from './run.js';

// `tipline demo`: a working demo agency on a running server, so a newcomer can try
// every role in minutes. Key files go to keys/demo/ (git-ignored) under one printed
// passphrase, also saved in keys/demo/passphrase for the walk-through (docs/STAFF.md).
// A directory that already holds a demo is refused before anything is created: its
// agency.json is the only copy of that agency's signing key.

const PEOPLE: [file: string, name: string, roles: StaffRole[]][] = [
  ['intake', 'Intake Officer', ['intake']],
  ['investigator-1', 'Investigator One', ['investigator']],
  ['investigator-2', 'Investigator Two', ['investigator']],
  ['custodian-1', 'Custodian One', ['custodian']],
  ['custodian-2', 'Custodian Two', ['custodian']],
  ['custodian-3', 'Custodian Three', ['custodian']],
  ['supervisor', 'Supervisor', ['supervisor']],
  ['auditor', 'Auditor', ['auditor']],
];

/** Every file a demo writes, so a second run can refuse before it creates anything anywhere. */
const demoFiles = (dir: string) => ['passphrase', 'env', 'receipt', 'agency.json', 'admin.json', ...PEOPLE.map(([file]) => `${file}.json`)].map((f) => join(dir, f));

async function refuseExistingDemo(dir: string): Promise<void> {
  const found = await existingFiles(demoFiles(dir));
  if (found.length === 0) return;
  throw new CliError(
    `${dir} already holds a demo (${found.map((f) => f.slice(dir.length + 1)).join(', ')}); nothing was changed. ` +
      `Its agency.json is the only copy of that demo agency's signing key: keep it. ` +
      'To set up another demo agency, give a new --dir and --slug (e.g. --dir keys/demo2 --slug demo2).',
  );
}

interface DemoOptions extends ClientOptions { dir: string; slug: string; bootstrapCodeFile: string; home: string; origin?: string }

export function registerDemo(program: Command): void {
  withHomeOptions(withClientOptions(program.command('demo').description('set up a demo agency with every role on a running server (refuses a --dir that already holds one)')))
    .option('--dir <dir>', 'where to write the demo key files', 'keys/demo')
    .option('--slug <slug>', 'the demo agency slug', 'demo')
    .option('--bootstrap-code-file <file>', "the server's one-time bootstrap code", 'data/bootstrap-code')
    .action(run(async (opts: DemoOptions) => {
      await refuseExistingDemo(opts.dir);
      const bootstrapCode = await readSecret({ file: opts.bootstrapCodeFile, envVar: 'TIPLINE_BOOTSTRAP_CODE', prompt: 'bootstrap code: ' });
      const be = await loadBackend();
      const http = httpFor(opts);
      const passphrase = randomBytes(12).toString('base64url');
      await writeSecretFile(join(opts.dir, 'passphrase'), `${passphrase}\n`);
      const save = async (file: string, text: string) => writeSecretFile(join(opts.dir, `${file}.json`), text);

      const agencyKeys = generateAgencyKeys(be);
      // Saved before the server learns the public key: an agency whose key was never kept is lost.
      await save('agency', await encryptKeyFile({ ...generateStaffKeys(be), signPublicKey: agencyKeys.publicKey, signSecretKey: agencyKeys.secretKey }, passphrase, { label: 'agency' }));
      const made = await createAgency(http, { bootstrapCode, slug: opts.slug, name: 'Demo Inspectorate', agencyPublicKey: agencyKeys.publicKey, adminName: 'Demo Admin' });
      // Every demo member works from this machine, so one pin (from the key just made) serves them all.
      await pinAgency(opts.home, made.agencyId, agencyFingerprint(be, agencyKeys.publicKey));
      const origin = signedOrigin(opts);
      const adminKeys = await enrol(http, origin, made.admin.staffId, made.admin.enrolmentCode);
      await save('admin', await encryptKeyFile(adminKeys, passphrase, { staffId: made.admin.staffId, agencyId: made.agencyId, label: 'admin' }));
      const admin = new StaffClient(http, await login(http, made.admin.staffId, adminKeys, origin), fileTrustStore(opts.home));

      const ids: Record<string, string> = { ADMIN: made.admin.staffId };
      // Every key was made on this machine: the fingerprints to accept come from the keys, not the server.
      const accept = [staffKeyFingerprint(be, adminKeys.signPublicKey, adminKeys.boxPublicKey)];
      const keysOf = new Map<string, StaffKeys>();
      for (const [file, name, roles] of PEOPLE) {
        const invited = await admin.invite(name, roles);
        const keys = await enrol(http, origin, invited.staffId, invited.enrolmentCode);
        keysOf.set(file, keys);
        accept.push(staffKeyFingerprint(be, keys.signPublicKey, keys.boxPublicKey));
        await save(file, await encryptKeyFile(keys, passphrase, { staffId: invited.staffId, agencyId: made.agencyId, label: file }));
        ids[file.toUpperCase().replace('-', '_')] = invited.staffId;
      }
      const bundle = await publishBundle(admin, agencyKeys, { threshold: 2, accept });
      const sample = await submitCase({
        server: opts.server, agency: opts.slug, pinnedFingerprint: agencyFingerprint(be, agencyKeys.publicKey), kind: 'denunciation',
        body: { who: 'Director of the district land office', what: 'asks for money to issue land-use certificates', where: 'District 3', evidence: 'two receipts' },
        identity: { name: 'Nguyen Van A', address: '12 Hang Bac, Ha Noi', contact: '+84 90 000 0000' },
      });
      ids['CASE'] = sample.caseId;
      // The head of agency decides the case (LEGAL.md "Who decides") and may need to read it:
      // the intake officer, whose key the submission wrapped, grants it to them as an assignment.
      const intake = new StaffClient(http, await login(http, ids['INTAKE']!, keysOf.get('intake')!, origin), fileTrustStore(opts.home));
      await intake.grant(sample.caseId, { staffId: ids['SUPERVISOR']! }, keysOf.get('intake')!);
      await intake.logout();
      ids['AGENCY_FINGERPRINT'] = canonicalFingerprint(agencyFingerprint(be, agencyKeys.publicKey));
      const env = [`TIPLINE_SERVER=${opts.server}`, ...Object.entries(ids).map(([k, v]) => `${k}=${v}`)].map((l) => `export ${l}`).join('\n');
      await writeSecretFile(join(opts.dir, 'env'), `${env}\n`);
      await writeSecretFile(join(opts.dir, 'receipt'), `${sample.receipt}\n`);
      const result = { agencyId: made.agencyId, fingerprint: agencyFingerprint(be, agencyKeys.publicKey), bundleSerial: bundle.serial, passphrase, staff: ids, receipt: sample.receipt };
      emit(opts, result, () => [
        `demo agency "${opts.slug}" is ready (fingerprint ${result.fingerprint}, pinned for staff in ${opts.home})`,
        `key files: ${opts.dir}/*.json   passphrase: ${passphrase}  (also in ${opts.dir}/passphrase)`,
        `a sample case ${sample.publicNumber} was submitted; its receipt is in ${opts.dir}/receipt; the supervisor (head of agency) holds its key`,
        `ids are in ${opts.dir}/env — next, follow docs/STAFF.md:`,
        `  . ${opts.dir}/env`,
        `  tipline login --key ${opts.dir}/intake.json --passphrase-file ${opts.dir}/passphrase`,
        '  tipline cases',
        `or in a browser, without a terminal (docs/CONSOLE.md): tipline console --server ${http.baseUrl}`,
        `  then choose ${opts.dir}/intake.json (or any role's file), the passphrase, and the pin file ${pinsPath(opts.home)}`,
      ].join('\n'));
    }));
}
