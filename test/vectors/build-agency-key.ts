import {
  agencyFingerprint, agencyKeyTransitionBytes, generateAgencyKeys, generateStaffKeys, signAgencyKeyTransition, signBundle, signDetached, toBase64Url,
  type AgencyKeyTransition, type AgencyKeys, type Backend, type BundleContent,
} from '../../src/protocol/index.js';
import { AGENCY_ID, OTHER_AGENCY_ID, hex, seededBackend, staffId } from './fixtures.js';

// agency-key.json (PROTOCOL.md §9.2): transition statements (`kind` "statement": the
// bytes rebuilt from the fields, both signatures) and chains from a pin to the bundle
// a client seals to (`kind` "chain").

function content(serial: number, staff: BundleContent['staff']): BundleContent {
  return {
    version: 1, agencyId: AGENCY_ID, agencySlug: 'thanh-tra-ha-noi', jurisdiction: 'VN', serial, threshold: 1,
    issuedOn: '2025-01-01', expiresOn: '2025-12-31', staff,
  };
}

const statementJson = (t: AgencyKeyTransition) => ({
  agencyId: t.agencyId, oldPublicKey: hex(t.oldPublicKey), newPublicKey: hex(t.newPublicKey), effectiveSerial: t.effectiveSerial, issuedOn: t.issuedOn,
  oldSignature: hex(t.oldSignature), newSignature: hex(t.newSignature),
});

function statementVectors(be: Backend, k0: AgencyKeys, k1: AgencyKeys, other: AgencyKeys): object[] {
  const fields = { agencyId: AGENCY_ID, oldPublicKey: k0.publicKey, newPublicKey: k1.publicKey, effectiveSerial: 8, issuedOn: '2025-06-01' };
  const t = signAgencyKeyTransition(be, fields, k0.secretKey, k1.secretKey);
  const message = hex(agencyKeyTransitionBytes(fields));
  const v = (name: string, expect: string, over: Record<string, unknown> = {}) => ({ name, expect, kind: 'statement', ...statementJson(t), message, ...over });
  const byOther = signDetached(be, 'agency-key-transition', agencyKeyTransitionBytes(fields), other.secretKey);
  return [
    v('a key hands over to the next, signed by both', 'ok'),
    v('another effective serial than the one signed', 'rejected', { effectiveSerial: 9 }),
    v('another agency than the one signed', 'rejected', { agencyId: OTHER_AGENCY_ID }),
    v('another day than the one signed', 'rejected', { issuedOn: '2025-06-02' }),
    v('the old signature by a key that is not the old key', 'rejected', { oldSignature: hex(byOther) }),
    v('the new signature by a key that is not the new key (no proof of possession)', 'rejected', { newSignature: hex(byOther) }),
    v('the two signatures swapped', 'rejected', { oldSignature: hex(t.newSignature), newSignature: hex(t.oldSignature) }),
    v('the same bytes signed as a bundle', 'rejected', {
      oldSignature: hex(signDetached(be, 'bundle', agencyKeyTransitionBytes(fields), k0.secretKey)),
    }),
    v('the new key named as the old one too', 'rejected', { newPublicKey: hex(k0.publicKey) }),
  ];
}

export function buildAgencyKeyVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/agency-key');
  const [k0, k1, k2, other] = [generateAgencyKeys(be), generateAgencyKeys(be), generateAgencyKeys(be), generateAgencyKeys(be)];
  const keys = generateStaffKeys(be);
  const staff = [{ staffId: staffId(1), displayName: 'Nguyễn Thị Lan', roles: ['intake' as const], signPublicKey: toBase64Url(keys.signPublicKey), boxPublicKey: toBase64Url(keys.boxPublicKey) }];
  const hand = (from: AgencyKeys, to: AgencyKeys, serial: number) =>
    signAgencyKeyTransition(be, { agencyId: AGENCY_ID, oldPublicKey: from.publicKey, newPublicKey: to.publicKey, effectiveSerial: serial, issuedOn: '2025-06-01' }, from.secretKey, to.secretKey);
  const t01 = hand(k0, k1, 8);
  const t12 = hand(k1, k2, 9);
  const bundle = (serial: number, by: AgencyKeys) => {
    const b = signBundle(be, content(serial, staff), by.secretKey);
    return { payload: hex(b.payload), signature: hex(b.signature) };
  };
  const chain = (name: string, expect: string, over: Record<string, unknown>) => ({
    name, expect, kind: 'chain', agencyId: AGENCY_ID, pinnedFingerprint: agencyFingerprint(be, k0.publicKey), revoked: [],
    offeredKey: hex(k1.publicKey), transitions: [statementJson(t01)], minSerial: 7, today: '2025-06-30', ...bundle(8, k1), ...over,
  });
  const forged = { ...t01, oldSignature: signDetached(be, 'agency-key-transition', agencyKeyTransitionBytes(t01), other.secretKey) };
  return [
    ...statementVectors(be, k0, k1, other),
    chain('pinned to K0, a K0→K1 statement, bundle 8 signed by K1', 'ok', { serial: 8, signer: agencyFingerprint(be, k1.publicKey) }),
    chain('two hand-overs, K0→K1→K2, bundle 9 signed by K2', 'ok', {
      offeredKey: hex(k2.publicKey), transitions: [statementJson(t01), statementJson(t12)], ...bundle(9, k2), serial: 9, signer: agencyFingerprint(be, k2.publicKey),
    }),
    chain('pinned to K1 (a later page build), bundle 8 signed by K1', 'ok', { pinnedFingerprint: agencyFingerprint(be, k1.publicKey), serial: 8, signer: agencyFingerprint(be, k1.publicKey) }),
    chain('no statement: bundle 8 signed by a key the pin does not lead to', 'bundle_invalid', { transitions: [] }),
    chain('a statement whose old signature is forged', 'bundle_invalid', { transitions: [statementJson(forged)] }),
    chain('after the hand-over, bundle 8 signed by the old key K0', 'bundle_invalid', { ...bundle(8, k0) }),
    chain('pinned to K1, bundle 7 signed by K0 offered as the current one', 'bundle_invalid', {
      pinnedFingerprint: agencyFingerprint(be, k1.publicKey), minSerial: 1, ...bundle(7, k0),
    }),
    chain('K1 revoked by a re-pin: its statement is not followed', 'bundle_invalid', { revoked: [agencyFingerprint(be, k1.publicKey)] }),
    chain('two statements leaving K0 (a fork)', 'bundle_invalid', { transitions: [statementJson(t01), statementJson(hand(k0, other, 8))] }),
    chain('bundle 8 of K1 when serial 9 was seen', 'bundle_rollback', { minSerial: 9 }),
  ];
}
