import {
  agencyFingerprint, generateAgencyKeys, generateStaffKeys, signBundle, signDetached, toBase64Url, type Backend, type BundleContent,
} from '../../src/protocol/index.js';
import { utf8 } from '../../src/protocol/bytes.js';
import { AGENCY_ID, flip, hex, seededBackend, staffId } from './fixtures.js';

// bundle.json (PROTOCOL.md §9): the five checks, and the staff names a bundle signs.
// The name vectors are signed by the agency key, so the name rule is all that fails.

const NAMES = ['Nguyễn Thị Lan', 'Trần Văn Minh', 'Lê Hoàng Anh'];
// A character outside the Basic Multilingual Plane (two UTF-16 units, four UTF-8 bytes):
// the length limit counts code points.
const ASTRAL = '\u{20000}';

function bundleContent(serial: number, staff: BundleContent['staff']): BundleContent {
  return {
    version: 1,
    agencyId: AGENCY_ID,
    agencySlug: 'thanh-tra-ha-noi',
    jurisdiction: 'VN',
    serial,
    threshold: 2,
    issuedOn: '2025-01-01',
    expiresOn: '2025-12-31',
    staff,
  };
}

/** Signs content as given, bypassing signBundle's checks: a bundle as another publisher could sign it. */
function signedAsIs(be: Backend, content: unknown, agencySecretKey: Uint8Array): { payload: string; signature: string } {
  const payload = utf8(JSON.stringify(content));
  return { payload: hex(payload), signature: hex(signDetached(be, 'bundle', payload, agencySecretKey)) };
}

export function buildBundleVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/bundle');
  const agency = generateAgencyKeys(be);
  const other = generateAgencyKeys(be);
  const staff = [0, 1, 2].map((i) => {
    const keys = generateStaffKeys(be);
    const roles = i === 0 ? (['intake', 'custodian'] as const) : (['investigator', 'custodian'] as const);
    return { staffId: staffId(i + 1), displayName: NAMES[i]!, roles: [...roles], signPublicKey: toBase64Url(keys.signPublicKey), boxPublicKey: toBase64Url(keys.boxPublicKey) };
  });
  const bundle = signBundle(be, bundleContent(7, staff), agency.secretKey);
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}) => ({
    name,
    expect,
    agencyPublicKey: hex(agency.publicKey),
    pinnedFingerprint: agencyFingerprint(be, agency.publicKey),
    minSerial: 7,
    today: '2025-06-30',
    payload: hex(bundle.payload),
    signature: hex(bundle.signature),
    ...over,
  });
  const old = signBundle(be, bundleContent(6, staff), agency.secretKey);
  /** The bundle with the first member's name replaced (undefined: left out), signed by the agency. */
  const named = (displayName: unknown) => signedAsIs(be, bundleContent(7, [{ ...staff[0]!, displayName } as BundleContent['staff'][number], ...staff.slice(1)]), agency.secretKey);
  /** The bundle naming another jurisdiction (undefined: none, as signed before it existed). */
  const under = (jurisdiction: unknown) => {
    const { jurisdiction: _, ...content } = bundleContent(7, staff);
    return signedAsIs(be, jurisdiction === undefined ? content : { ...content, jurisdiction }, agency.secretKey);
  };
  const longest = `Hồ ${ASTRAL.repeat(97)}`;
  // §9.1: the recovery recipient, signed in like the staff.
  const recoveryKey = toBase64Url(generateStaffKeys(be).boxPublicKey);
  const recovering = (recovery: unknown) => signedAsIs(be, { ...bundleContent(7, staff), recovery }, agency.secretKey);
  const listed = { boxPublicKey: recoveryKey, threshold: 2, shares: 3 };
  return [
    vector('a recovery recipient, 2 of 3 shares', 'ok', { ...recovering(listed), serial: 7, jurisdiction: 'VN', displayNames: NAMES, recovery: listed }),
    vector('a recovery recipient split 1 of 1 (a whole key on paper)', 'bundle_invalid', recovering({ ...listed, threshold: 1, shares: 1 })),
    vector('a recovery threshold above its shares', 'bundle_invalid', recovering({ ...listed, threshold: 4 })),
    vector('a recovery key of 31 bytes', 'bundle_invalid', recovering({ ...listed, boxPublicKey: recoveryKey.slice(0, 42) })),
    vector("a recovery key that is a staff member's box key", 'bundle_invalid', recovering({ ...listed, boxPublicKey: staff[1]!.boxPublicKey })),
    vector('a recovery recipient that is null (not the same as none)', 'bundle_invalid', recovering(null)),
    vector('bundle verifies', 'ok', { serial: 7, jurisdiction: 'VN', displayNames: NAMES }),
    vector('signed before jurisdictions: none named verifies (clients then refuse to check its workflow)', 'ok', { ...under(undefined), serial: 7, jurisdiction: null, displayNames: NAMES }),
    vector('another jurisdiction', 'ok', { ...under('EU'), serial: 7, jurisdiction: 'EU', displayNames: NAMES }),
    vector('a jurisdiction in lower case', 'bundle_invalid', under('vn')),
    vector('a jurisdiction that is not a string', 'bundle_invalid', under(84)),
    vector('a jurisdiction that is null (not the same as none)', 'bundle_invalid', under(null)),
    vector('an empty jurisdiction', 'bundle_invalid', under('')),
    vector('older serial than already seen', 'bundle_rollback', { payload: hex(old.payload), signature: hex(old.signature) }),
    vector('signature byte flipped', 'bundle_invalid', { signature: hex(flip(bundle.signature, 0)) }),
    vector('payload byte changed', 'bundle_invalid', { payload: hex(flip(bundle.payload, 20)) }),
    vector('signed by another key', 'bundle_invalid', { agencyPublicKey: hex(other.publicKey), pinnedFingerprint: agencyFingerprint(be, other.publicKey) }),
    vector('fingerprint pin does not match', 'bundle_invalid', { pinnedFingerprint: agencyFingerprint(be, other.publicKey) }),
    vector('expired on the day checked', 'bundle_invalid', { today: '2026-01-01' }),
    vector('not yet valid on the day checked', 'bundle_invalid', { today: '2024-12-31' }),
    vector('published before names: a member without one verifies', 'ok', { ...named(undefined), serial: 7, jurisdiction: 'VN', displayNames: [null, ...NAMES.slice(1)] }),
    vector('a name of 100 code points, 197 UTF-16 units', 'ok', { ...named(longest), serial: 7, jurisdiction: 'VN', displayNames: [longest, ...NAMES.slice(1)] }),
    vector('a name of 101 code points', 'bundle_invalid', named(`${longest}${ASTRAL}`)),
    vector('an empty name', 'bundle_invalid', named('')),
    vector('a name that is not a string', 'bundle_invalid', named(7)),
    vector('a name that is null (not the same as none)', 'bundle_invalid', named(null)),
    vector('a name with a line feed', 'bundle_invalid', named('Nguyễn Thị Lan\nTrưởng phòng')),
    vector('a name with a C1 control', 'bundle_invalid', named('Nguyễn\u0085Thị Lan')),
    vector('a name with a right-to-left override', 'bundle_invalid', named('Nguyễn \u202enaL ị')),
    vector('a name with a first-strong isolate', 'bundle_invalid', named('Nguyễn \u2068Thị Lan')),
    vector('a name with a zero-width space', 'bundle_invalid', named('Nguyễn\u200bThị Lan')),
    vector('a name with an unpaired surrogate (a JSON escape)', 'bundle_invalid', named('Nguyễn Thị Lan\ud800')),
    vector('a name with a byte order mark', 'bundle_invalid', named('\ufeffNguyễn Thị Lan')),
    vector('a name ending in a space', 'bundle_invalid', named('Nguyễn Thị Lan ')),
    vector('a name starting with an ideographic space', 'bundle_invalid', named('\u3000Nguyễn Thị Lan')),
  ];
}
