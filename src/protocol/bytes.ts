import { inputInvalid } from './errors.js';

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, rejecting malformed input instead of replacing it. */
export function fromUtf8(bytes: Uint8Array): string {
  return strictDecoder.decode(bytes);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Compares in time that depends only on the lengths, never on the contents. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function uint64BE(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw inputInvalid();
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32));
  view.setUint32(4, value >>> 0);
  return out;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is shaped as a UUID, in either case. */
export const isUuid = (s: string): boolean => UUID_PATTERN.test(s);

/** A UUID string as its 16 raw bytes, the form every id takes inside the protocol. */
export function uuidBytes(uuid: string): Uint8Array {
  if (!UUID_PATTERN.test(uuid)) throw inputInvalid();
  const hex = uuid.replaceAll('-', '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function uuidString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw inputInvalid();
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Symbol values by character code, -1 for anything outside the alphabet.
const B64URL_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < B64URL.length; i++) table[B64URL.charCodeAt(i)] = i;
  return table;
})();

/** Base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const symbols = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let s = 0; s < symbols; s++) out += B64URL[(n >> (18 - 6 * s)) & 63];
  }
  return out;
}

// Node's own decoder where there is one (the server decodes every submitted envelope and
// key); the table loop elsewhere. Both apply the same strict checks first. Looked up per
// call, so a test can take the browsers' path by hiding Buffer around a call.
const B64URL_TEXT = /^[A-Za-z0-9_-]*$/;
const nativeBuffer = () => (globalThis as { Buffer?: { from(b: ArrayBuffer): { write(s: string, encoding: 'base64url'): number } } }).Buffer;

const symbolValue = (text: string, i: number): number => {
  const code = text.charCodeAt(i);
  const v = code < 128 ? B64URL_VALUE[code]! : -1;
  if (v < 0) throw inputInvalid();
  return v;
};

/** Strict base64url: no padding, no other alphabet, no non-zero trailing bits. */
export function fromBase64Url(text: string): Uint8Array {
  const n = text.length;
  const rest = n % 4;
  if (rest === 1) throw inputInvalid();
  // The bits after the last whole byte: 4 of the last symbol when 2 remain, 2 when 3 do.
  if (rest !== 0 && symbolValue(text, n - 1) & (rest === 2 ? 0xf : 0x3)) throw inputInvalid();
  const out = new Uint8Array(Math.floor((n * 6) / 8));
  const native = nativeBuffer();
  if (native) {
    if (!B64URL_TEXT.test(text)) throw inputInvalid();
    native.from(out.buffer).write(text, 'base64url');
    return out;
  }
  let o = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const w = (symbolValue(text, i) << 18) | (symbolValue(text, i + 1) << 12) | (symbolValue(text, i + 2) << 6) | symbolValue(text, i + 3);
    out[o++] = w >> 16;
    out[o++] = (w >> 8) & 0xff;
    out[o++] = w & 0xff;
  }
  if (rest === 2) {
    out[o] = ((symbolValue(text, i) << 6) | symbolValue(text, i + 1)) >> 4;
  } else if (rest === 3) {
    const w = (symbolValue(text, i) << 12) | (symbolValue(text, i + 1) << 6) | symbolValue(text, i + 2);
    out[o] = w >> 10;
    out[o + 1] = (w >> 2) & 0xff;
  }
  return out;
}

// Hex by table, a byte at a time: the vectors are megabytes of hex, read thousands of
// times by the mutation test, where slicing and parseInt per byte dominated.
const HEX_DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) NIBBLE[i.toString(16).charCodeAt(0)] = NIBBLE[i.toString(16).toUpperCase().charCodeAt(0)] = i;

export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX_DIGITS[b];
  return out;
}

export function fromHex(text: string): Uint8Array {
  if (text.length % 2 !== 0) throw inputInvalid();
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = text.charCodeAt(2 * i), lo = text.charCodeAt(2 * i + 1);
    const h = hi < 128 ? NIBBLE[hi]! : -1, l = lo < 128 ? NIBBLE[lo]! : -1;
    if (h < 0 || l < 0) throw inputInvalid();
    out[i] = (h << 4) | l;
  }
  return out;
}
