import type { Database } from './connect.js';
import { inTransaction } from './audited.js';
import type { ProtectionStep } from '../../domain/index.js';

// The signed steps of a protection after its request (Law Art. 50(3), 54; PROTOCOL.md
// §8.3.13), in seq order. A step is written once at the seq the server expects (the
// primary key refuses a second writer at the same place), with the notice it sends the
// protected person, and the request's ended_on / confirmed_on in the same transaction.

export interface RecordedStep {
  seq: number; step: ProtectionStep; ground: string; onDay: string; by: string;
  record: Uint8Array | null; noticeMessageId: string | null; noticeDigest: Uint8Array | null; signature: Uint8Array;
}

/** Each request's steps, in order. */
export async function stepsOf(db: Database, requestIds: readonly string[]): Promise<Map<string, RecordedStep[]>> {
  const out = new Map<string, RecordedStep[]>(requestIds.map((id) => [id, []]));
  if (requestIds.length === 0) return out;
  const rows = await db.selectFrom('protection_steps').selectAll().where('request_id', 'in', requestIds).orderBy('request_id').orderBy('seq').execute();
  for (const r of rows) {
    out.get(r.request_id)?.push({
      seq: r.seq, step: r.step, ground: r.ground, onDay: r.on_day, by: r.by_staff, record: r.record,
      noticeMessageId: r.notice_message_id, noticeDigest: r.notice_digest, signature: r.signature,
    });
  }
  return out;
}

export interface NewStep {
  requestId: string; caseId: string; seq: number; step: ProtectionStep; ground: string; onDay: string; by: string; record: Uint8Array;
  signature: Uint8Array;
  notice: { messageId: string; ciphertext: Uint8Array; signature: Uint8Array; digest: Uint8Array } | null;
}

/** Writes the step at its seq; false when another step took that place first. */
export async function insertProtectionStep(db: Database, s: NewStep): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const inserted = await trx.insertInto('protection_steps').values({
      request_id: s.requestId, seq: s.seq, step: s.step, ground: s.ground, on_day: s.onDay, by_staff: s.by, record: s.record,
      notice_message_id: s.notice?.messageId ?? null, notice_digest: s.notice?.digest ?? null, signature: s.signature,
    }).onConflict((oc) => oc.columns(['request_id', 'seq']).doNothing()).returning('seq').executeTakeFirst();
    if (!inserted) return false;
    if (s.step === 'end') await trx.updateTable('protection_requests').set({ ended_on: s.onDay }).where('id', '=', s.requestId).execute();
    if (s.step === 'confirm_writing') await trx.updateTable('protection_requests').set({ confirmed_on: s.onDay }).where('id', '=', s.requestId).execute();
    if (s.notice) {
      await trx.insertInto('messages').values({
        id: s.notice.messageId, case_id: s.caseId, direction: 'to_denouncer', author_id: s.by,
        ciphertext: s.notice.ciphertext, signature: s.notice.signature, sent_on: s.onDay,
      }).execute();
    }
    return true;
  });
}
