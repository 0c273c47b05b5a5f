import {
  deriveReceiptKeys, fromBase64Url, loadBackend, normalizeReceipt, openCase, openIdentity, openMessage, sealMessage,
  toBase64Url, unwrapContentKey, unwrapIdentityKey, type Backend, type CaseContext, type ReceiptKeys, replyReaderKeys,
} from '../protocol/index.js';
import { downloadFile } from './attachment-download.js';
import { describeFile, uploadFile, type FileSource, type TransferProgress } from './files.js';
import { HttpClient, type FetchLike } from './http.js';
import {
  decodeJson, encodeJson, readMessageBody, type AttachmentRef, type CaseBody, type IdentityBody, type MessageBody, type WithdrawalScope,
} from './plaintext.js';
import { concat, uuidBytes } from '../protocol/bytes.js';
import { proofOfWorkFetch, solverFor, type PowOptions } from './pow.js';

// Everything a receipt opens, decrypted on this device. The receipt never leaves it:
// only the derived auth key travels, in the Authorization header, never in a URL.

export const receiptAuthorization = (authKey: Uint8Array) => ({ authorization: `Receipt ${toBase64Url(authKey)}` });

/**
 * The transport of every receipt request: the receipt's authorization and a freshly solved
 * proof of work on each one, as the server requires on every receipt route (PROTOCOL.md §11).
 */
export function receiptHttp(be: Backend, authKey: Uint8Array, options: { server: string; fetch?: FetchLike } & PowOptions): HttpClient {
  const fetch = proofOfWorkFetch(options.server, solverFor(be, options), options.fetch);
  return new HttpClient({ baseUrl: options.server, fetch, headers: receiptAuthorization(authKey) });
}

export interface CaseStatus {
  caseId: string;
  publicNumber: string;
  kind: string;
  status: string;
  receivedOn: string;
  /** The deadline now running; null while the clock is stopped or the case is over. */
  due: string | null;
  hasIdentity: boolean;
  agency: { agencyId: string; slug: string; name: string };
  timeline: { on: string; event: string; status: string | null; deadline: string | null; noticeMessageId: string | null }[];
}

export interface OpenedMessage extends MessageBody {
  messageId: string;
  seq: string;
  direction: 'to_denouncer' | 'from_denouncer';
  sentOn: string;
}

interface MessageJson { messageId: string; seq: string; direction: 'to_denouncer' | 'from_denouncer'; ciphertext: string; sentOn: string }
interface SealedJson { caseId: string; agencyId: string; envelope: string; denouncerKey: string; identity: { block: string; denouncerKey: string } | null }

export interface ReceiptSession {
  /** Public status of the case. Every call of a session costs a proof of work per request. */
  status(): Promise<CaseStatus>;
  /** The case as it was sent, opened here. */
  readCase(): Promise<{ body: CaseBody; identity: IdentityBody | null }>;
  /** Messages after `after` (a seq), opened here; all of them by default. */
  messages(after?: string): Promise<OpenedMessage[]>;
  reply(text: string, attachments?: FileSource[], onProgress?: TransferProgress): Promise<OpenedMessage>;
  /** Sends a file with a message that lists it (the agency needs its key to open it). */
  attach(file: FileSource, onProgress?: TransferProgress): Promise<AttachmentRef>;
  download(attachment: AttachmentRef, onProgress?: TransferProgress): AsyncIterable<Uint8Array>;
  /** Every file the case body and the messages list. */
  attachments(): Promise<AttachmentRef[]>;
  /**
   * Withdraws all or part of the denunciation in writing (Law Art. 33; form 02): the letter
   * (what is withdrawn, and why) is sealed here as a message of the case; the server learns
   * only `scope`, which decides the step, and the agency's staff read the letter.
   */
  withdraw(scope: WithdrawalScope, letter: string): Promise<{ status: string; on: string; action: string }>;
}

export interface OpenReceiptOptions extends PowOptions { server: string; fetch?: FetchLike; backend?: Backend }

/** Checks the receipt's check symbol (throws TiplineCryptoError `receipt_invalid` on a typo) and opens a session. */
export async function openReceipt(receipt: string, options: OpenReceiptOptions): Promise<ReceiptSession> {
  const be = options.backend ?? (await loadBackend());
  const keys: ReceiptKeys = deriveReceiptKeys(be, normalizeReceipt(receipt));
  // Either version's wraps (PROTOCOL.md §16.3): the v2 reply pair is derived only if one is v2.
  const reader = replyReaderKeys(be, receipt, keys);
  const authed = receiptHttp(be, keys.authKey, options);
  let opened: { ctx: CaseContext; contentKey: Uint8Array; sealed: SealedJson } | undefined;

  async function unlock() {
    if (opened) return opened;
    const sealed = await authed.get<SealedJson>('/v1/case/sealed');
    const ctx = { agencyId: sealed.agencyId, caseId: sealed.caseId };
    opened = { ctx, sealed, contentKey: unwrapContentKey(be, ctx, fromBase64Url(sealed.denouncerKey), reader) };
    return opened;
  }

  async function messages(after = '0'): Promise<OpenedMessage[]> {
    const { ctx, contentKey } = await unlock();
    const out: OpenedMessage[] = [];
    for (let cursor: string | null = after; cursor !== null; ) {
      const page: { messages: MessageJson[]; next: string | null } = await authed.get(`/v1/case/messages?after=${cursor}`);
      for (const m of page.messages) {
        const plain = openMessage(be, ctx, contentKey, { messageId: m.messageId, direction: m.direction, ciphertext: fromBase64Url(m.ciphertext) });
        out.push({ messageId: m.messageId, seq: m.seq, direction: m.direction, sentOn: m.sentOn, ...readMessageBody(plain) });
      }
      cursor = page.next;
    }
    return out;
  }

  async function reply(text: string, files: FileSource[] = [], onProgress?: TransferProgress): Promise<OpenedMessage> {
    const { ctx, contentKey } = await unlock();
    const refs: AttachmentRef[] = [];
    for (const f of files) {
      const ref = await describeFile(be, ctx, f);
      await uploadFile(be, authed, ctx, f, ref, onProgress);
      refs.push(ref);
    }
    const id = crypto.randomUUID();
    const body: MessageBody = { text, attachments: refs };
    const ciphertext = sealMessage(be, ctx, contentKey, { messageId: id, direction: 'from_denouncer', plaintext: encodeJson(body) });
    // The same id and bytes on a retry: the server stores the message once.
    const m = await authed.post<MessageJson>('/v1/case/messages', { messageId: id, ciphertext: toBase64Url(ciphertext) });
    return { messageId: m.messageId, seq: m.seq, direction: m.direction, sentOn: m.sentOn, ...body };
  }

  async function readCase() {
    const { ctx, contentKey, sealed } = await unlock();
    const body = decodeJson<CaseBody>(openCase(be, ctx, fromBase64Url(sealed.envelope), contentKey));
    let identity: IdentityBody | null = null;
    if (sealed.identity) {
      const identityKey = unwrapIdentityKey(be, ctx, fromBase64Url(sealed.identity.denouncerKey), reader);
      identity = decodeJson<IdentityBody>(openIdentity(be, ctx, fromBase64Url(sealed.identity.block), identityKey));
    }
    return { body: { ...body, attachments: Array.isArray(body.attachments) ? body.attachments : [] }, identity };
  }

  async function withdraw(scope: WithdrawalScope, letter: string) {
    const { ctx, contentKey } = await unlock();
    const letterId = crypto.randomUUID();
    const body: MessageBody = { text: letter, attachments: [], withdrawal: scope };
    const ciphertext = sealMessage(be, ctx, contentKey, { messageId: letterId, direction: 'from_denouncer', plaintext: encodeJson(body) });
    // letterId || ciphertext, as a staff reason travels (PROTOCOL.md §5.2): the id is bound by the message's AD.
    const sealed = concat(uuidBytes(letterId), ciphertext);
    return authed.post<{ status: string; on: string; action: string }>('/v1/case/withdraw', { scope, letter: toBase64Url(sealed) });
  }

  return {
    status: async () => authed.get<CaseStatus>('/v1/case'),
    withdraw,
    readCase,
    messages,
    reply,
    attach: async (file, onProgress) => (await reply('', [file], onProgress)).attachments[0]!,
    download: (ref, onProgress) => ({
      [Symbol.asyncIterator]: () => {
        const inner = (async function* () {
          const { ctx } = await unlock();
          yield* downloadFile(be, authed, ctx, ref, onProgress);
        })();
        return inner;
      },
    }),
    attachments: async () => {
      const all = [...(await readCase()).body.attachments, ...(await messages()).flatMap((m) => m.attachments)];
      return all.filter((a, i) => all.findIndex((b) => b.id === a.id) === i);
    },
  };
}
