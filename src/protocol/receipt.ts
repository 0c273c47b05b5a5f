import { blake2b } from '@noble/hashes/blake2.js';
import type { Backend } from './backend.js';
import { CROCKFORD, base32Encode, group } from './base32.js';
import { concat, utf8 } from './bytes.js';
import { TiplineCryptoError } from './errors.js';
import { LABEL, LABEL_V2 } from './labels.js';
import { kdf, labelledHash } from './primitives.js';
import type { KeyPair, ReaderKeys, ReceiptKeys } from './types.js';

const DATA_SYMBOLS = 24;
const DATA_BYTES = 15; // 24 symbols × 5 bits = 120 bits
const RECEIPT_SYMBOLS = DATA_SYMBOLS + 1;

function receiptInvalid(): TiplineCryptoError {
  return new TiplineCryptoError('receipt_invalid');
}

/**
 * Check symbol = alphabet[BLAKE2b-256(check label || data symbols)[0] mod 32].
 * Computed without a backend so a typo is caught before any backend has loaded.
 */
function checkSymbol(data: string): string {
  const digest = blake2b(concat(utf8(LABEL.receiptCheck), utf8(data)), { dkLen: 32 });
  return CROCKFORD[digest[0]! % 32]!;
}

/** Shows a receipt as five groups of five symbols. */
export function formatReceipt(symbols: string): string {
  return group(symbols, 5, '-');
}

/**
 * A fresh receipt: 15 random bytes read as 24 symbols of exactly 5 bits each
 * (so every symbol is uniform), then the check symbol.
 */
export function generateReceipt(be: Backend): string {
  const data = base32Encode(be.randomBytes(DATA_BYTES));
  return formatReceipt(data + checkSymbol(data));
}

const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

/**
 * Canonical form of what a person typed: upper case, separators (space, '-',
 * '_', '.') dropped, O read as 0 and I/L as 1. Anything else outside the
 * alphabet (U included), a wrong length or a wrong check symbol is refused
 * here, before any network call.
 */
export function normalizeReceipt(input: string): string {
  let symbols = '';
  for (const char of input.toUpperCase()) {
    if (char === ' ' || char === '-' || char === '_' || char === '.' || char === '\t') continue;
    const mapped = LOOK_ALIKES[char] ?? char;
    if (!CROCKFORD.includes(mapped)) throw receiptInvalid();
    symbols += mapped;
  }
  if (symbols.length !== RECEIPT_SYMBOLS) throw receiptInvalid();
  if (checkSymbol(symbols.slice(0, DATA_SYMBOLS)) !== symbols[DATA_SYMBOLS]) {
    throw receiptInvalid();
  }
  return formatReceipt(symbols);
}

/**
 * Everything the denouncer needs later, derived from the receipt alone. The
 * 120 random bits make brute force hopeless without a slow password hash, so
 * a plain keyed BLAKE2b suffices (see PROTOCOL.md §Receipt).
 */
export function deriveReceiptKeys(be: Backend, receipt: string): ReceiptKeys {
  const receiptKey = receiptKeyOf(be, receipt);
  const authKey = kdf(be, receiptKey, LABEL.receiptAuth);
  const replySecretKey = kdf(be, receiptKey, LABEL.receiptReply);
  receiptKey.fill(0);
  return {
    authKey,
    verifier: receiptVerifier(be, authKey),
    replyKeyPair: { publicKey: be.x25519Base(replySecretKey), secretKey: replySecretKey },
  };
}

function receiptKeyOf(be: Backend, receipt: string): Uint8Array {
  const data = normalizeReceipt(receipt).replaceAll('-', '').slice(0, DATA_SYMBOLS);
  return kdf(be, utf8(data), LABEL.receipt);
}

/**
 * The denouncer's v2 reply key pair (§16.3): the X-Wing pair of a seed derived from the
 * receipt, so the receipt alone still recovers a case sealed under v2. Kept apart from
 * deriveReceiptKeys because an X-Wing key generation costs what an X25519 one does not.
 */
export function deriveReplyKeyPairV2(be: Backend, receipt: string): KeyPair {
  const receiptKey = receiptKeyOf(be, receipt);
  const seed = kdf(be, receiptKey, LABEL_V2.receiptReply);
  receiptKey.fill(0);
  const pair = be.xwingSeedKeyPair(seed);
  return { publicKey: pair.publicKey, secretKey: seed };
}

/**
 * The denouncer's keys as a reader of wrapped keys: the v1 reply pair, and the v2 one
 * derived only when a version-2 wrap asks for it (an X-Wing key generation is not free).
 */
export function replyReaderKeys(be: Backend, receipt: string, keys: ReceiptKeys): ReaderKeys {
  let xwing: KeyPair | undefined;
  return {
    ...keys.replyKeyPair,
    get xwing() {
      return (xwing ??= deriveReplyKeyPairV2(be, receipt));
    },
  };
}

/** What the server stores and looks a case up by: a hash of the auth key, never the key. */
export function receiptVerifier(be: Backend, authKey: Uint8Array): Uint8Array {
  if (authKey.length !== 32) throw new TiplineCryptoError('input_invalid');
  return labelledHash(be, LABEL.receiptVerifier, authKey);
}
