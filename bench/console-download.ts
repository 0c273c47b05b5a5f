import sodium from 'libsodium-wrappers';
import { HttpClient } from '../src/client/http.js';
import { hex } from '../src/client/files.js';
import type { AttachmentRef } from '../src/client/plaintext.js';
import { StaffClient, type Session } from '../src/client/staff.js';
import { AttachmentSave } from '../src/console/attachments.js';
import type { ConsoleSession } from '../src/console/session.js';
import { ATTACHMENT_CHUNK_SIZE, attachmentWriter, loadBackend, toBase64Url } from '../src/protocol/index.js';

// Attachment download decryption in the staff console's page (bundled by esbuild and
// evaluated in the signed-in console tab): the console's own save path (AttachmentSave,
// the SDK's AttachmentDownload, the protocol's attachment reader, the running hash and
// the size and count checks) against raw libsodium loops over as many chunks of the
// same size in the same page. The ciphertext is served from memory by a fetch stand-in,
// in 64 KiB pieces as a socket hands them out, so the figure is the page's work and not
// the network's; the save target keeps nothing, as a disk would do it outside the page.

export interface DownloadFigures {
  /** MB/s (10^6 bytes per second) of plaintext handed to the save target. */
  console: number;
  rawAead: number;
  rawSecretstream: number;
  /** Raw AEAD decryption and libsodium's BLAKE2b of every byte: the cryptography the save path must do. */
  rawAeadHash: number;
  mib: number;
}

const ctx = { agencyId: '00000000-0000-4000-8000-000000000001', caseId: '00000000-0000-4000-8000-000000000002' };
const attachmentId = '00000000-0000-4000-8000-000000000003';
const PIECE = 65536;

interface Sealed { ref: AttachmentRef; ciphertext: Uint8Array[]; pieces: Uint8Array[] }

async function sealFile(size: number): Promise<Sealed> {
  const be = await loadBackend('sodium');
  // getRandomValues fills at most 64 KiB a call; libsodium's randombytes_buf is far slower at this size.
  const plain = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(plain.subarray(at, Math.min(size, at + 65536)));
  const writer = attachmentWriter(be, ctx, attachmentId, size);
  const ciphertext: Uint8Array[] = [];
  for await (const chunk of writer.seal([plain])) ciphertext.push(chunk);
  const hash = hex(be.blake2b(32, plain));
  return { ref: { id: attachmentId, name: 'bench.bin', type: 'application/octet-stream', size, hash, key: toBase64Url(writer.fileKey) }, ciphertext, pieces: socketPieces(ciphertext) };
}

/** The sealed stream re-cut into socket-sized pieces, once: serving them then costs nothing per round. */
function socketPieces(ciphertext: Uint8Array[]): Uint8Array[] {
  const joined = new Uint8Array(ciphertext.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of ciphertext) { joined.set(c, at); at += c.length; }
  const pieces: Uint8Array[] = [];
  for (let from = 0; from < joined.length; from += PIECE) pieces.push(joined.subarray(from, from + PIECE));
  return pieces;
}

function body(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < pieces.length) controller.enqueue(pieces[next++]!);
      else controller.close();
    },
  });
}

/** A signed-in console session whose server is the sealed stream above. */
function sessionServing(pieces: Uint8Array[]): ConsoleSession {
  const http = new HttpClient({ baseUrl: 'http://127.0.0.1:1', fetch: async () => new Response(body(pieces), { status: 200 }) });
  const session: Session = { token: 'bench', sessionId: 'bench', staffId: 'bench', agencyId: ctx.agencyId, roles: ['investigator'], expiresAt: '' };
  return { client: new StaffClient(http, session) } as ConsoleSession;
}

/** File System Access as the console uses it, with a file that keeps nothing. */
function discardingPicker(): void {
  const writable = { write: async () => {}, close: async () => {}, abort: async () => {} };
  (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async () => ({ createWritable: async () => writable });
}

async function consoleSave(sealed: Sealed): Promise<void> {
  const session = sessionServing(sealed.pieces);
  const save = await AttachmentSave.begin(session, ctx, sealed.ref);
  if (!save) throw new Error('the save was refused');
  await save.run(() => {});
}

function rawAead(sealed: Sealed, hashed = false): () => void {
  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = new Uint8Array(24);
  const plain = new Uint8Array(ATTACHMENT_CHUNK_SIZE);
  const boxes = sealed.ciphertext.map((_, i) => {
    nonce[23] = i & 0xff;
    return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, null, null, nonce, key);
  });
  return () => {
    const hash = hashed ? sodium.crypto_generichash_init(null, 32) : undefined;
    boxes.forEach((box, i) => {
      nonce[23] = i & 0xff;
      const opened = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, box, null, nonce, key);
      if (hash !== undefined) sodium.crypto_generichash_update(hash, opened);
    });
    if (hash !== undefined) sodium.crypto_generichash_final(hash, 32);
  };
}

function rawSecretstream(sealed: Sealed): () => void {
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const plain = new Uint8Array(ATTACHMENT_CHUNK_SIZE);
  const n = sealed.ciphertext.length;
  const tag = (i: number) => (i === n - 1 ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  const boxes = sealed.ciphertext.map((_, i) => sodium.crypto_secretstream_xchacha20poly1305_push(state, plain, null, tag(i)));
  return () => {
    const pull = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    for (const box of boxes) sodium.crypto_secretstream_xchacha20poly1305_pull(pull, box, null);
  };
}

/**
 * Best round of each workload, the workloads taking turns (bench/sealing-core.ts says
 * why): the console's save path, then the raw loops over as many 64 KiB chunks.
 */
export async function measureDownload(mib: number, rounds = 7): Promise<DownloadFigures> {
  await sodium.ready;
  discardingPicker();
  const size = Math.round(mib * 1048576);
  const sealed = await sealFile(size);
  const bytes = sealed.ciphertext.length * ATTACHMENT_CHUNK_SIZE;
  const workloads: Record<keyof Omit<DownloadFigures, 'mib'>, { run: () => void | Promise<void>; bytes: number }> = {
    console: { run: () => consoleSave(sealed), bytes: size },
    rawAead: { run: rawAead(sealed), bytes },
    rawSecretstream: { run: rawSecretstream(sealed), bytes },
    rawAeadHash: { run: rawAead(sealed, true), bytes },
  };
  for (const w of Object.values(workloads)) await w.run();
  const best = { console: 0, rawAead: 0, rawSecretstream: 0, rawAeadHash: 0 };
  for (let round = 0; round < rounds; round++) {
    for (const [name, w] of Object.entries(workloads) as [keyof typeof best, (typeof workloads)['console']][]) {
      const t0 = performance.now();
      await w.run();
      best[name] = Math.max(best[name], w.bytes / 1e6 / ((performance.now() - t0) / 1000));
    }
  }
  return { ...best, mib };
}
