import {
  agencyFingerprint, encryptKeyFile, generateAgencyKeys, generateStaffKeys, generateStaffKeysV2, signBundle, signDetached,
  staffKeyFingerprint, toBase64Url, type Backend, type BundleContent, type BundleStaff,
} from '../../src/protocol/index.js';
import { utf8 } from '../../src/protocol/bytes.js';
import { AGENCY_ID, flip, hex, seededBackend, seededRandom, staffId } from './fixtures.js';

// keyfile-v2.json, bundle-v2.json and fingerprint-v2.json (PROTOCOL.md §16.4, §16.5):
// staff keys with an X-Wing pair, and the bundle entries that publish it.

export async function buildKeyFileV2Vectors(base: Backend): Promise<object[]> {
  const be = seededBackend(base, 'tipline/vectors/keyfile-v2');
  const keys = generateStaffKeysV2(be);
  const text = await encryptKeyFile(keys, 'correct horse battery staple', { staffId: staffId(1), label: 'laptop' }, {
    opslimit: 1, memlimit: 8192, randomBytes: seededRandom('tipline/vectors/keyfile-v2/salt'),
  });
  const file = JSON.parse(text) as Record<string, unknown>;
  const { xwingPublicKey: _, ...withoutXWing } = file;
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}, base: Record<string, unknown> = file) => ({
    name, expect, passphrase: 'correct horse battery staple', file: { ...base, ...over },
    ...(expect === 'ok'
      ? {
        signPublicKey: hex(keys.signPublicKey), boxPublicKey: hex(keys.boxPublicKey), xwingPublicKey: hex(keys.xwingPublicKey!),
        signSecretKey: hex(keys.signSecretKey), boxSecretKey: hex(keys.boxSecretKey), xwingSecretKey: hex(keys.xwingSecretKey!),
      }
      : {}),
  });
  return [
    vector('version 2 key file opens', 'ok'),
    { ...vector('wrong passphrase', 'open_failed'), passphrase: 'correct horse battery stapler' },
    vector('X-Wing public key swapped', 'open_failed', { xwingPublicKey: toBase64Url(generateStaffKeysV2(be).xwingPublicKey!) }),
    vector('X-Wing public key left out', 'open_failed', {}, withoutXWing),
    vector('X-Wing public key left out and version 1 declared', 'open_failed', { version: 1 }, withoutXWing),
    vector('version 1 declared', 'open_failed', { version: 1 }),
    vector('version 3 declared', 'open_failed', { version: 3 }),
    vector('X-Wing public key of 1215 bytes', 'open_failed', { xwingPublicKey: (file.xwingPublicKey as string).slice(0, -2) }),
  ];
}

function content(staff: unknown[]): BundleContent {
  return {
    version: 1, agencyId: AGENCY_ID, agencySlug: 'thanh-tra-ha-noi', jurisdiction: 'VN', serial: 7, threshold: 1,
    issuedOn: '2025-01-01', expiresOn: '2025-12-31', staff: staff as BundleStaff[],
  };
}

export function buildBundleV2Vectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/bundle-v2');
  const agency = generateAgencyKeys(be);
  const v2 = generateStaffKeysV2(be);
  const v1 = generateStaffKeys(be);
  const xwingPublicKey = toBase64Url(v2.xwingPublicKey!);
  const upgraded = {
    staffId: staffId(1), displayName: 'Nguyễn Thị Lan', roles: ['intake', 'custodian'],
    signPublicKey: toBase64Url(v2.signPublicKey), boxPublicKey: toBase64Url(v2.boxPublicKey), xwingPublicKey, versions: [1, 2],
  };
  const older = {
    staffId: staffId(2), displayName: 'Trần Văn Minh', roles: ['investigator'],
    signPublicKey: toBase64Url(v1.signPublicKey), boxPublicKey: toBase64Url(v1.boxPublicKey),
  };
  const signed = (first: Record<string, unknown>) => {
    const payload = utf8(JSON.stringify(content([first, older])));
    return { payload: hex(payload), signature: hex(signDetached(be, 'bundle', payload, agency.secretKey)) };
  };
  const vector = (name: string, expect: string, bundle: { payload: string; signature: string }, over: Record<string, unknown> = {}) => ({
    name, expect, agencyPublicKey: hex(agency.publicKey), pinnedFingerprint: agencyFingerprint(be, agency.publicKey),
    minSerial: 7, today: '2025-06-30', ...bundle, ...over,
  });
  const { versions: _, ...keyOnly } = upgraded;
  const { xwingPublicKey: __, ...versionsOnly } = upgraded;
  const issued = signBundle(be, content([upgraded, older]), agency.secretKey);
  return [
    vector('a member accepting v1 and v2 beside a member accepting v1 only', 'ok', { payload: hex(issued.payload), signature: hex(issued.signature) }, {
      members: [{ versions: [1, 2], xwingPublicKey: hex(v2.xwingPublicKey!) }, { versions: [1], xwingPublicKey: null }],
    }),
    vector('a member listing versions [1] and no X-Wing key', 'ok', signed({ ...versionsOnly, versions: [1] }), {
      members: [{ versions: [1], xwingPublicKey: null }, { versions: [1], xwingPublicKey: null }],
    }),
    vector('an X-Wing key without versions', 'bundle_invalid', signed(keyOnly)),
    vector('versions [1, 2] without an X-Wing key', 'bundle_invalid', signed(versionsOnly)),
    vector('an X-Wing key with versions [1]', 'bundle_invalid', signed({ ...upgraded, versions: [1] })),
    vector('versions out of order', 'bundle_invalid', signed({ ...upgraded, versions: [2, 1] })),
    vector('a version listed twice', 'bundle_invalid', signed({ ...upgraded, versions: [1, 2, 2] })),
    vector('an unknown version', 'bundle_invalid', signed({ ...upgraded, versions: [1, 2, 3] })),
    vector('no version', 'bundle_invalid', signed({ ...upgraded, versions: [] })),
    vector('a version as a string', 'bundle_invalid', signed({ ...upgraded, versions: [1, '2'] })),
    vector('an X-Wing key of 1215 bytes', 'bundle_invalid', signed({ ...upgraded, xwingPublicKey: toBase64Url(v2.xwingPublicKey!.subarray(1)) })),
    vector('an X-Wing key that is null', 'bundle_invalid', signed({ ...upgraded, xwingPublicKey: null })),
    vector('payload byte changed', 'bundle_invalid', { payload: hex(flip(issued.payload, 40)), signature: hex(issued.signature) }),
  ];
}

export function buildFingerprintV2Vectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/fingerprint-v2');
  const keys = generateStaffKeysV2(be);
  const vector = (name: string, expect: string, xwing: Uint8Array) => ({
    name, expect, signPublicKey: hex(keys.signPublicKey), boxPublicKey: hex(keys.boxPublicKey), xwingPublicKey: hex(xwing),
    ...(expect === 'ok' ? { fingerprint: staffKeyFingerprint(be, keys.signPublicKey, keys.boxPublicKey, xwing) } : {}),
  });
  return [
    vector('a member with an X-Wing key', 'ok', keys.xwingPublicKey!),
    vector('an X-Wing key of 1215 bytes', 'input_invalid', keys.xwingPublicKey!.subarray(1)),
    vector('an X-Wing key of 32 bytes', 'input_invalid', keys.xwingPublicKey!.subarray(0, 32)),
  ];
}
