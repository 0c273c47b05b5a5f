import { ATTACHMENT_CHUNK_SIZE, attachmentSealer, sealMessage, type Backend, type Direction } from '../../src/protocol/index.js';
import { AGENCY_ID, CASE_ID, CTX, OTHER_CASE_ID, flip, hex, itemId, seededBackend } from './fixtures.js';

const MESSAGE_TEXT = new TextEncoder().encode(JSON.stringify({ text: 'Thank you. Your report was accepted.', attachments: [] }));

export function buildMessageVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/message');
  const contentKey = be.randomBytes(32);
  const messageId = itemId(1);
  const direction: Direction = 'to_denouncer';
  const ciphertext = sealMessage(be, CTX, contentKey, { messageId, direction, plaintext: MESSAGE_TEXT });
  const vector = (name: string, expect: string, over: Record<string, unknown> = {}) => ({
    name,
    expect,
    agencyId: AGENCY_ID,
    caseId: CASE_ID,
    contentKey: hex(contentKey),
    messageId,
    direction,
    ciphertext: hex(ciphertext),
    ...over,
    ...(expect === 'ok' ? { plaintext: hex(MESSAGE_TEXT) } : {}),
  });
  const fromDenouncer = sealMessage(be, CTX, contentKey, { messageId: itemId(2), direction: 'from_denouncer', plaintext: MESSAGE_TEXT });
  return [
    vector('message to the denouncer opens', 'ok'),
    vector('message from the denouncer opens', 'ok', { messageId: itemId(2), direction: 'from_denouncer', ciphertext: hex(fromDenouncer) }),
    vector('direction swapped', 'open_failed', { direction: 'from_denouncer' }),
    vector('message id swapped', 'open_failed', { messageId: itemId(2) }),
    vector('moved to another case', 'open_failed', { caseId: OTHER_CASE_ID }),
    vector('wrong content key', 'open_failed', { contentKey: hex(flip(contentKey, 0)) }),
    vector('nonce byte flipped', 'open_failed', { ciphertext: hex(flip(ciphertext, 0)) }),
    vector('ciphertext byte flipped', 'open_failed', { ciphertext: hex(flip(ciphertext, 24)) }),
    vector('tag byte flipped', 'open_failed', { ciphertext: hex(flip(ciphertext, ciphertext.length - 1)) }),
    vector('truncated by one byte', 'open_failed', { ciphertext: hex(ciphertext.slice(0, -1)) }),
  ];
}

interface Chunk {
  index: number;
  last: boolean;
  ciphertext: string;
}

export function buildAttachmentVectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/attachment');
  const attachmentId = itemId(10);
  const file = be.randomBytes(ATTACHMENT_CHUNK_SIZE + 100);
  const sealer = attachmentSealer(be, CTX, attachmentId);
  const first = sealer.sealChunk(file.subarray(0, ATTACHMENT_CHUNK_SIZE), 0, false);
  const second = sealer.sealChunk(file.subarray(ATTACHMENT_CHUNK_SIZE), 1, true);
  const c0: Chunk = { index: 0, last: false, ciphertext: hex(first) };
  const c1: Chunk = { index: 1, last: true, ciphertext: hex(second) };
  const vector = (name: string, expect: string, chunks: Chunk[], over: Record<string, unknown> = {}) => ({
    name,
    expect,
    agencyId: AGENCY_ID,
    caseId: CASE_ID,
    attachmentId,
    fileKey: hex(sealer.fileKey),
    chunks,
    ...over,
    ...(expect === 'ok' ? { plaintext: hex(file) } : {}),
  });
  const empty = attachmentSealer(be, CTX, itemId(11));
  return [
    vector('two-chunk file opens', 'ok', [c0, c1]),
    {
      ...vector('empty file is one empty last chunk', 'ok', [{ index: 0, last: true, ciphertext: hex(empty.sealChunk(new Uint8Array(0), 0, true)) }]),
      attachmentId: itemId(11),
      fileKey: hex(empty.fileKey),
      plaintext: '',
    },
    vector('last chunk dropped', 'open_failed', [c0]),
    vector('first chunk presented as last', 'open_failed', [{ ...c0, last: true }]),
    vector('chunks reordered', 'open_failed', [{ ...c1, index: 0 }, { ...c0, index: 1 }]),
    vector('chunk byte flipped', 'open_failed', [c0, { ...c1, ciphertext: hex(flip(second, 5)) }]),
    vector('chunk from another attachment id', 'open_failed', [c0, c1], { attachmentId: itemId(12) }),
  ];
}
