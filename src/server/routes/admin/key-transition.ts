import { agencyFingerprint, toBase64Url, transitionsFromJson, verifyAgencyKeyTransition, type AgencyKeyTransition, type Backend } from '../../../protocol/index.js';
import { fail } from '../../errors.js';

// The agency key-transition statement an admin publishes with the new key's first
// bundle (PROTOCOL.md §9.2). Clients verify it themselves from their pins; the server
// checks it so that it never records a hand-over no client would follow.

/** The statement, checked: both signatures, the agency's current key as the old one, the bundle's serial. */
export function checkedTransition(be: Backend, agencyId: string, currentKey: Uint8Array, posted: unknown, serial: number): AgencyKeyTransition {
  const [t] = transitionsFromJson(agencyId, [posted]);
  if (!t || !verifyAgencyKeyTransition(be, t)) return fail('bundle_invalid', 'the key transition is not signed by both keys');
  if (toBase64Url(t.oldPublicKey) !== toBase64Url(currentKey)) return fail('bundle_invalid', "the key transition does not start from the agency's current key");
  if (t.effectiveSerial !== serial) return fail('bundle_invalid', 'the key transition takes effect at another serial than this bundle');
  return t;
}

/** What the audit row keeps of it: both fingerprints and both signatures. */
export function transitionAudit(be: Backend, t: AgencyKeyTransition) {
  return {
    effectiveSerial: t.effectiveSerial, issuedOn: t.issuedOn,
    oldFingerprint: agencyFingerprint(be, t.oldPublicKey), newFingerprint: agencyFingerprint(be, t.newPublicKey),
    oldSignature: toBase64Url(t.oldSignature), newSignature: toBase64Url(t.newSignature),
  };
}
