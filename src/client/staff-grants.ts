import { GRANTER_ROLES, SUBMISSION_RECIPIENT_ROLES } from '../domain/index.js';
import { fromBase64Url, loadBackend, rekeySigningBytes, verifyDetached, wrappedDigest, type BundleContent } from '../protocol/index.js';
import { WRAP_KIND } from '../protocol/labels.js';
import { grantSigningBytes } from '../protocol/signing-bytes.js';
import { memberWithRole, StaffTrustError } from './staff-trust.js';

// Before a staff client uses a content key the server hands it, it checks where the key
// came from (PROTOCOL.md §8.3.2, §9). A granted key is used only if its grant signature
// verifies against the granter's key in the granter's verified bundle, and the granter
// may grant; a key wrapped at submission only if this staff member is one of the intake
// officers the case was sealed to. Otherwise a server could wrap to an investigator the
// key of a case it built itself, dressed up as assigned by a colleague. A key this member
// re-sealed at a key rotation (§8.3.12) is used only if its rekey signature verifies
// under their own signing key; the grant is then checked over the key it signed (the
// origin), so a rotation keeps who granted the case as checkable as before.

/** The caller's own key as the case detail serves it. */
export interface ServedKey {
  agencyId: string;
  wrappedKey: string;
  keyGrant: { grantedBy: string; granterAgencyId: string | null; signature: string | null } | null;
  /** Set when this member re-sealed the key at a rotation: the origin's digest and their rekey signature. */
  keyRekey?: { originDigest: string; signature: string } | null;
}

type BundleOf = (agencyId: string) => Promise<BundleContent>;

const refused = (caseId: string, why: string) =>
  new StaffTrustError('signature_invalid', `the key the server handed you for case ${caseId} ${why}: refused, nothing was opened`);

function decoded(text: string): Uint8Array | null {
  try { return fromBase64Url(text); } catch { return null; }
}

/**
 * Throws a StaffTrustError unless `served` is a key this staff member may use for the
 * case. `mySignPublicKey`: the member's own signing key (their key file's), which a
 * re-sealed key's rekey signature must verify under.
 */
export async function checkKeyGrant(caseId: string, myStaffId: string, served: ServedKey, bundleOf: BundleOf, mySignPublicKey?: Uint8Array): Promise<void> {
  const be = await loadBackend();
  const wrapped = decoded(served.wrappedKey);
  if (!wrapped) throw refused(caseId, 'is not a key');
  const origin = served.keyRekey ? checkRekey(be, caseId, myStaffId, served.keyRekey, wrapped, mySignPublicKey) : wrappedDigest(be, wrapped);
  const grant = served.keyGrant;
  if (!grant) {
    // The denouncer's client sealed the case to the intake officers of the agency's bundle.
    memberWithRole(await bundleOf(served.agencyId), myStaffId, SUBMISSION_RECIPIENT_ROLES, 'the holder of a key wrapped at submission,');
    return;
  }
  const signature = grant.signature === null ? null : decoded(grant.signature);
  if (!signature) throw refused(caseId, `carries no grant signature (said to be granted by ${grant.grantedBy})`);
  if (!grant.granterAgencyId) throw refused(caseId, `names a granter ${grant.grantedBy} of no known agency`);
  const granter = memberWithRole(await bundleOf(grant.granterAgencyId), grant.grantedBy, GRANTER_ROLES, 'the granter');
  const bytes = grantSigningBytes(caseId, myStaffId, { digest: origin }, be);
  if (!verifyDetached(be, 'grant', signature, bytes, fromBase64Url(granter.signPublicKey))) {
    throw refused(caseId, `has a grant signature that does not verify against ${grant.grantedBy}'s key in the signed bundle`);
  }
}

/** The origin digest a re-sealed key names, once its rekey signature verifies under the member's own key. */
function checkRekey(
  be: Awaited<ReturnType<typeof loadBackend>>, caseId: string, myStaffId: string, rekey: { originDigest: string; signature: string },
  wrapped: Uint8Array, mySignPublicKey: Uint8Array | undefined,
): Uint8Array {
  const originDigest = decoded(rekey.originDigest);
  const signature = decoded(rekey.signature);
  if (!mySignPublicKey || !originDigest || originDigest.length !== 32 || !signature) throw refused(caseId, 'says it was re-sealed at a key rotation, unsigned');
  const bytes = rekeySigningBytes({ wrapKind: WRAP_KIND.contentKey, subjectId: caseId, staffId: myStaffId, originDigest, wrapped }, be);
  if (!verifyDetached(be, 'rekey', signature, bytes, mySignPublicKey)) throw refused(caseId, 'says it was re-sealed at your key rotation, but your key did not sign it');
  return originDigest;
}
