import type { Command } from 'commander';
import { createAgency, enrol, login } from '../../client/staff.js';
import { invitationText } from '../../client/staff-invitation.js';
import { pinAgency, pinnedAgency } from '../../client/staff-trust-file.js';
import {
  agencyFingerprint, encryptKeyFile, generateAgencyKeys, generateStaffKeys, loadBackend, staffKeyFingerprint, STAFF_ROLES, type StaffRole,
} from '../../protocol/index.js';
import { existingFiles, SecretFileExistsError, writeSecretFile } from '../common/key-files.js';
import { CliError, emit, table } from '../common/output.js';
import { readSecret } from '../common/secrets.js';
import { httpFor, loadState, saveState, signedOrigin, staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { registerBundlePublish } from './bundle-publish.js';
import { registerPins } from './pins.js';
import { registerAgencyKey } from './agency-key.js';
import { run } from './run.js';

// Keys, agencies, people, bundles and sessions.


export async function newPassphrase(opts: StaffOptions): Promise<string> {
  const p = await readSecret({ file: opts.passphraseFile, envVar: 'TIPLINE_PASSPHRASE', prompt: 'passphrase for the new key file: ' });
  if (p.length < 8) throw new CliError('choose a passphrase of at least 8 characters');
  return p;
}

export function registerSetup(program: Command): void {
  const keys = program.command('keys').description('key files');
  withStaffOptions(keys.command('new').description('generate a staff key file, or with --agency an agency signing key file'))
    .requiredOption('--out <file>', 'where to write the key file')
    .option('--agency', 'an agency signing key (kept offline) instead of a staff key')
    .action(run(async (opts: StaffOptions & { out: string; agency?: boolean }) => {
      const be = await loadBackend();
      if ((await existingFiles([opts.out])).length) throw new SecretFileExistsError(opts.out);
      const passphrase = await newPassphrase(opts);
      const pair = generateStaffKeys(be);
      const agency = opts.agency ? generateAgencyKeys(be) : undefined;
      const k = agency ? { ...pair, signPublicKey: agency.publicKey, signSecretKey: agency.secretKey } : pair;
      await writeSecretFile(opts.out, await encryptKeyFile(k, passphrase, { label: agency ? 'agency' : 'staff' }));
      const fingerprint = agency ? agencyFingerprint(be, agency.publicKey) : undefined;
      emit(opts, { file: opts.out, fingerprint }, () => `wrote ${opts.out}${fingerprint ? `\nagency fingerprint: ${fingerprint}` : ''}`);
    }));

  const agency = program.command('agency').description('agencies on this server, and the agency keys this machine trusts');
  registerPins(agency);
  registerAgencyKey(agency);
  withStaffOptions(agency.command('create').description('create an agency with the one-time bootstrap code; pins it on this machine and prints the first admin\'s invitation'))
    .requiredOption('--slug <slug>', 'short name, e.g. thanh-tra-ha-noi')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--agency-key <file>', 'agency key file from `tipline keys new --agency`')
    .option('--admin-name <name>', 'display name of the first admin', 'Admin')
    .option('--bootstrap-code-file <file>', 'file holding the bootstrap code (else TIPLINE_BOOTSTRAP_CODE or a prompt)', 'data/bootstrap-code')
    .action(run(async (opts: StaffOptions & { slug: string; name: string; agencyKey: string; adminName: string; bootstrapCodeFile: string }) => {
      const { keys: agencyKeys } = await unlockKeys(opts, opts.agencyKey);
      const bootstrapCode = await readSecret({ file: opts.bootstrapCodeFile, envVar: 'TIPLINE_BOOTSTRAP_CODE', prompt: 'bootstrap code: ' });
      const made = await createAgency(httpFor(opts), { bootstrapCode, slug: opts.slug, name: opts.name, agencyPublicKey: agencyKeys.signPublicKey, adminName: opts.adminName });
      // The fingerprint comes from the key file in hand, never from the server's answer.
      const fingerprint = agencyFingerprint(await loadBackend(), agencyKeys.signPublicKey);
      await pinAgency(opts.home, made.agencyId, fingerprint);
      emit(opts, { ...made, fingerprint }, () => `agency ${opts.slug} created (${made.agencyId}), pinned on this machine\n` +
        invitationText({ agencyId: made.agencyId, fingerprint, ...made.admin }) + '\n(give all four to the admin, who runs the command above)');
    }));

  const staff = program.command('staff').description('people of your agency');
  withStaffOptions(staff.command('invite').description('invite a staff member (admin); prints a one-time enrolment code'))
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--roles <roles>', `comma-separated: ${STAFF_ROLES.join(', ')}`)
    .action(run(async (opts: StaffOptions & { name: string; roles: string }) => {
      const roles = opts.roles.split(',').map((r) => r.trim()) as StaffRole[];
      if (roles.some((r) => !(STAFF_ROLES as readonly string[]).includes(r))) throw new CliError(`roles are ${STAFF_ROLES.join(', ')}`);
      const client = await staffClient(opts);
      // The invitation carries the agency's fingerprint from this admin's own pin, never from the server.
      const pin = await pinnedAgency(opts.home, client.session.agencyId);
      if (!pin) throw new CliError(`your agency ${client.session.agencyId} is not pinned on this machine: pin it first with \`tipline agency pin\` with the fingerprint your agency's founding admin was given (or that \`tipline keys new --agency\` printed)`);
      const invited = await client.invite(opts.name, roles);
      emit(opts, { ...invited, agencyId: client.session.agencyId, fingerprint: pin.fingerprint }, () =>
        `${invitationText({ agencyId: client.session.agencyId, fingerprint: pin.fingerprint, ...invited })}\nexpires:             ${invited.expiresAt}\n(hand the fingerprint over in person or on paper: it is what protects the new member from a lying server)`);
    }));

  withStaffOptions(staff.command('enrol').description("generate your key file, pin your agency's key and enrol, all from your invitation"))
    .requiredOption('--staff-id <id>', 'from your invitation')
    .requiredOption('--agency-id <id>', 'from your invitation')
    .requiredOption('--agency-fingerprint <fingerprint>', "your agency's signing-key fingerprint, from your invitation (never from the server)")
    .requiredOption('--out <file>', 'where to write your new key file')
    .option('--code-file <file>', 'file holding the enrolment code (else TIPLINE_ENROLMENT_CODE or a prompt)')
    .action(run(async (opts: StaffOptions & { staffId: string; agencyId: string; agencyFingerprint: string; out: string; codeFile?: string }) => {
      // Refused before enrolling: the enrolment code is single-use, the key file the only copy.
      if ((await existingFiles([opts.out])).length) throw new SecretFileExistsError(opts.out);
      // Pinned first: a conflicting pin stops here, before the one-time code is spent.
      const pin = await pinAgency(opts.home, opts.agencyId, opts.agencyFingerprint);
      const code = await readSecret({ file: opts.codeFile, envVar: 'TIPLINE_ENROLMENT_CODE', prompt: 'enrolment code: ' });
      const passphrase = await newPassphrase(opts);
      const keys = await enrol(httpFor(opts), signedOrigin(opts), opts.staffId, code, generateStaffKeys(await loadBackend()));
      await writeSecretFile(opts.out, await encryptKeyFile(keys, passphrase, { staffId: opts.staffId, agencyId: opts.agencyId, label: 'staff' }));
      // Read out to the admin, who signs this key into the agency's bundle only once it matches (bundle publish --accept).
      const keyFingerprint = staffKeyFingerprint(await loadBackend(), keys.signPublicKey, keys.boxPublicKey);
      emit(opts, { staffId: opts.staffId, agencyId: opts.agencyId, fingerprint: pin.fingerprint, keyFingerprint, file: opts.out }, () =>
        `enrolled; your key file is ${opts.out}; agency ${opts.agencyId} pinned to ${pin.fingerprint}.\n` +
        `your key fingerprint: ${keyFingerprint}\n` +
        '(read it to your admin yourself, in person or by phone: they sign your key into the bundle only if it matches what the server shows them)\n' +
        `Next: tipline login --key ${opts.out}`);
    }));

  withStaffOptions(staff.command('deactivate').description('deactivate a staff member (admin): their sessions end, their keys are deleted, their cases listed for reassignment'))
    .argument('<staffId>')
    .action(run(async (staffId: string, opts: StaffOptions) => {
      const { reassign, flagged } = await (await staffClient(opts)).deactivate(staffId);
      emit(opts, { staffId, status: 'deactivated', reassign, flagged }, () => [
        `${staffId} deactivated; their keys are deleted.`,
        `cases they held by a grant: ${reassign.length ? reassign.join(', ') : 'none'}`,
        `flagged to intake (nobody else holds them): ${flagged.length ? flagged.join(', ') : 'none'}`,
        'Next: publish the next bundle now (`tipline bundle publish`), so no new case is sealed to them.',
      ].join('\n'));
    }));

  withStaffOptions(staff.command('list').description('list the people of your agency (admin)')).action(run(async (opts: StaffOptions) => {
    const { staff: people } = await (await staffClient(opts)).listStaff();
    emit(opts, people, () => table(['staff id', 'name', 'roles', 'status'], people.map((p) => [p.staffId, p.displayName, p.roles.join(','), p.status])));
  }));

  registerBundlePublish(program);

  withStaffOptions(program.command('login').description('log in by signing a challenge with your key file')).action(run(async (opts: StaffOptions) => {
    const { keys, meta } = await unlockKeys(opts);
    if (!meta.staffId) throw new CliError('this key file is not enrolled (no staff id)');
    const session = await login(httpFor(opts), meta.staffId, keys, signedOrigin(opts));
    const state = await loadState(opts.home);
    state.sessions[`${opts.server}|${meta.staffId}`] = session;
    state.current[opts.server] = meta.staffId;
    await saveState(opts.home, state);
    emit(opts, { staffId: session.staffId, roles: session.roles, expiresAt: session.expiresAt }, () => `logged in as ${session.staffId} (${session.roles.join(', ')}) until ${session.expiresAt}`);
  }));

  withStaffOptions(program.command('logout').description('end your session')).action(run(async (opts: StaffOptions) => {
    const client = await staffClient(opts);
    await client.logout();
    const state = await loadState(opts.home);
    delete state.sessions[`${opts.server}|${client.session.staffId}`];
    await saveState(opts.home, state);
    emit(opts, { loggedOut: true }, () => 'logged out');
  }));
}

