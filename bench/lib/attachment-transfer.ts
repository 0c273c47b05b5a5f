import { request } from 'node:http';
import { Readable } from 'node:stream';
import { ATTACHMENT_CHUNK_SIZE, attachmentWriter, type Backend } from '../../src/protocol/index.js';

// Streams an attachment up and down over plain HTTP, the way the denouncer client
// does: one PUT of consecutive ciphertext chunks, one GET of the whole content.
// The chunks come from a small pool sealed beforehand and are sent in rotation, so
// the figures are the server's, not the bench's sealing or memory.

export const CIPHERTEXT_CHUNK = ATTACHMENT_CHUNK_SIZE + 16;
const POOL = 16;

export async function chunkPool(be: Backend, ctx: { agencyId: string; caseId: string }, attachmentId: string): Promise<Buffer[]> {
  const file = be.randomBytes(POOL * ATTACHMENT_CHUNK_SIZE);
  const pool: Buffer[] = [];
  // The file's whole chunks; its padding chunk is left out of the rotation.
  for await (const c of attachmentWriter(be, ctx, attachmentId, file.length).seal([file])) if (pool.length < POOL) pool.push(Buffer.from(c));
  return pool;
}

export interface Transfer {
  bytes: number;
  seconds: number;
  status: number;
  body: string;
  /** Download only: the first byte offset that differs from the pool in rotation. */
  mismatchAt?: number;
}

export function uploadChunks(url: string, authKey: string, pool: Buffer[], from: number, count: number, onProgress: (sent: number) => void): Promise<Transfer> {
  const total = count * CIPHERTEXT_CHUNK;
  let sent = 0;
  const source = Readable.from(
    (function* () {
      for (let i = 0; i < count; i++) {
        sent += CIPHERTEXT_CHUNK;
        if (i % 256 === 0) onProgress(sent);
        yield pool[(from + i) % pool.length]!;
      }
    })(),
  );
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, {
      method: 'PUT',
      headers: { authorization: `Receipt ${authKey}`, 'content-type': 'application/octet-stream', 'content-length': String(total) },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ bytes: total, seconds: (performance.now() - t0) / 1000, status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    source.pipe(req);
  });
}

/** Downloads the content and checks every byte against the pool it was uploaded from. */
export function download(url: string, authKey: string, pool: Buffer[], onProgress: (received: number) => void): Promise<Transfer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { headers: { authorization: `Receipt ${authKey}` } }, (res) => {
      let bytes = 0;
      let ticks = 0;
      let mismatchAt: number | undefined;
      res.on('data', (d: Buffer) => {
        if (mismatchAt === undefined && !matchesRotation(pool, bytes, d)) mismatchAt = bytes;
        bytes += d.length;
        if (++ticks % 256 === 0) onProgress(bytes);
      });
      res.on('end', () =>
        resolve({ bytes, seconds: (performance.now() - t0) / 1000, status: res.statusCode ?? 0, body: '', ...(mismatchAt === undefined ? {} : { mismatchAt }) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether `d`, found at byte `offset` of the stream, is what the pool in rotation holds there. */
function matchesRotation(pool: Buffer[], offset: number, d: Buffer): boolean {
  for (let pos = 0; pos < d.length; ) {
    const at = offset + pos;
    const chunk = pool[Math.floor(at / CIPHERTEXT_CHUNK) % pool.length]!;
    const within = at % CIPHERTEXT_CHUNK;
    const n = Math.min(CIPHERTEXT_CHUNK - within, d.length - pos);
    if (!d.subarray(pos, pos + n).equals(chunk.subarray(within, within + n))) return false;
    pos += n;
  }
  return true;
}
