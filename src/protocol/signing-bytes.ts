import { sha256 } from '@noble/hashes/sha2.js';
import { concat, uuidBytes } from './bytes.js';

// The exact bytes a staff member signs for each accountable action (the signature
// kind — 'grant', 'message', … — is added by the protocol's signDetached). Shared by
// the client that signs and the server that verifies against the registered key, so
// a server cannot attribute to a staff member an action they did not take.

export function grantSigningBytes(caseId: string, recipientId: string, wrapped: Uint8Array): Uint8Array {
  return concat(uuidBytes(caseId), uuidBytes(recipientId), sha256(wrapped));
}

export function messageSigningBytes(caseId: string, messageId: string, ciphertext: Uint8Array): Uint8Array {
  return concat(uuidBytes(caseId), uuidBytes(messageId), sha256(ciphertext));
}

export function identityRequestSigningBytes(caseId: string, requestId: string, reason: Uint8Array): Uint8Array {
  return concat(uuidBytes(caseId), uuidBytes(requestId), sha256(reason));
}

/** decision byte 1 = approve (payload: the re-sealed share), 0 = refuse (payload: the reason). */
export function identityDecisionSigningBytes(requestId: string, approve: boolean, payload: Uint8Array): Uint8Array {
  return concat(uuidBytes(requestId), Uint8Array.of(approve ? 1 : 0), sha256(payload));
}
