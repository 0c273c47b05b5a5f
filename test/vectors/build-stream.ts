import {
  ATTACHMENT_CHUNK_SIZE, attachmentWriter, sealMessage, type AttachmentWriter, type Backend, type Direction,
} from '../../src/protocol/index.js';
import { concat, fromHex, uint64BE, uuidBytes } from '../../src/protocol/bytes.js';
import { LABEL } from '../../src/protocol/labels.js';
import { caseAd } from '../../src/protocol/primitives.js';
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

/** Seals a stream chunk by chunk by hand, as an independent implementation of §5 would. */
function handSealed(be: Backend, fileKey: Uint8Array, attachmentId: string, stream: Uint8Array): { ciphertext: string }[] {
  const ad = caseAd(LABEL.attachment, CTX, uuidBytes(attachmentId));
  const count = Math.ceil(stream.length / ATTACHMENT_CHUNK_SIZE);
  return Array.from({ length: count }, (_, i) => {
    const nonce = concat(new Uint8Array(15), uint64BE(i), Uint8Array.of(i === count - 1 ? 1 : 0));
    return { ciphertext: hex(be.aeadEncrypt(stream.subarray(i * ATTACHMENT_CHUNK_SIZE, (i + 1) * ATTACHMENT_CHUNK_SIZE), ad, nonce, fileKey)) };
  });
}

async function sealed(writer: AttachmentWriter, file: Uint8Array): Promise<{ ciphertext: string }[]> {
  const out: { ciphertext: string }[] = [];
  for await (const c of writer.seal((async function* () { yield file; })())) out.push({ ciphertext: hex(c) });
  return out;
}

/** A stream of `length` bytes: `file`, then 0x80 at `marker` (if any), zeros elsewhere. */
function stream(file: Uint8Array, length: number, marker?: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(file);
  if (marker !== undefined) out[marker] = 0x80;
  return out;
}

export async function buildAttachmentVectors(base: Backend): Promise<object[]> {
  const be = seededBackend(base, 'tipline/vectors/attachment');
  const vector = (name: string, expect: string, id: number, writer: AttachmentWriter, file: Uint8Array, chunks: { ciphertext: string }[]) => ({
    name,
    expect,
    agencyId: AGENCY_ID,
    caseId: CASE_ID,
    attachmentId: itemId(id),
    fileKey: hex(writer.fileKey),
    chunks,
    ...(expect === 'ok' ? { plaintext: hex(file) } : {}),
  });
  // 65636 bytes pad to Padmé(65637) = 67584: a full chunk, then 2048 bytes.
  const file = be.randomBytes(ATTACHMENT_CHUNK_SIZE + 100);
  const two = attachmentWriter(be, CTX, itemId(10), file.length);
  const [c0, c1] = await sealed(two, file);
  const empty = attachmentWriter(be, CTX, itemId(11), 0);
  // 1215 bytes: Padmé(1216) = 1216, so the padding is the single 0x80.
  const atBoundary = be.randomBytes(1215);
  const boundary = attachmentWriter(be, CTX, itemId(13), atBoundary.length);
  // 65536 bytes: the file fills chunk 0; chunk 1 is 0x80 and 2047 zeros.
  const whole = be.randomBytes(ATTACHMENT_CHUNK_SIZE);
  const own = attachmentWriter(be, CTX, itemId(14), whole.length);
  const small = be.randomBytes(100);
  const bad = attachmentWriter(be, CTX, itemId(15), small.length);
  const badPadding = (name: string, bytes: Uint8Array) =>
    vector(name, 'open_failed', 15, bad, small, handSealed(be, bad.fileKey, itemId(15), bytes));
  return [
    vector('two-chunk file opens', 'ok', 10, two, file, [c0!, c1!]),
    vector('empty file is one chunk holding only 0x80', 'ok', 11, empty, new Uint8Array(0), await sealed(empty, new Uint8Array(0))),
    vector('file one byte short of its bucket: the padding is the single 0x80', 'ok', 13, boundary, atBoundary, await sealed(boundary, atBoundary)),
    vector('file of whole chunks: the padding is a chunk of its own', 'ok', 14, own, whole, await sealed(own, whole)),
    vector('hand-sealed padded stream opens', 'ok', 15, bad, small, handSealed(be, bad.fileKey, itemId(15), stream(small, 104, 100))),
    badPadding('padding without its 0x80', stream(small, 104)),
    badPadding('padding longer than Padmé asks for', stream(small.subarray(0, 90), 104, 90)),
    badPadding('stream length that is no Padmé length', stream(small, 110, 100)),
    badPadding('bytes after the 0x80 are not zeros', stream(small, 104, 100).fill(7, 103)),
    vector('last chunk dropped', 'open_failed', 10, two, file, [c0!]),
    vector('chunks reordered', 'open_failed', 10, two, file, [c1!, c0!]),
    vector('chunk byte flipped', 'open_failed', 10, two, file, [c0!, { ciphertext: hex(flip(fromHex(c1!.ciphertext), 5)) }]),
    { ...vector('chunk from another attachment id', 'open_failed', 10, two, file, [c0!, c1!]), attachmentId: itemId(12) },
  ];
}
