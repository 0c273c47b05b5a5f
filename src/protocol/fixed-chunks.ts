// Attachments travel as fixed-size chunks (PROTOCOL.md "Attachments"), while bytes
// arrive in pieces of whatever size a Blob, a socket or a file stream hands out. This
// re-cuts one into the other, the same way for the client (plaintext, before sealing)
// and the server (ciphertext, before storing). Isomorphic: no Node built-ins.

export interface FixedChunkOptions {
  /**
   * Yield every full chunk in one buffer, refilled after the consumer asks for the
   * next chunk. For a consumer that is done with a chunk when it asks for the next
   * (stores it, seals it into new bytes): a large file then costs one chunk of memory,
   * not a fresh buffer per chunk that the garbage collector may free late.
   */
  reuse?: boolean;
}

/**
 * The source's bytes in chunks of exactly `size` bytes; only the last may be shorter,
 * and an empty source gives no chunk. A chunk may share memory with a source piece
 * (when a whole chunk lies within one piece) and, with `reuse`, with the previous
 * chunk: keep one past the next step only as a copy. A source that fails part-way
 * fails the iteration before the partial chunk is yielded.
 */
export async function* fixedChunks(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  size: number,
  options: FixedChunkOptions = {},
): AsyncGenerator<Uint8Array> {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  let pending = new Uint8Array(size);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.length) {
      if (filled === 0 && piece.length - offset >= size) {
        yield piece.subarray(offset, offset + size);
        offset += size;
        continue;
      }
      const take = Math.min(piece.length - offset, size - filled);
      pending.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield pending;
        if (!options.reuse) pending = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield pending.subarray(0, filled);
}
