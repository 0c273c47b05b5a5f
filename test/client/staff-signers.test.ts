import { randomUUID } from 'node:crypto';
import t from 'tap';
import { bundleSigner } from '../../src/client/staff-signers.js';
import { generateStaffKeys, loadBackend, signDetached, toBase64Url, type BundleContent, type StaffKeys, type StaffRole } from '../../src/protocol/index.js';

// Whose signature a recorded decision carries, from the agency's verified bundles: a
// member's listing covers what they signed while it was in force, and no more. A key a
// later bundle withdrew (the member left, changed keys or lost the role) signs nothing
// dated after that bundle was issued, so a key taken from someone who left cannot write
// new history in their name.

const be = await loadBackend();
const agencyId = randomUUID();
const member = randomUUID();

function bundle(serial: number, issuedOn: string, staff: { keys: StaffKeys; roles: StaffRole[] }[]): BundleContent {
  return {
    version: 1, agencyId, agencySlug: 'thanh-tra', jurisdiction: 'VN', serial, threshold: 1, issuedOn, expiresOn: '2099-12-31',
    staff: staff.map((s) => ({ staffId: member, roles: s.roles, signPublicKey: toBase64Url(s.keys.signPublicKey), boxPublicKey: toBase64Url(s.keys.boxPublicKey) })),
  };
}

const message = new TextEncoder().encode('a transition');
const claim = (keys: StaffKeys, onDay: string, roles: StaffRole[] = ['supervisor']) => ({
  staffId: member, roles, onDay, kind: 'transition' as const, message, signature: signDetached(be, 'transition', message, keys.signSecretKey),
});
const verdict = (bundles: BundleContent[], c: ReturnType<typeof claim>) => {
  const signer = bundleSigner(be, bundles, c);
  return typeof signer === 'string' ? 'refused' : signer.role;
};

t.test('a member in the current bundle signs whatever day', async (t) => {
  const keys = generateStaffKeys(be);
  const bundles = [bundle(1, '2025-01-01', [{ keys, roles: ['supervisor'] }])];
  t.equal(verdict(bundles, claim(keys, '2024-06-01')), 'supervisor', 'dated before the bundle (a backdated decision)');
  t.equal(verdict(bundles, claim(keys, '2025-06-01')), 'supervisor');
  t.equal(verdict(bundles, claim(keys, '2025-06-01', ['intake'])), 'refused', 'not with a role the bundle does not give');
  t.equal(verdict(bundles, claim(generateStaffKeys(be), '2025-06-01')), 'refused', 'nor with another key');
});

t.test('a member who left signed only up to the day the bundle without them was issued', async (t) => {
  const keys = generateStaffKeys(be);
  const bundles = [bundle(1, '2025-01-01', [{ keys, roles: ['supervisor'] }]), bundle(2, '2025-03-01', [])];
  t.equal(verdict(bundles, claim(keys, '2025-02-28')), 'supervisor', 'before they left');
  t.equal(verdict(bundles, claim(keys, '2025-03-01')), 'supervisor', 'on the day the new bundle was issued');
  t.equal(verdict(bundles, claim(keys, '2025-03-02')), 'refused', 'after: their old key writes nothing new');
});

t.test('a changed key or a lost role covers only what came before the change', async (t) => {
  const [old, fresh] = [generateStaffKeys(be), generateStaffKeys(be)];
  const rotated = [bundle(1, '2025-01-01', [{ keys: old, roles: ['supervisor'] }]), bundle(2, '2025-03-01', [{ keys: fresh, roles: ['supervisor'] }])];
  t.equal(verdict(rotated, claim(old, '2025-02-01')), 'supervisor', 'the old key, before the change');
  t.equal(verdict(rotated, claim(old, '2025-04-01')), 'refused', 'the old key, after it');
  t.equal(verdict(rotated, claim(fresh, '2025-04-01')), 'supervisor', 'the new key');
  const demoted = [bundle(1, '2025-01-01', [{ keys: old, roles: ['supervisor'] }]), bundle(2, '2025-03-01', [{ keys: old, roles: ['investigator'] }])];
  t.equal(verdict(demoted, claim(old, '2025-02-01')), 'supervisor', 'a supervisor\'s decision from while they were one');
  t.equal(verdict(demoted, claim(old, '2025-04-01')), 'refused', 'none after they were not');
});

t.test('a bundle missing between two others ends the earlier listing', async (t) => {
  const keys = generateStaffKeys(be);
  const bundles = [bundle(1, '2025-01-01', [{ keys, roles: ['supervisor'] }]), bundle(3, '2025-06-01', [])];
  t.equal(verdict(bundles, claim(keys, '2025-02-01')), 'refused', 'the server withheld serial 2: what it said is unknown, so nothing is assumed');
});
