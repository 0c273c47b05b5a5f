import { fromBase64Url, verifyDetached, type Backend, type BundleContent, type SignedKind } from '../protocol/index.js';

// Who may have signed a recorded decision, from the agency's verified bundles only
// (PROTOCOL.md §9, "Staff clients"). A decision stays attributable after its signer
// leaves or changes keys: the bundle that listed them then still says so. A listing
// that a later bundle withdrew covers only decisions dated no later than the day that
// bundle was issued, so a key taken from someone who has left cannot be used to write
// new history in their name.

export interface Signer<R extends string> { staffId: string; role: R }

interface Listing<R extends string> { key: Uint8Array; role: R }

/**
 * The keys `staffId` held, with a role among `roles`, in a bundle in force for a decision
 * dated `onDay`. `bundles`: verified, oldest first, the last the current one.
 */
function listings<R extends string>(bundles: readonly BundleContent[], staffId: string, roles: readonly R[], onDay: string): Listing<R>[] {
  const found: Listing<R>[] = [];
  bundles.forEach((bundle, i) => {
    const member = bundle.staff.find((s) => s.staffId === staffId);
    const role = member && roles.find((r) => (member.roles as readonly string[]).includes(r));
    if (!member || role === undefined) return;
    const next = bundles[i + 1];
    if (next && (next.serial !== bundle.serial + 1 || onDay > next.issuedOn)) return;
    found.push({ key: fromBase64Url(member.signPublicKey), role });
  });
  return found;
}

/**
 * The signer of `message` (kind `kind`) if `staffId` signed it with a key a verified
 * bundle listed for them with one of `roles`; otherwise why not, in a sentence.
 */
export function bundleSigner<R extends string>(
  be: Backend,
  bundles: readonly BundleContent[],
  claim: { staffId: string; roles: readonly R[]; onDay: string; kind: SignedKind; signature: Uint8Array; message: Uint8Array },
): Signer<R> | string {
  const held = listings(bundles, claim.staffId, claim.roles, claim.onDay);
  if (held.length === 0) return `${claim.staffId} is not listed as ${claim.roles.join(' or ')} in the agency's signed bundle in force on ${claim.onDay}`;
  if (claim.signature.length !== 64) return 'the signature is malformed';
  const match = held.find((l) => verifyDetached(be, claim.kind, claim.signature, claim.message, l.key));
  return match ? { staffId: claim.staffId, role: match.role } : `the signature does not verify against ${claim.staffId}'s key in the agency's signed bundle`;
}
