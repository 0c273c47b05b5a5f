import { combine, split } from 'shamir-secret-sharing';
import type { Backend } from './backend.js';
import { CROCKFORD, base32Encode, group } from './base32.js';
import { concat, constantTimeEqual } from './bytes.js';
import { inputInvalid, openFailed } from './errors.js';
import { LABEL, PROTOCOL_VERSION } from './labels.js';
import { KEY_BYTES, labelledHash } from './primitives.js';
import type { SplitSecret } from './identity.js';
import type { KeyPair } from './types.js';

// The agency's offline recovery recipient (PROTOCOL.md §9.1): an X25519 key pair made
// on an offline machine, whose private key exists only as m-of-n paper shares. Each
// paper share names the key it belongs to and its threshold, and carries a check so a
// mistyped symbol is caught before anything is combined.

/** version(1) || m(1) || keyId(6) || share(33) || check(4) */
const SHARE_TEXT_BYTES = 45;
const KEY_ID_BYTES = 6;
const CHECK_BYTES = 4;
const SHARE_BYTES = KEY_BYTES + 1;
/** 45 bytes are 72 symbols of 5 bits exactly, shown as 18 groups of 4. */
const SHARE_SYMBOLS = 72;
export const MAX_RECOVERY_SHARES = 255;

/** One paper share, read back: which key it belongs to, how many are needed, its Shamir share. */
export interface RecoveryShare {
  keyId: Uint8Array;
  threshold: number;
  share: Uint8Array;
}

/** keyId = H(32, "tipline/v1/recovery/key-id" || recovery public key)[0..6) */
export function recoveryKeyId(be: Backend, publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== KEY_BYTES) throw inputInvalid();
  return labelledHash(be, LABEL.recoveryKeyId, publicKey).slice(0, KEY_ID_BYTES);
}

function shareCheck(be: Backend, body: Uint8Array): Uint8Array {
  return labelledHash(be, LABEL.recoveryShareCheck, body).slice(0, CHECK_BYTES);
}

/** A share as the text printed on paper: 18 groups of 4 Crockford symbols. */
export function formatRecoveryShare(be: Backend, s: RecoveryShare): string {
  if (s.keyId.length !== KEY_ID_BYTES || s.share.length !== SHARE_BYTES || s.share[KEY_BYTES] === 0) throw inputInvalid();
  if (!Number.isInteger(s.threshold) || s.threshold < 2 || s.threshold > MAX_RECOVERY_SHARES) throw inputInvalid();
  const body = concat(Uint8Array.of(PROTOCOL_VERSION, s.threshold), s.keyId, s.share);
  return group(base32Encode(concat(body, shareCheck(be, body))), 4, ' ');
}

/** Normalises typed text as a receipt is (§2), then decodes 72 symbols to 45 bytes. */
function decodeShareText(text: string): Uint8Array | null {
  const symbols = text.toUpperCase().replace(/[\s\-_.]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (symbols.length !== SHARE_SYMBOLS) return null;
  const out = new Uint8Array(SHARE_TEXT_BYTES);
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const symbol of symbols) {
    const value = CROCKFORD.indexOf(symbol);
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** Reads a typed paper share; a typo, a foreign text or a damaged share is input_invalid. */
export function parseRecoveryShare(be: Backend, text: string): RecoveryShare {
  const bytes = decodeShareText(text);
  if (!bytes) throw inputInvalid();
  const body = bytes.subarray(0, SHARE_TEXT_BYTES - CHECK_BYTES);
  if (!constantTimeEqual(bytes.subarray(SHARE_TEXT_BYTES - CHECK_BYTES), shareCheck(be, body))) throw inputInvalid();
  const threshold = body[1]!;
  const share = body.slice(2 + KEY_ID_BYTES);
  if (body[0] !== PROTOCOL_VERSION || threshold < 2 || share[KEY_BYTES] === 0) throw inputInvalid();
  return { keyId: body.slice(2, 2 + KEY_ID_BYTES), threshold, share };
}

/**
 * Makes the recovery key pair and its n paper shares (2 ≤ m ≤ n ≤ 255). The caller
 * prints the shares and publishes the public key; the private key is wiped here and
 * exists nowhere but in the shares.
 */
export async function makeRecoveryKey(
  be: Backend, threshold: number, shares: number, splitSecret: SplitSecret = split,
): Promise<{ publicKey: Uint8Array; shares: string[] }> {
  if (!Number.isInteger(threshold) || !Number.isInteger(shares) || threshold < 2 || threshold > shares || shares > MAX_RECOVERY_SHARES) {
    throw inputInvalid();
  }
  const secretKey = be.randomBytes(KEY_BYTES);
  const publicKey = be.x25519Base(secretKey);
  const keyId = recoveryKeyId(be, publicKey);
  const parts = await splitSecret(secretKey, shares, threshold);
  secretKey.fill(0);
  const texts = parts.map((share) => formatRecoveryShare(be, { keyId, threshold, share }));
  for (const part of parts) part.fill(0);
  return { publicKey, shares: texts };
}

/**
 * Rebuilds the recovery private key from paper shares, in memory, and checks it is the
 * one whose public key the verified bundle lists. Fewer than m shares, shares of
 * another key, duplicates or a wrong combination are open_failed.
 */
export async function openRecoveryKey(be: Backend, shares: RecoveryShare[], publicKey: Uint8Array): Promise<KeyPair> {
  if (publicKey.length !== KEY_BYTES) throw openFailed();
  const keyId = recoveryKeyId(be, publicKey);
  const first = shares[0];
  if (!first || shares.length < first.threshold || shares.length > MAX_RECOVERY_SHARES) throw openFailed();
  if (shares.some((s) => s.threshold !== first.threshold || !constantTimeEqual(s.keyId, keyId))) throw openFailed();
  if (new Set(shares.map((s) => s.share[KEY_BYTES])).size !== shares.length) throw openFailed();
  let secretKey: Uint8Array;
  try {
    secretKey = await combine(shares.map((s) => s.share));
  } catch {
    throw openFailed();
  }
  if (!constantTimeEqual(be.x25519Base(secretKey), publicKey)) {
    secretKey.fill(0);
    throw openFailed();
  }
  return { publicKey, secretKey };
}
