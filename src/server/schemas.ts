import { z } from 'zod';
import { isDay } from '../domain/index.js';
import { MAX_CUSTODIANS } from '../protocol/index.js';

// The request vocabulary every route validates with: text, bytes and days. Anything
// that passes these reaches the database unchanged, so each refuses what PostgreSQL
// (or jsonb, where audit details go) would raise an error on: a 4xx with a stable
// code here, never a 500 (and never a line in the database's log) later.

/** NUL, which text and jsonb refuse, and a UTF-16 surrogate without its pair, which jsonb refuses. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (value: string): boolean => !UNSTORABLE.test(value);

/** Text a person typed (names, notes, citations, filters), at most `max` UTF-16 units. */
export function text(max: number, options: { min?: number; trim?: boolean } = {}) {
  const base = options.trim ? z.string().trim() : z.string();
  return base
    .min(options.min ?? 0)
    .max(max)
    .refine(isStorableText, 'text may not contain NUL or an unpaired surrogate');
}

const B64URL_TEXT = /^[A-Za-z0-9_-]*$/;
const symbol = (c: number) =>
  c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 45 ? 62 : 63;

/**
 * Canonical unpadded base64url (RFC 4648 §5): the alphabet only, no `=`, no length
 * that leaves a lone symbol, no set bits after the last whole byte. Exactly what
 * protocol/bytes.ts fromBase64Url accepts, so a handler's decode cannot throw.
 */
export function isBase64Url(value: string): boolean {
  const rest = value.length % 4;
  if (rest === 1 || !B64URL_TEXT.test(value)) return false;
  if (rest === 0) return true;
  return (symbol(value.charCodeAt(value.length - 1)) & (rest === 2 ? 0xf : 0x3)) === 0;
}

/** Bytes as canonical base64url text of at most `max` characters (at least `min`, default 1). */
export function bytes(max: number, options: { min?: number } = {}) {
  return z
    .string()
    .min(options.min ?? 1)
    .max(max)
    .refine(isBase64Url, 'canonical unpadded base64url')
    .meta({ examples: ['AAAA'] });
}

/** A wrapped key in base64url: v1's 114–116 bytes, v2's 1170–1172 (PROTOCOL.md §16.2). */
export const wrappedKey = () => bytes(2048);

/**
 * The days the service can reason about. Deadlines are counted forward from them
 * (years of retention, extensions, holidays), so an unbounded day ran date arithmetic
 * past the year 9999 and into a RangeError.
 */
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2199-12-31';

export const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => isDay(d) && d >= FIRST_DAY && d <= LAST_DAY, `a day as YYYY-MM-DD between ${FIRST_DAY} and ${LAST_DAY}`)
  .meta({ examples: ['2026-01-05'] });

export const uuid = z.uuid();

/** An identity block's or protection request's threshold m: 1 ≤ m ≤ n ≤ MAX_CUSTODIANS (PROTOCOL.md §6). */
export const threshold = z.number().int().min(1).max(MAX_CUSTODIANS);

/** One entry per custodian (the shares of an identity block or protection request), as many as the protocol allows. */
export const perCustodian = <T extends z.ZodType>(entry: T) => z.array(entry).min(1).max(MAX_CUSTODIANS);

/**
 * A request key wrapped to the requester and to every custodian of the subject: one more
 * than the custodians the protocol allows.
 */
export const requestKeyList = <T extends z.ZodType>(entry: T) => z.array(entry).max(MAX_CUSTODIANS + 1);

/**
 * The staff one case is sealed to (a content key wrapped to each reader in the bundle).
 * The protocol sets no bound; this one keeps a submission's statement bounded.
 */
export const MAX_RECIPIENTS = 256;
export const recipientList = <T extends z.ZodType>(entry: T) => z.array(entry).min(1).max(MAX_RECIPIENTS);
