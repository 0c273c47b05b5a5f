import { randomUUID } from 'node:crypto';
import t from 'tap';
import { signedNames } from '../../src/client/staff-names.js';
import type { BundleContent, BundleStaff } from '../../src/protocol/index.js';

// Names from verified bundles: the newest bundle that names a member wins, whatever
// order the bundles come in, and a listing without a name (a bundle published before
// names were signed) names no one, nor hides an older name.

const [lan, minh] = [randomUUID(), randomUUID()];
const KEY = 'A'.repeat(43);

function bundle(serial: number, staff: Omit<BundleStaff, 'signPublicKey' | 'boxPublicKey'>[]): BundleContent {
  return {
    version: 1, agencyId: randomUUID(), agencySlug: 'thanh-tra', jurisdiction: 'VN', serial, threshold: 1, issuedOn: '2026-01-01', expiresOn: '2026-12-31',
    staff: staff.map((s) => ({ ...s, signPublicKey: KEY, boxPublicKey: KEY })),
  };
}

t.test('the newest bundle naming a member gives their name', async (t) => {
  const bundles = [
    bundle(3, [{ staffId: lan, displayName: 'Nguyễn Thị Lan', roles: ['supervisor'] }, { staffId: minh, roles: ['investigator'] }]),
    bundle(1, [{ staffId: lan, roles: ['intake'] }]),
    bundle(2, [{ staffId: lan, displayName: 'Nguyễn Lan', roles: ['intake'] }, { staffId: minh, displayName: 'Trần Văn Minh', roles: ['investigator'] }]),
  ];
  const names = signedNames(bundles);
  t.same(names.get(lan), { displayName: 'Nguyễn Thị Lan' }, 'serial 3 renamed her, whatever the order given');
  t.same(names.get(minh), { displayName: 'Trần Văn Minh' }, 'a later listing without a name keeps the one signed before');
});

t.test('bundles published before names name no one', async (t) => {
  t.equal(signedNames([bundle(1, [{ staffId: lan, roles: ['intake'] }])]).size, 0);
  t.equal(signedNames([]).size, 0);
});
