import { verifyBundle, type Backend, type BundleContent, type StaffRole } from '../../../protocol/index.js';
import { ENVELOPE_OVERHEAD, envelopeHeader, identityHeader, isWrappedLength, WRAPPED_KEY_BYTES } from '../../../protocol/headers.js';
import { CASE_BODY_BUCKETS, isBucket } from '../../../protocol/padding.js';
import type { Database } from '../../db/connect.js';
import { findAgency } from '../../db/directory.js';
import type { CheckedBundle, Submission } from '../../db/submissions.js';
import { fail } from '../../errors.js';

// What the server can check about a sealed submission without any key (PROTOCOL.md):
// every recipient is an intake officer and every custodian a custodian of the agency's
// current bundle, the envelope header names this agency and this case, the identity
// threshold is the bundle's, and every length is the one the protocol produces: a
// version-2 wrap (§16) only to a member the bundle lists as accepting it, and to the
// denouncer (who holds both reply pairs); the recovery recipient's is version 1. Returns a reason, or null when acceptable.

function checkEnvelope(s: Submission): string | null {
  const e = s.envelope;
  if (e.length < ENVELOPE_OVERHEAD || !isBucket(e.length - ENVELOPE_OVERHEAD, CASE_BODY_BUCKETS)) return 'envelope length is not a protocol size';
  const header = envelopeHeader(e);
  if (!header) return 'envelope is not a tipline v1 envelope';
  if (header.agencyId !== s.agencyId.toLowerCase()) return 'envelope header names another agency';
  if (header.caseId !== s.caseId.toLowerCase()) return 'envelope header names another case';
  return null;
}

function checkRecipients(list: { staffId: string; wrapped: Uint8Array }[], role: StaffRole, share: boolean, bundle: BundleContent): string | null {
  const ids = new Set(list.map((r) => r.staffId));
  if (ids.size !== list.length) return `a ${role} recipient appears twice`;
  for (const r of list) {
    const member = bundle.staff.find((m) => m.staffId === r.staffId);
    if (!member || !member.roles.includes(role)) return `a recipient is not a ${role} of the agency's current key bundle`;
    if (!isWrappedLength(r.wrapped.length, member.versions?.includes(2) === true, share)) return 'a wrapped key has the wrong length';
  }
  return null;
}

export function checkSubmission(s: Submission, bundle: BundleContent): string | null {
  if (bundle.agencyId !== s.agencyId) return 'the key bundle belongs to another agency';
  if (s.verifier.length !== 32) return 'verifier must be 32 bytes';
  if (!isWrappedLength(s.denouncerKey.length, true)) return 'denouncer key has the wrong length';
  if (s.recipientKeys.length === 0) return 'at least one intake recipient is required';
  const problem = checkEnvelope(s) ?? checkRecipients(s.recipientKeys, 'intake', false, bundle) ?? checkRecovery(s, bundle);
  if (problem || !s.identity) return problem;
  return checkSharedBlock({ ...s.identity, shares: s.identity.shares, ctx: s }, bundle, 'identity');
}

/** Wrapped to the recovery recipient exactly when the bundle lists one (§9.1): no more, no fewer. */
function checkRecovery(s: Submission, bundle: BundleContent): string | null {
  if (!bundle.recovery) return s.recoveryKey ? "the agency's key bundle lists no recovery recipient" : null;
  if (!s.recoveryKey) return "the agency's key bundle lists a recovery recipient: the case must be wrapped to it";
  return s.recoveryKey.length === WRAPPED_KEY_BYTES ? null : 'the recovery key has the wrong length';
}

/** An identity block or protection details (§6, §6.1): split among the bundle's custodians. */
interface SharedBlock {
  block: Uint8Array;
  /** Null only for protection details an intake officer recorded (§5.4): no denouncer copy. */
  denouncerKey: Uint8Array | null;
  threshold: number;
  shares: { staffId: string; wrapped: Uint8Array }[];
  /** The block's context: the case, or for protection details the request (§6.1). */
  ctx: { agencyId: string; caseId: string };
}

function checkSharedBlock(b: SharedBlock, bundle: BundleContent, what: string): string | null {
  // The m-of-n gate is the agency's policy: the declared m and the block's header byte m
  // (which the opening custodians' client trusts) are both exactly the bundle's.
  if (b.threshold !== bundle.threshold) return `${what} threshold is not the agency's`;
  if (b.shares.length < b.threshold) return `${what} has fewer shares than its threshold`;
  const header = identityHeader(b.block);
  if (!header) return `${what} block is not a tipline v1 identity block`;
  if (header.threshold !== bundle.threshold) return `${what} block threshold is not the agency's`;
  if (header.agencyId !== b.ctx.agencyId.toLowerCase()) return `${what} block names another agency`;
  if (header.caseId !== b.ctx.caseId.toLowerCase()) return `${what} block names another subject`;
  if (b.denouncerKey && !isWrappedLength(b.denouncerKey.length, true)) return `${what} denouncer key has the wrong length`;
  return checkRecipients(b.shares, 'custodian', true, bundle);
}

export interface ProtectionShares {
  id: string;
  agencyId: string;
  sealedDetails: Uint8Array;
  denouncerKey: Uint8Array | null;
  threshold: number;
  shares: { custodianId: string; wrapped: Uint8Array }[];
}

/** A protection request's sealed details (§6.1): the same checks as an identity block. */
export function checkProtectionRequest(r: ProtectionShares, bundle: BundleContent): string | null {
  if (bundle.agencyId !== r.agencyId) return 'the key bundle belongs to another agency';
  const shares = r.shares.map((s) => ({ staffId: s.custodianId, wrapped: s.wrapped }));
  return checkSharedBlock({ block: r.sealedDetails, denouncerKey: r.denouncerKey, threshold: r.threshold, shares, ctx: { agencyId: r.agencyId, caseId: r.id } }, bundle, 'protection details');
}

/** The agency's newest bundle, verified with the agency's own key: the server fails closed too. */
export async function currentBundle(
  db: Database,
  be: Backend,
  agencyId: string,
  /** A copy verified earlier: kept, without verifying again, while the stored bundle is the same. */
  known?: { content: BundleContent; stored: CheckedBundle },
): Promise<{ content: BundleContent; serial: number; stored: CheckedBundle }> {
  const agency = (await findAgency(db, { id: agencyId })) ?? fail('not_found', 'not found');
  if (!agency.bundle) return fail('bundle_invalid', 'the agency has published no key bundle');
  const { serial, signature } = agency.bundle;
  const stored = { serial, signature, signingPublicKey: agency.signingPublicKey };
  if (known && sameStored(known.stored, stored)) return { content: known.content, serial, stored };
  try {
    return { content: verifyBundle(be, agency.bundle, { agencyPublicKey: agency.signingPublicKey }), serial, stored };
  } catch {
    return fail('bundle_invalid', "the agency's key bundle does not verify");
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const sameStored = (a: CheckedBundle, b: CheckedBundle) =>
  a.serial === b.serial && sameBytes(a.signature, b.signature) && sameBytes(a.signingPublicKey, b.signingPublicKey);
