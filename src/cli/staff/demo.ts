import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { submitCase } from '../../client/denouncer.js';
import { StaffClient, createAgency, enrol, login } from '../../client/staff.js';
import { agencyFingerprint, canonicalFingerprint, encryptKeyFile, generateAgencyKeys, generateStaffKeys, loadBackend, type StaffRole } from '../../protocol/index.js';
import { withClientOptions, type ClientOptions } from '../common/options.js';
import { emit } from '../common/output.js';
import { readSecret } from '../common/secrets.js';
import { httpFor } from './context.js';
import { run } from './run.js';

// `tipline demo`: a working demo agency on a running server, so a newcomer can try
// every role in minutes. Key files go to keys/demo/ (git-ignored) under one printed
// passphrase, also saved in keys/demo/passphrase for the walk-through (docs/STAFF.md).

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

interface DemoOptions extends ClientOptions { dir: string; slug: string; bootstrapCodeFile: string }

export function registerDemo(program: Command): void {
  withClientOptions(program.command('demo').description('set up a demo agency with every role on a running server'))
    .option('--dir <dir>', 'where to write the demo key files', 'keys/demo')
    .option('--slug <slug>', 'the demo agency slug', 'demo')
    .option('--bootstrap-code-file <file>', "the server's one-time bootstrap code", 'data/bootstrap-code')
    .action(run(async (opts: DemoOptions) => {
      const be = await loadBackend();
      const http = httpFor(opts);
      await mkdir(opts.dir, { recursive: true, mode: 0o700 });
      const passphrase = randomBytes(12).toString('base64url');
      await writeFile(join(opts.dir, 'passphrase'), `${passphrase}\n`, { mode: 0o600 });
      const save = async (file: string, text: string) => writeFile(join(opts.dir, `${file}.json`), text, { mode: 0o600 });

      const agencyKeys = generateAgencyKeys(be);
      await save('agency', await encryptKeyFile({ ...generateStaffKeys(be), signPublicKey: agencyKeys.publicKey, signSecretKey: agencyKeys.secretKey }, passphrase, { label: 'agency' }));
      const bootstrapCode = await readSecret({ file: opts.bootstrapCodeFile, envVar: 'TIPLINE_BOOTSTRAP_CODE', prompt: 'bootstrap code: ' });
      const made = await createAgency(http, { bootstrapCode, slug: opts.slug, name: 'Demo Inspectorate', agencyPublicKey: agencyKeys.publicKey, adminName: 'Demo Admin' });
      const { origin } = await http.post<{ origin: string }>('/v1/staff/challenge');
      const adminKeys = await enrol(http, origin, made.admin.staffId, made.admin.enrolmentCode);
      await save('admin', await encryptKeyFile(adminKeys, passphrase, { staffId: made.admin.staffId, agencyId: made.agencyId, label: 'admin' }));
      const admin = new StaffClient(http, await login(http, made.admin.staffId, adminKeys));

      const ids: Record<string, string> = { ADMIN: made.admin.staffId };
      for (const [file, name, roles] of PEOPLE) {
        const invited = await admin.invite(name, roles);
        const keys = await enrol(http, origin, invited.staffId, invited.enrolmentCode);
        await save(file, await encryptKeyFile(keys, passphrase, { staffId: invited.staffId, agencyId: made.agencyId, label: file }));
        ids[file.toUpperCase().replace('-', '_')] = invited.staffId;
      }
      const bundle = await admin.publishBundle(agencyKeys, { threshold: 2 });
      const sample = await submitCase({
        server: opts.server, agency: opts.slug, pinnedFingerprint: agencyFingerprint(be, agencyKeys.publicKey), kind: 'denunciation',
        body: { who: 'Director of the district land office', what: 'asks for money to issue land-use certificates', where: 'District 3', evidence: 'two receipts' },
        identity: { name: 'Nguyen Van A', address: '12 Hang Bac, Ha Noi', contact: '+84 90 000 0000' },
      });
      ids['CASE'] = sample.caseId;
      ids['AGENCY_FINGERPRINT'] = canonicalFingerprint(agencyFingerprint(be, agencyKeys.publicKey));
      const env = [`TIPLINE_SERVER=${opts.server}`, ...Object.entries(ids).map(([k, v]) => `${k}=${v}`)].map((l) => `export ${l}`).join('\n');
      await writeFile(join(opts.dir, 'env'), `${env}\n`, { mode: 0o600 });
      await writeFile(join(opts.dir, 'receipt'), `${sample.receipt}\n`, { mode: 0o600 });
      const result = { agencyId: made.agencyId, fingerprint: agencyFingerprint(be, agencyKeys.publicKey), bundleSerial: bundle.serial, passphrase, staff: ids, receipt: sample.receipt };
      emit(opts, result, () => [
        `demo agency "${opts.slug}" is ready (fingerprint ${result.fingerprint})`,
        `key files: ${opts.dir}/*.json   passphrase: ${passphrase}  (also in ${opts.dir}/passphrase)`,
        `a sample case ${sample.publicNumber} was submitted; its receipt is in ${opts.dir}/receipt`,
        `ids are in ${opts.dir}/env — next, follow docs/STAFF.md:`,
        `  . ${opts.dir}/env`,
        `  tipline login --key ${opts.dir}/intake.json --passphrase-file ${opts.dir}/passphrase`,
        '  tipline cases',
      ].join('\n'));
    }));
}
