import {
  fromBase64Url, loadBackend, messageSigningBytes, openMessage, sealMessage, signDetached, toBase64Url, verifyDetached,
  type Backend, type StaffKeys,
} from '../protocol/index.js';
import type { StaffClient } from './staff.js';
import { encodeJson, readMessageBody, type AttachmentRef } from './plaintext.js';

// Messages with the denouncer, sealed and opened on the staff member's machine with
// the case's content key; every reply is signed by its author. A reply is shown as the
// agency's only once its signature verifies against its author's key in the agency's
// verified bundle: a server (or anyone holding the receipt, who holds the content key
// too) can otherwise write "a reply from the investigator".

/**
 * 'signed': a staff message whose author's signature verifies; 'denouncer': from the
 * denouncer (sealed with the case key, unsigned by design: the denouncer is anonymous);
 * 'refused': a staff message that does not verify, an author missing from the verified
 * bundle, or a message that does not open. A refused message carries no text.
 */
export type Authenticity = 'signed' | 'denouncer' | 'refused';

export interface OpenedMessage {
  messageId: string; direction: 'to_denouncer' | 'from_denouncer'; authorId: string | null; sentOn: string;
  authenticity: Authenticity; text: string; attachments: AttachmentRef[];
}

interface ListedMessage {
  messageId: string; seq: string; direction: 'to_denouncer' | 'from_denouncer'; authorId: string | null; ciphertext: string; signature: string | null; sentOn: string;
}

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

/**
 * The agency's staff signing keys, taken only from its bundle verified against the pin
 * (fingerprint and highest serial seen).
 */
export async function bundleSigningKeys(c: StaffClient, agencyId: string): Promise<Map<string, Uint8Array>> {
  const content = await c.verifiedBundle(agencyId);
  return new Map(content.staff.map((s) => [s.staffId, fromBase64Url(s.signPublicKey)]));
}

/** Whether a staff message is its listed author's, signed over this case, id and ciphertext. */
function signedByAuthor(be: Backend, caseId: string, m: ListedMessage, ciphertext: Uint8Array, keys: Map<string, Uint8Array>): boolean {
  const key = m.authorId === null ? undefined : keys.get(m.authorId);
  if (key === undefined || m.signature === null) return false;
  const signature = fromBase64Url(m.signature);
  return signature.length === 64 && verifyDetached(be, 'message', signature, messageSigningBytes(caseId, m.messageId, ciphertext, be), key);
}

function openOne(be: Backend, caseId: string, agencyId: string, contentKey: Uint8Array, m: ListedMessage, keys: Map<string, Uint8Array>): OpenedMessage {
  const base = { messageId: m.messageId, direction: m.direction, authorId: m.authorId, sentOn: m.sentOn };
  const refused: OpenedMessage = { ...base, authenticity: 'refused', text: '', attachments: [] };
  try {
    const ciphertext = fromBase64Url(m.ciphertext);
    // A staff message is checked before it is opened: nothing unsigned is read as the agency's.
    if (m.direction === 'to_denouncer' && !signedByAuthor(be, caseId, m, ciphertext, keys)) return refused;
    const plain = openMessage(be, { agencyId, caseId }, contentKey, { messageId: m.messageId, direction: m.direction, ciphertext });
    const { text, attachments } = readMessageBody(plain);
    return { ...base, authenticity: m.direction === 'to_denouncer' ? 'signed' : 'denouncer', text, attachments };
  } catch {
    return refused;
  }
}

export async function readMessages(c: StaffClient, caseId: string, agencyId: string, contentKey: Uint8Array): Promise<OpenedMessage[]> {
  const be = await loadBackend();
  const keys = await bundleSigningKeys(c, agencyId);
  const out: OpenedMessage[] = [];
  let after = '0';
  for (;;) {
    const page = await c.http.get<{ messages: ListedMessage[] }>(`/v1/staff/cases/${caseId}/messages?after=${after}&limit=500`);
    for (const m of page.messages) out.push(openOne(be, caseId, agencyId, contentKey, m, keys));
    if (page.messages.length < 500) return out;
    after = page.messages[page.messages.length - 1]!.seq;
  }
}
