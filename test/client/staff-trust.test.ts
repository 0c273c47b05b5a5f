import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { fileTrustStore, pinAgency, pinnedAgency, pinsPath, unpinAgency } from '../../src/client/staff-trust-file.js';
import { checkBundle, type StaffTrustError } from '../../src/client/staff-trust.js';
import { agencyFingerprint, generateAgencyKeys, loadBackend, signBundle, toBase64Url, type BundleContent } from '../../src/protocol/index.js';

// The staff trust store on disk and the bundle check, without a server.

const AGENCY = '3f1c2b9e-8d7a-4c65-b4e3-2a1908f7e6d5';
const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError) => e.code);

function home(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'tipline-pins-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'home');
}

t.test('pins: private, atomic, never silently replaced, serials only rise', async (t) => {
  const be = await loadBackend();
  const [a, b] = [agencyFingerprint(be, generateAgencyKeys(be).publicKey), agencyFingerprint(be, generateAgencyKeys(be).publicKey)];
  const dir = home(t);
  t.equal(await pinnedAgency(dir, AGENCY), undefined, 'nothing pinned yet');
  await pinAgency(dir, AGENCY, a.toLowerCase().replace(/ /g, ''));
  t.same(await pinnedAgency(dir, AGENCY), { fingerprint: a, highestSerial: 0 }, 'stored as printed, whatever the spacing and case given');
  t.equal(statSync(pinsPath(dir)).mode & 0o777, 0o600);
  t.same(readdirSync(dir), ['agency-pins.json'], 'no temporary file left behind');

  const store = fileTrustStore(dir);
  await store.sawSerial(AGENCY, 4);
  await store.sawSerial(AGENCY, 2);
  t.equal((await pinnedAgency(dir, AGENCY))?.highestSerial, 4, 'a lower serial never lowers the one remembered');

  t.equal(await codeOf(pinAgency(dir, AGENCY, b)), 'pin_conflict', 'a different key is refused without --replace');
  await pinAgency(dir, AGENCY, a);
  t.same(await pinAgency(dir, AGENCY, b, { replace: true }), { fingerprint: b, highestSerial: 4 }, 'replaced, the serial kept');
  t.equal(await codeOf(pinAgency(dir, 'not-an-id', a)), 'fingerprint_invalid');
  t.equal(await codeOf(pinAgency(dir, AGENCY, 'ABCD')), 'fingerprint_invalid');
  t.ok(await unpinAgency(dir, AGENCY));
  t.equal(await pinnedAgency(dir, AGENCY), undefined);
});

t.test('a damaged store fails closed instead of reading as empty', async (t) => {
  const dir = home(t);
  await pinAgency(dir, AGENCY, agencyFingerprint(await loadBackend(), generateAgencyKeys(await loadBackend()).publicKey));
  writeFileSync(pinsPath(dir), '{"3f1c2b9e-8d7a-4c65-b4e3-2a1908f7e6d5": {"fingerprint": 1}}');
  t.equal(await codeOf(pinnedAgency(dir, AGENCY)), 'trust_store_unreadable');
  writeFileSync(pinsPath(dir), 'not json');
  t.equal(await codeOf(fileTrustStore(dir).pinned(AGENCY)), 'trust_store_unreadable');
});

t.test('checkBundle: pin, serial, validity window and the agency asked for', async (t) => {
  const be = await loadBackend();
  const keys = generateAgencyKeys(be);
  const pin = { fingerprint: agencyFingerprint(be, keys.publicKey), highestSerial: 3 };
  const content: BundleContent = { version: 1, agencyId: AGENCY, agencySlug: 'thanh-tra', jurisdiction: 'VN', serial: 3, threshold: 1, issuedOn: '2026-01-01', expiresOn: '2026-12-31', staff: [] };
  const served = (c: BundleContent, k = keys) => {
    const s = signBundle(be, c, k.secretKey);
    return { agencyId: AGENCY, signingPublicKey: toBase64Url(k.publicKey), payload: toBase64Url(s.payload), signature: toBase64Url(s.signature) };
  };
  t.equal((await checkBundle(served(content), AGENCY, pin, '2026-06-01')).serial, 3, 'a bundle that checks out');
  t.equal(await codeOf(checkBundle(served({ ...content, serial: 2 }), AGENCY, pin, '2026-06-01')), 'bundle_rollback');
  t.equal(await codeOf(checkBundle(served(content, generateAgencyKeys(be)), AGENCY, pin, '2026-06-01')), 'bundle_invalid', 'another key');
  t.equal(await codeOf(checkBundle(served(content), AGENCY, pin, '2027-01-01')), 'bundle_expired');
  t.equal(await codeOf(checkBundle(served(content), '00000000-0000-4000-8000-000000000000', pin, '2026-06-01')), 'bundle_invalid', "another agency's bundle");
  t.equal(await codeOf(checkBundle({ ...served(content), payload: null }, AGENCY, pin)), 'bundle_missing');
});
