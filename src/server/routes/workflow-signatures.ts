import { loadBackend, messageSigningBytes, noticeDigest, verifyDetached, type Backend } from '../../protocol/index.js';
import type { Database } from '../db/connect.js';
import { findStaff } from '../db/staff.js';
import { fail } from '../errors.js';
import { bytesOf } from './staff-schemas.js';

// A workflow decision is accepted only with its actor's signature, checked against the
// key the actor enrolled with (as grants and replies are, routes/staff): the server can
// then neither invent a decision nor alter one, and the audit can carry the proof.

export interface SignatureCheck {
  be: Backend;
  signature: Uint8Array;
  /** The actor's registered Ed25519 key; null when none is enrolled (nothing verifies). */
  signPublicKey: Uint8Array | null;
}

/** The decoded 64-byte signature and the actor's key; a malformed signature is a 400. */
export async function signatureCheck(db: Database, actorId: string, signature: string): Promise<SignatureCheck> {
  const actor = await findStaff(db, actorId);
  return { be: await loadBackend(), signature: bytesOf(signature, 64), signPublicKey: actor?.signPublicKey ?? null };
}

/**
 * The decoded notice, refused unless signed by the actor as a reply is (PROTOCOL.md §8.3,
 * message), with the digest a decision's signature binds it by (stored with the decision).
 */
export function signedNotice(
  check: SignatureCheck, caseId: string, notice: { messageId: string; ciphertext: string; signature: string },
): { messageId: string; ciphertext: Uint8Array; signature: Uint8Array; digest: Uint8Array } {
  const ciphertext = bytesOf(notice.ciphertext);
  const signature = bytesOf(notice.signature, 64);
  const bytes = messageSigningBytes(caseId, notice.messageId, ciphertext, check.be);
  if (!check.signPublicKey || !verifyDetached(check.be, 'message', signature, bytes, check.signPublicKey)) {
    return fail('crypto_failed', 'the notice signature does not verify');
  }
  return { messageId: notice.messageId, ciphertext, signature, digest: noticeDigest(check.be, ciphertext) };
}
