import { timingSafeEqual } from 'node:crypto';
import type { Database } from './connect.js';

// Messages of a case, both directions, for the denouncer's and the staff's routes alike.
// The id is chosen by the sender so a retried post lands once; `seq` is the reader's
// cursor ("messages after"). Only ciphertext is stored, with the day it was sent.

export interface StoredMessage {
  id: string;
  seq: string;
  direction: 'to_denouncer' | 'from_denouncer';
  authorId: string | null;
  ciphertext: Uint8Array;
  signature: Uint8Array | null;
  sentOn: string;
}

export interface NewMessage {
  id: string;
  caseId: string;
  direction: 'to_denouncer' | 'from_denouncer';
  authorId: string | null;
  ciphertext: Uint8Array;
  signature: Uint8Array | null;
}

export type PostOutcome = { outcome: 'created' | 'replayed'; message: StoredMessage } | { outcome: 'conflict' };

const columns = ['id', 'seq', 'case_id', 'direction', 'author_id', 'ciphertext', 'signature', 'sent_on'] as const;

type Row = { id: string; seq: string; case_id: string; direction: StoredMessage['direction']; author_id: string | null; ciphertext: Uint8Array; signature: Uint8Array | null; sent_on: string };

function toMessage(r: Row): StoredMessage {
  return { id: r.id, seq: String(r.seq), direction: r.direction, authorId: r.author_id, ciphertext: r.ciphertext, signature: r.signature, sentOn: r.sent_on };
}

const sameBytes = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : a.length === b.length && timingSafeEqual(a, b);

/** Stores a message once; the same id again with the same content answers as the first time. */
export async function postMessage(db: Database, m: NewMessage): Promise<PostOutcome> {
  const inserted = await db
    .insertInto('messages')
    .values({ id: m.id, case_id: m.caseId, direction: m.direction, author_id: m.authorId, ciphertext: m.ciphertext, signature: m.signature })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning(columns)
    .executeTakeFirst();
  if (inserted) return { outcome: 'created', message: toMessage(inserted) };
  const prior = await db.selectFrom('messages').select(columns).where('id', '=', m.id).executeTakeFirst();
  const same =
    prior !== undefined &&
    prior.case_id === m.caseId &&
    prior.direction === m.direction &&
    prior.author_id === m.authorId &&
    sameBytes(prior.ciphertext, m.ciphertext) &&
    sameBytes(prior.signature, m.signature);
  return same ? { outcome: 'replayed', message: toMessage(prior) } : { outcome: 'conflict' };
}

/** Messages of a case with seq > after, oldest first. */
export async function listMessages(db: Database, caseId: string, after: string, limit: number): Promise<StoredMessage[]> {
  const rows = await db
    .selectFrom('messages')
    .select(columns)
    .where('case_id', '=', caseId)
    .where('seq', '>', after)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toMessage);
}
