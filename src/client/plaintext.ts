import type { CaseKind } from '../domain/profile.js';

// The plaintext shapes sealed inside envelopes and messages (PROTOCOL.md §10). Readers
// ignore unknown fields; writers produce exactly these.

export type { CaseKind };

export interface CaseSummary { who?: string; what?: string; when?: string; where?: string; evidence?: string }

/** A file as listed inside a sealed case body or message: everything needed to open it. */
export interface AttachmentRef {
  id: string;
  name: string;
  type: string;
  size: number;
  /** hex BLAKE2b-256 of the plaintext file */
  hash: string;
  /** base64url file key */
  key: string;
}

export interface CaseBody { kind: CaseKind; summary: CaseSummary; relatedCaseId?: string; attachments: AttachmentRef[] }
/** What a withdrawal letter withdraws: the whole denunciation, or the part its text names. */
export type WithdrawalScope = 'all' | 'part';

export interface MessageBody {
  text: string;
  attachments: AttachmentRef[];
  notice?: { transition: string; on: string };
  /** Set in the denouncer's withdrawal letter (form 02): what it withdraws, as sealed by the denouncer. */
  withdrawal?: WithdrawalScope;
}
export interface IdentityBody { name: string; address: string; contact: string; idNumber?: string }

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const encodeJson = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

export function decodeJson<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** A message body from whatever a sender put in it, tolerating missing fields. */
export function readMessageBody(bytes: Uint8Array): MessageBody {
  const raw = decodeJson<Partial<MessageBody>>(bytes);
  const body: MessageBody = {
    text: typeof raw.text === 'string' ? raw.text : '',
    attachments: Array.isArray(raw.attachments) ? raw.attachments : [],
  };
  if (raw.notice) body.notice = raw.notice;
  if (raw.withdrawal === 'all' || raw.withdrawal === 'part') body.withdrawal = raw.withdrawal;
  return body;
}
