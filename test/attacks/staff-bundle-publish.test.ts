import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t, { type Test } from 'tap';
import { proposeBundle, publishBundle } from '../../src/client/staff-bundle.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { encryptKeyFile, generateStaffKeys, loadBackend, staffKeyFingerprint, type StaffKeys } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newStaff, publishBundleOf } from '../server/staff-kit.js';

// A database writer against the admin's unmodified client: it swaps an enrolled
// officer's public keys for its own and adds a member of its own making, then waits for
// the admin's next `bundle publish` to sign them in. The admin's client must refuse
// until each new or changed key is accepted by the fingerprint its member read out, name
// those keys, and carry every unchanged member over from the previous verified bundle.

const refusal = (p: Promise<unknown>) => p.then(() => 'published', (e: StaffTrustError) => `${e.code}: ${e.message}`);
const fingerprintOf = async (keys: StaffKeys) => staffKeyFingerprint(await loadBackend(), keys.signPublicKey, keys.boxPublicKey);

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const custodian = await newStaff(app, agency, ['custodian']);
  const first = await publishBundleOf(agency);
  // The attacker's keys, under the intake officer's name and under a member nobody invited.
  const be = await loadBackend();
  const [swapped, fake] = [generateStaffKeys(be), generateStaffKeys(be)];
  const fakeId = randomUUID();
  await database.db.updateTable('staff').set({ sign_public_key: swapped.signPublicKey, box_public_key: swapped.boxPublicKey }).where('id', '=', intake.staffId).execute();
  await database.db.insertInto('staff').values({
    id: fakeId, agency_id: agency.agencyId, display_name: 'Trưởng phòng', roles: ['supervisor'], status: 'active',
    sign_public_key: fake.signPublicKey, box_public_key: fake.boxPublicKey,
  }).execute();
  return {
    app, db: database.db, agency, intake, custodian, first, fakeId,
    fingerprints: { honest: await fingerprintOf(intake.keys), swapped: await fingerprintOf(swapped), fake: await fingerprintOf(fake) },
  };
}

t.setTimeout(540_000);

t.test('a swapped key and a fake member are named, and nothing is signed until each is accepted', async (t) => {
  const { db, agency, intake, custodian, first, fakeId, fingerprints } = await setup(t);
  const proposal = await proposeBundle(agency.admin.client);
  t.same(proposal.changed.map((m) => [m.staffId, m.fingerprint, m.previous?.fingerprint]), [[intake.staffId, fingerprints.swapped, fingerprints.honest]],
    'the swap is shown as a change, beside the key the last bundle listed');
  t.same(proposal.added.map((m) => [m.staffId, m.roles, m.fingerprint]), [[fakeId, ['supervisor'], fingerprints.fake]], 'the fake member as new, with its role');
  const previous = new Map(first.content.staff.map((s) => [s.staffId, s]));
  t.same(proposal.carried, [agency.admin.staffId, custodian.staffId].map((id) => previous.get(id)), 'the unchanged members, as the previous verified bundle listed them');

  const none = await refusal(publishBundle(agency.admin.client, agency.agencyKeys));
  t.match(none, /^keys_unconfirmed: /, 'no --accept: refused');
  t.match(none, fingerprints.swapped, 'names the swapped key');
  t.match(none, fingerprints.fake, 'names the fake member\'s key');
  // The intake officer reads out the key they enrolled: it is not the one the server now holds.
  const honest = await refusal(publishBundle(agency.admin.client, agency.agencyKeys, { accept: [fingerprints.honest] }));
  t.match(honest, new RegExp(`^keys_unconfirmed: .*${fingerprints.swapped}`), 'the member\'s own fingerprint does not accept the swapped key');
  const one = await refusal(publishBundle(agency.admin.client, agency.agencyKeys, { accept: [fingerprints.swapped] }));
  t.match(one, new RegExp(`^keys_unconfirmed: .*${fingerprints.fake}`), 'one accepted, the other still refused and named');
  t.notMatch(one, fingerprints.swapped);
  t.equal((await db.selectFrom('key_bundles').select('serial').where('agency_id', '=', agency.agencyId).execute()).length, 1, 'no bundle was published');
  t.same((await agency.admin.client.verifiedBundle()).staff, first.content.staff, 'staff clients still get the keys they had');
});

t.test('with the swap undone and the fake member removed, the next bundle carries the others over', async (t) => {
  const { app, db, agency, intake, first, fakeId } = await setup(t);
  await db.updateTable('staff').set({ sign_public_key: intake.keys.signPublicKey, box_public_key: intake.keys.boxPublicKey }).where('id', '=', intake.staffId).execute();
  await agency.admin.client.deactivate(fakeId);
  const investigator = await newStaff(app, agency, ['investigator']);
  const mistyped = await refusal(publishBundle(agency.admin.client, agency.agencyKeys, { accept: [await fingerprintOf(investigator.keys), await fingerprintOf(generateStaffKeys(await loadBackend()))] }));
  t.match(mistyped, /^keys_unconfirmed: .*matches no key of the next bundle/, 'a fingerprint that names no key of the bundle is refused, not ignored');
  const published = await publishBundle(agency.admin.client, agency.agencyKeys, { accept: [await fingerprintOf(investigator.keys)] });
  t.equal(published.serial, 2);
  t.same(published.content.staff.slice(0, first.content.staff.length), first.content.staff, 'every earlier member carried over unchanged');
  t.same(published.proposal.added.map((m) => m.staffId), [investigator.staffId], 'the one new member, accepted by the fingerprint they read out');
});

t.test('tipline bundle publish refuses without --accept, and --yes accepts nothing by itself', async (t) => {
  const { app, agency, fingerprints } = await setup(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'tipline-publish-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const limits = { opslimit: 1, memlimit: 8192 };
  const adminFile = join(dir, 'admin.json');
  const agencyFile = join(dir, 'agency.json');
  writeFileSync(adminFile, await encryptKeyFile(agency.admin.keys, 'correct horse', { staffId: agency.admin.staffId, label: 'staff' }, limits));
  const agencyKeys = { ...generateStaffKeys(await loadBackend()), signPublicKey: agency.agencyKeys.publicKey, signSecretKey: agency.agencyKeys.secretKey };
  writeFileSync(agencyFile, await encryptKeyFile(agencyKeys, 'correct horse', { label: 'agency' }, limits));
  const repo = resolve(import.meta.dirname, '../..');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TIPLINE_')));
  const tipline = (...args: string[]) => new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['--import=tsx', join(repo, 'src/cli/main.ts'), ...args], {
      cwd: repo, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, TIPLINE_SERVER: server, TIPLINE_ORIGIN: app.config.origin, TIPLINE_HOME: join(dir, 'home'), TIPLINE_KEY: adminFile, TIPLINE_PASSPHRASE: 'correct horse' },
    });
    let [stdout, stderr] = ['', ''];
    child.stdout!.on('data', (d: Buffer) => { stdout += String(d); });
    child.stderr!.on('data', (d: Buffer) => { stderr += String(d); });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
  t.equal((await tipline('login')).status, 0);
  t.equal((await tipline('agency', 'pin', agency.agencyId, agency.fingerprint)).status, 0);
  const publish = (...extra: string[]) => tipline('bundle', 'publish', '--agency-key', agencyFile, ...extra);

  const bare = await publish();
  t.equal(bare.status, 1, 'no terminal to confirm on and no --accept: refused');
  t.match(bare.stderr, /nothing was published: these keys are not confirmed \(keys_unconfirmed\)/);
  t.match(bare.stderr, new RegExp(`~ .*${fingerprints.swapped} — CHANGED key, was ${fingerprints.honest}`), 'the change, with the key it replaces');
  t.match(bare.stderr, new RegExp(`\\+ Trưởng phòng .*supervisor\\): ${fingerprints.fake} — new`), 'the new member, with its role');
  const yes = await publish('--yes', '--accept', fingerprints.swapped);
  t.equal(yes.status, 1, '--yes with a key left unnamed: refused');
  t.match(yes.stderr, fingerprints.fake);
  t.notMatch(yes.stdout, /published/);
});
