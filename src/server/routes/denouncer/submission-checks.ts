import { verifyBundle, type Backend, type BundleContent, type StaffRole } from '../../../protocol/index.js';
import { CASE_BODY_BUCKETS, isBucket } from '../../../protocol/padding.js';
import type { Database } from '../../db/connect.js';
import { findAgency } from '../../db/directory.js';
import type { CheckedBundle, Submission } from '../../db/submissions.js';
import { fail } from '../../errors.js';

// What the server can check about a sealed submission without any key (PROTOCOL.md):
// every recipient is an intake officer and every custodian a custodian of the agency's
// current bundle, the envelope header names this agency and this case, and every
// length is the one the protocol produces. Returns a reason, or null when acceptable.

/** crypto_box_seal overhead (48) + wrap header (34) + a 32-byte key, or a 33-byte share. */
const WRAPPED_KEY_BYTES = 114;
const WRAPPED_SHARE_BYTES = 115;
/** magic(4) version(1) algorithm(1) agencyId(16) caseId(16) commitment(32), then nonce(24), tag(16). */
const ENVELOPE_OVERHEAD = 70 + 24 + 16;
const IDENTITY_MAX_BYTES = 64 * 1024 + 1024;
const MAGIC_ENVELOPE = [0x54, 0x4c, 0x43, 0x31]; // 'TLC1'
const MAGIC_IDENTITY = [0x54, 0x4c, 0x49, 0x31]; // 'TLI1'

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll('-', '');
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

function checkEnvelope(s: Submission): string | null {
  const e = s.envelope;
  if (e.length < ENVELOPE_OVERHEAD || !isBucket(e.length - ENVELOPE_OVERHEAD, CASE_BODY_BUCKETS)) return 'envelope length is not a protocol size';
  if (!startsWith(e, MAGIC_ENVELOPE)) return 'envelope is not a tipline v1 envelope';
  if (!sameBytes(e.subarray(6, 22), uuidBytes(s.agencyId))) return 'envelope header names another agency';
  if (!sameBytes(e.subarray(22, 38), uuidBytes(s.caseId))) return 'envelope header names another case';
  return null;
}

function checkRecipients(list: { staffId: string; wrapped: Uint8Array }[], role: StaffRole, size: number, bundle: BundleContent): string | null {
  const ids = new Set(list.map((r) => r.staffId));
  if (ids.size !== list.length) return `a ${role} recipient appears twice`;
  for (const r of list) {
    const member = bundle.staff.find((m) => m.staffId === r.staffId);
    if (!member || !member.roles.includes(role)) return `a recipient is not a ${role} of the agency's current key bundle`;
    if (r.wrapped.length !== size) return 'a wrapped key has the wrong length';
  }
  return null;
}

export function checkSubmission(s: Submission, bundle: BundleContent): string | null {
  if (bundle.agencyId !== s.agencyId) return 'the key bundle belongs to another agency';
  if (s.verifier.length !== 32) return 'verifier must be 32 bytes';
  if (s.denouncerKey.length !== WRAPPED_KEY_BYTES) return 'denouncer key has the wrong length';
  if (s.recipientKeys.length === 0) return 'at least one intake recipient is required';
  const problem = checkEnvelope(s) ?? checkRecipients(s.recipientKeys, 'intake', WRAPPED_KEY_BYTES, bundle);
  if (problem || !s.identity) return problem;
  const id = s.identity;
  if (id.shares.length === 0 || id.threshold < 1 || id.threshold > id.shares.length) return 'identity threshold out of range';
  // The m-of-n gate is the agency's policy; a client may not lower it.
  if (id.threshold < Math.min(bundle.threshold, id.shares.length)) return "identity threshold is below the agency's";
  if (id.block.length > IDENTITY_MAX_BYTES || !startsWith(id.block, MAGIC_IDENTITY)) return 'identity block is not a tipline v1 identity block';
  if (id.denouncerKey.length !== WRAPPED_KEY_BYTES) return 'identity denouncer key has the wrong length';
  return checkRecipients(id.shares, 'custodian', WRAPPED_SHARE_BYTES, bundle);
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

const sameStored = (a: CheckedBundle, b: CheckedBundle) =>
  a.serial === b.serial && sameBytes(a.signature, b.signature) && sameBytes(a.signingPublicKey, b.signingPublicKey);
