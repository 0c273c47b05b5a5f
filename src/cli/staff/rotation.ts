import type { Command } from 'commander';
import { rotateKeys, rotationStatus } from '../../client/staff-rotation.js';
import { encryptKeyFile, generateStaffKeys, loadBackend, staffKeyFingerprint } from '../../protocol/index.js';
import { existingFiles, SecretFileExistsError, writeSecretFile } from '../common/key-files.js';
import { CliError, emit, table } from '../common/output.js';
import { progressBar, type Progress } from '../common/progress.js';
import { staffClient, unlockKeys, withStaffOptions, type StaffOptions } from './context.js';
import { run } from './run.js';
import { newPassphrase } from './setup.js';

// `tipline keys rotate` (any staff member) and `tipline staff reassignments` (intake):
// the two halves of keys over years that are not the admin's bundle (docs/STAFF.md,
// "Keys over years"). The new key file is written before anything is sent, and the old
// one is left where it is: it stays the one to log in with until the admin publishes
// the bundle that lists the new key.

export function registerRotation(program: Command): void {
  const keys = program.commands.find((c) => c.name() === 'keys') ?? program.command('keys');
  withStaffOptions(keys.command('rotate').description('make a new key pair and re-seal every key you hold to it; the admin then publishes it'))
    .requiredOption('--out <file>', 'where to write the new key file (keep the old one until the admin has published)')
    .action(run(async (opts: StaffOptions & { out: string }) => {
      if ((await existingFiles([opts.out])).length) throw new SecretFileExistsError(opts.out);
      const { keys: old, meta } = await unlockKeys(opts);
      if (!meta.staffId) throw new CliError('this key file is not enrolled (no staff id)');
      const client = await staffClient(opts);
      const be = await loadBackend();
      const next = generateStaffKeys(be);
      await writeSecretFile(opts.out, await encryptKeyFile(next, await newPassphrase(opts), { ...meta, label: 'staff' }));
      let bar: Progress | undefined;
      const { resealed, unstaged } = await rotateKeys(client, old, next, (p) => {
        bar ??= progressBar('re-sealing keys', p.total, 'items');
        bar.update(p.done);
      });
      bar?.stop();
      const fingerprint = staffKeyFingerprint(be, next.signPublicKey, next.boxPublicKey);
      emit(opts, { file: opts.out, fingerprint, resealed, unstaged }, () => [
        `wrote ${opts.out}; ${resealed} keys re-sealed to it${unstaged ? `, ${unstaged} still missing: run this again` : ''}.`,
        `your new key fingerprint: ${fingerprint}`,
        '(read it to your admin yourself: they publish it with `tipline bundle publish --accept`)',
        `Until then keep using ${opts.key}; afterwards log in with \`tipline login --key ${opts.out}\` and destroy the old file.`,
      ].join('\n'));
    }));

  withStaffOptions(keys.command('rotation').description('your staged key rotation: its new key and how many keys still need re-sealing'))
    .action(run(async (opts: StaffOptions) => {
      const r = await rotationStatus(await staffClient(opts));
      const be = await loadBackend();
      const fingerprint = r && staffKeyFingerprint(be, Buffer.from(r.signPublicKey, 'base64url'), Buffer.from(r.boxPublicKey, 'base64url'));
      emit(opts, r && { ...r, fingerprint }, () => (r ? `rotation staged on ${r.stagedOn} to ${fingerprint}; ${r.unstaged} keys still to re-seal` : 'no rotation staged'));
    }));

  const staff = program.commands.find((c) => c.name() === 'staff') ?? program.command('staff');
  withStaffOptions(staff.command('reassignments').description('cases whose only holder by a grant has left (intake): grant each again with `tipline case assign`'))
    .action(run(async (opts: StaffOptions) => {
      const { cases } = await (await staffClient(opts)).reassignments();
      emit(opts, cases, () => (cases.length
        ? table(['case', 'number', 'held by (left)', 'flagged on'], cases.map((c) => [c.caseId, c.publicNumber, c.departedId, c.flaggedOn]))
        : 'no case is waiting to be granted again'));
    }));
}
