import sodium from 'libsodium-wrappers';
import { ATTACHMENT_CHUNK_SIZE, attachmentSealer, loadBackend, type Backend } from '../src/protocol/index.js';

// Attachment sealing throughput, isomorphic: the same module runs in Node and,
// bundled by esbuild, in headless Chromium. Each figure seals the same number of
// 64 KiB chunks; the raw libsodium figures in the same process are the ceiling.

export interface SealingFigures {
  /** MB/s (10^6 bytes per second) of plaintext sealed. */
  tiplineSodium: number;
  tiplineNoble: number;
  rawAead: number;
  rawSecretstream: number;
  mib: number;
}

const ctx = { agencyId: '00000000-0000-4000-8000-000000000001', caseId: '00000000-0000-4000-8000-000000000002' };
const attachmentId = '00000000-0000-4000-8000-000000000003';

/** Best of three rounds of a third each: other work on a shared machine only ever slows a round down. */
function rate(bytes: number, run: () => void): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    run();
    best = Math.max(best, bytes / 1e6 / ((performance.now() - t0) / 1000));
  }
  return best;
}

function tipline(be: Backend, chunk: Uint8Array, chunks: number): number {
  const sealer = attachmentSealer(be, ctx, attachmentId);
  return rate(chunk.length * chunks, () => {
    for (let i = 0; i < chunks; i++) sealer.sealChunk(chunk, i, i === chunks - 1);
  });
}

function rawAead(chunk: Uint8Array, chunks: number): number {
  const key = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = new Uint8Array(24);
  return rate(chunk.length * chunks, () => {
    for (let i = 0; i < chunks; i++) {
      nonce[23] = i & 0xff;
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(chunk, null, null, nonce, key);
    }
  });
}

function rawSecretstream(chunk: Uint8Array, chunks: number): number {
  const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
  const { state } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  return rate(chunk.length * chunks, () => {
    for (let i = 0; i < chunks; i++) {
      sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, null, i === chunks - 1 ? TAG_FINAL : TAG_MESSAGE);
    }
  });
}

/** The pure-JavaScript backend is much slower; it seals an eighth as much so the run stays short. */
export async function measureSealing(mib: number): Promise<SealingFigures> {
  await sodium.ready;
  const chunks = Math.max(1, Math.round((mib * 1048576) / ATTACHMENT_CHUNK_SIZE / 3));
  const chunk = sodium.randombytes_buf(ATTACHMENT_CHUNK_SIZE);
  const sodiumBackend = await loadBackend('sodium');
  const nobleBackend = await loadBackend('noble');
  // Warm-up: JIT and WebAssembly tiers settle before anything is timed.
  tipline(sodiumBackend, chunk, 16);
  rawAead(chunk, 16);
  tipline(nobleBackend, chunk, 4);
  return {
    rawAead: rawAead(chunk, chunks),
    rawSecretstream: rawSecretstream(chunk, chunks),
    tiplineSodium: tipline(sodiumBackend, chunk, chunks),
    tiplineNoble: tipline(nobleBackend, chunk, Math.max(1, Math.round(chunks / 8))),
    mib,
  };
}
