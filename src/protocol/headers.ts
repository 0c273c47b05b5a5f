import { utf8, uuidString } from './bytes.js';
import { MAGIC } from './labels.js';

// What a reader without keys (the server) can read of sealed objects: the lengths the
// protocol produces and the cleartext headers of envelopes (§3) and identity blocks and
// protection details (§6, §6.1) — the layouts envelope.ts and identity.ts write, read
// back here and nowhere else.

/** crypto_box_seal overhead (48) + wrap header (34) + a 32-byte key. */
export const WRAPPED_KEY_BYTES = 114;
/** The same for a 33-byte identity share. */
export const WRAPPED_SHARE_BYTES = 115;
/** Version 2 (§16.2): 2-byte prefix + X-Wing ciphertext (1120) + tag (16) + the material. */
export const WRAPPED_KEY_BYTES_V2 = 1170;
export const WRAPPED_SHARE_BYTES_V2 = 1171;

/**
 * Whether `length` is a wrapped key's (or, with `share`, a wrapped identity share's)
 * for a recipient: version 1 always, version 2 only for one who accepts it (§16.5).
 */
export function isWrappedLength(length: number, acceptsV2: boolean, share = false): boolean {
  if (length === (share ? WRAPPED_SHARE_BYTES : WRAPPED_KEY_BYTES)) return true;
  return acceptsV2 && length === (share ? WRAPPED_SHARE_BYTES_V2 : WRAPPED_KEY_BYTES_V2);
}

/** magic(4) version(1) algorithm(1) agencyId(16) caseId(16) commitment(32), then nonce(24), tag(16). */
export const ENVELOPE_OVERHEAD = 70 + 24 + 16;
export const IDENTITY_MAX_BYTES = 64 * 1024 + 1024;
const IDENTITY_HEADER_BYTES = 71;
/** Header byte 38 of an identity block is its threshold m (§6). */
const THRESHOLD_OFFSET = 38;

export interface SealedHeader { agencyId: string; caseId: string }

const startsWith = (bytes: Uint8Array, prefix: Uint8Array) => bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

function ids(bytes: Uint8Array): SealedHeader {
  return { agencyId: uuidString(bytes.subarray(6, 22)), caseId: uuidString(bytes.subarray(22, 38)) };
}

/** The agency and case a case envelope names, or undefined when it is no v1 envelope. */
export function envelopeHeader(envelope: Uint8Array): SealedHeader | undefined {
  if (envelope.length < ENVELOPE_OVERHEAD || !startsWith(envelope, utf8(MAGIC.envelope))) return undefined;
  return ids(envelope);
}

/** The agency, subject and threshold an identity block (or sealed protection details) names, or undefined when it is no v1 block. */
export function identityHeader(block: Uint8Array): (SealedHeader & { threshold: number }) | undefined {
  if (block.length > IDENTITY_MAX_BYTES || block.length < IDENTITY_HEADER_BYTES || !startsWith(block, utf8(MAGIC.identity))) return undefined;
  return { ...ids(block), threshold: block[THRESHOLD_OFFSET]! };
}
