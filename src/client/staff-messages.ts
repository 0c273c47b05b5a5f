import { fromBase64Url, loadBackend, openMessage, sealMessage, signDetached, toBase64Url, type StaffKeys } from '../protocol/index.js';
import type { StaffClient } from './staff.js';
import { encodeJson, readMessageBody, type AttachmentRef } from './plaintext.js';
import { messageSigningBytes } from '../protocol/signing-bytes.js';

// Messages with the denouncer, sealed and opened on the staff member's machine with
// the case's content key; every reply is signed by its author.

export interface OpenedMessage { messageId: string; direction: 'to_denouncer' | 'from_denouncer'; authorId: string | null; sentOn: string; text: string; attachments: AttachmentRef[] }

export async function reply(c: StaffClient, caseId: string, text: string, keys: StaffKeys): Promise<string> {
  const be = await loadBackend();
  const { detail, contentKey } = await c.openCase(caseId, keys);
  const messageId = crypto.randomUUID();
  const ciphertext = sealMessage(be, { agencyId: detail.agencyId, caseId }, contentKey, {
    messageId, direction: 'to_denouncer', plaintext: encodeJson({ text, attachments: [] }),
  });
  contentKey.fill(0);
  const signature = signDetached(be, 'message', messageSigningBytes(caseId, messageId, ciphertext, be), keys.signSecretKey);
  await c.http.post(`/v1/staff/cases/${caseId}/messages`, { messageId, ciphertext: toBase64Url(ciphertext), signature: toBase64Url(signature) });
  return messageId;
}

export async function readMessages(c: StaffClient, caseId: string, agencyId: string, contentKey: Uint8Array): Promise<OpenedMessage[]> {
  const be = await loadBackend();
  const out: OpenedMessage[] = [];
  let after = '0';
  for (;;) {
    const page = await c.http.get<{ messages: { messageId: string; seq: string; direction: 'to_denouncer' | 'from_denouncer'; authorId: string | null; ciphertext: string; sentOn: string }[] }>(
      `/v1/staff/cases/${caseId}/messages?after=${after}&limit=500`,
    );
    for (const m of page.messages) {
      const plain = openMessage(be, { agencyId, caseId }, contentKey, { messageId: m.messageId, direction: m.direction, ciphertext: fromBase64Url(m.ciphertext) });
      const { text, attachments } = readMessageBody(plain);
      out.push({ messageId: m.messageId, direction: m.direction, authorId: m.authorId, sentOn: m.sentOn, text, attachments });
    }
    if (page.messages.length < 500) return out;
    after = page.messages[page.messages.length - 1]!.seq;
  }
}
