import type { Backend } from './backend.js';
import { fromBase64Url, toBase64Url } from './bytes.js';
import { signedNames } from './signing-bytes.js';
import { verifyDetached } from './signing.js';
import type { AuditRow } from './audit-chain.js';
import type { SignedKind } from './types.js';

// Signed audit entries (docs/PROTOCOL.md, "Audit chain"). A staff action that carries
// a signature carries it into its audit row, in detail.signed: the kind, the signer,
// the exact bytes signed and the signature. A verifier holding the agency's pinned
// bundles checks it offline, so a database writer who recomputes the chain still
// cannot add, move or alter a signed action: only the staff member's key makes one.

/** Actions that MUST carry a signed entry: an unsigned row for one of them is a break. */
export const SIGNED_ACTIONS: Readonly<Record<string, SignedKind>> = {
  'case.grant': 'grant',
  'message.send': 'message',
  'identity.request': 'identity-request',
  'protection.details_request': 'identity-request',
  'identity.decide': 'identity-decision',
  'protection.details_decide': 'identity-decision',
  'protection.granted': 'protection-decision',
  'protection.refused': 'protection-decision',
  'protection.change': 'protection-step',
  'protection.add': 'protection-step',
  'protection.end': 'protection-step',
  'protection.confirm_writing': 'protection-step',
  'identity.reshare_plan': 'reshare-plan',
  'identity.reshare_part': 'reshare-part',
  'staff.rotation.stage': 'rotation',
};

/**
 * Actions that carry a signed entry from the day their kind existed, and none before: an
 * urgent protection request recorded before intake records were signed (§8.3.14) has a
 * row with no signature, which is not a break; a signature it does carry is checked.
 */
export const SIGNED_SINCE_ACTIONS: Readonly<Record<string, SignedKind>> = {
  'protection.intake': 'protection-intake',
};

/** The kind of signature an action MUST carry, if any: every staff transition and proposal is signed. */
export function requiredSignature(action: string): SignedKind | undefined {
  if (Object.hasOwn(SIGNED_ACTIONS, action)) return SIGNED_ACTIONS[action];
  if (action.startsWith('case.proposal.')) return 'proposal';
  return action.startsWith('case.transition.') ? 'transition' : undefined;
}

/** detail.signed as stored: base64url bytes and signature. */
export interface SignedEntryJson { kind: SignedKind; signer: string; bytes: string; signature: string }

export interface SignedEntry { kind: SignedKind; signer: string; bytes: Uint8Array; signature: Uint8Array }

export function signedEntryJson(e: SignedEntry): SignedEntryJson {
  return { kind: e.kind, signer: e.signer, bytes: toBase64Url(e.bytes), signature: toBase64Url(e.signature) };
}

type Detail = Record<string, unknown>;
const detailOf = (row: AuditRow): Detail => (row.detail !== null && typeof row.detail === 'object' ? (row.detail as Detail) : {});

/** The row's signed entry, undefined when it has none, null when it is malformed. */
export function signedEntryOf(row: AuditRow): SignedEntry | null | undefined {
  const s = detailOf(row)['signed'];
  if (s === undefined) return undefined;
  if (s === null || typeof s !== 'object') return null;
  const { kind, signer, bytes, signature } = s as Record<string, unknown>;
  if (typeof kind !== 'string' || typeof signer !== 'string' || typeof bytes !== 'string' || typeof signature !== 'string') return null;
  try {
    return { kind: kind as SignedKind, signer, bytes: fromBase64Url(bytes), signature: fromBase64Url(signature) };
  } catch {
    return null;
  }
}

/**
 * Whether the signed bytes name this row: its case (or the protection request it is
 * about), and the recipient, message, request, action or decision in the row. The
 * layouts are read by signedNames, beside the functions that write them. A decision
 * names only its request; the verifier links that to the request's case.
 */
export function signedBytesNameRow(kind: SignedKind, bytes: Uint8Array, row: AuditRow): boolean {
  const d = detailOf(row);
  const n = signedNames(kind, bytes);
  if (!n) return false;
  switch (kind) {
    case 'grant':
      return n.first === row.caseId && n.second === d['recipient'];
    case 'message':
      return n.first === row.caseId && n.second === d['messageId'];
    case 'identity-request':
      return n.first === (d['protectionRequestId'] ?? row.caseId) && n.second === d['requestId'];
    case 'identity-decision':
      return n.first === d['requestId'] && n.decision === (d['decision'] === 'approve' ? 1 : 0);
    case 'transition':
      return n.first === row.caseId && row.action === `case.transition.${n.action}`;
    case 'proposal':
      return n.first === row.caseId && n.second === d['proposalId'] && row.action === `case.proposal.${n.action}`;
    case 'rotation':
      return n.first === row.agencyId && n.second === row.staffId;
    case 'protection-decision':
      return n.first === d['requestId'] && n.second === row.caseId && row.action === `protection.${n.decision === 1 ? 'granted' : 'refused'}`;
    case 'protection-step':
      return n.first === d['requestId'] && n.second === row.caseId && row.action === `protection.${n.action}`;
    case 'protection-intake':
      return n.first === d['requestId'] && n.second === row.caseId && row.action === 'protection.intake';
    case 'reshare-plan':
      return n.first === row.agencyId && n.second === d['reshareId'];
    case 'reshare-part':
      return n.first === d['reshareId'] && n.second === (d['protectionRequestId'] ?? row.caseId);
    default:
      return false;
  }
}

export type SignatureFault = 'signature_missing' | 'signature_invalid' | 'signature_mismatch';

/**
 * Checks a row's signature: present when its action requires one, of the action's
 * kind, by the row's staff member, over bytes that name the row, and valid under one
 * of the signer's keys from the agency's verified bundles (`keysOf`).
 */
export function checkSignedRow(be: Backend, row: AuditRow, keysOf: (staffId: string) => Uint8Array[]): SignatureFault | null {
  const required = requiredSignature(row.action);
  const entry = signedEntryOf(row);
  if (entry === undefined) return required ? 'signature_missing' : null;
  const expected = required ?? (Object.hasOwn(SIGNED_SINCE_ACTIONS, row.action) ? SIGNED_SINCE_ACTIONS[row.action] : undefined);
  if (entry === null || entry.kind !== expected || entry.signer !== row.staffId) return 'signature_mismatch';
  if (!signedBytesNameRow(entry.kind, entry.bytes, row)) return 'signature_mismatch';
  if (entry.signature.length !== 64) return 'signature_invalid';
  const valid = keysOf(entry.signer).some((key) => key.length === 32 && verifyDetached(be, entry.kind, entry.signature, entry.bytes, key));
  return valid ? null : 'signature_invalid';
}
