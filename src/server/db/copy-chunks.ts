import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

// Attachment downloads on PostgreSQL, as a binary COPY. node-postgres returns a bytea
// as a hex string twice the chunk's size, parsed into a second buffer: a gibibyte
// download made three gibibytes of short-lived garbage and the server's resident memory
// rose by ~80 MiB before the collector caught up. COPY … (format binary) sends the
// chunks as raw bytes in CopyData messages; they reach us as slices of the socket's
// buffers, so the stream allocates about what it sends.
//
// COPY takes no bind parameters. The attachment id and the first index travel as
// session settings set by an ordinary parameterised statement, so nothing is ever
// spliced into the SQL text.

const copyText = `copy (
  select data from attachment_chunks
  where attachment_id = current_setting('tipline.copy_attachment')::uuid
    and index >= current_setting('tipline.copy_from')::int
  order by index
) to stdout with (format binary)`;

/** Streams the chunks of an attachment from index `from` over one pooled connection. */
export async function* copyChunks(pool: pg.Pool, attachmentId: string, from: number): AsyncGenerator<Uint8Array> {
  const client = await pool.connect();
  let finished = false;
  try {
    await client.query(
      `select set_config('tipline.copy_attachment', $1, false), set_config('tipline.copy_from', $2, false)`,
      [attachmentId, String(from)],
    );
    yield* binaryCopyFields(client.query(copyTo(copyText)));
    finished = true;
  } finally {
    // A download abandoned mid-way leaves the COPY running on this connection: it is
    // closed rather than handed to the next query.
    client.release(!finished);
  }
}

const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The single bytea field of each row of a binary COPY stream (PostgreSQL documentation,
 * "COPY — Binary Format"): an 11-byte signature, 32-bit flags and header-extension
 * length, then per row a 16-bit field count, a 32-bit length and the bytes; a field
 * count of -1 ends the stream.
 */
export async function* binaryCopyFields(source: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
  const queue = new ByteQueue();
  let stage: 'signature' | 'extension' | 'row' | 'length' | 'field' | 'end' = 'signature';
  let need = signature.length + 8;
  for await (const incoming of source) {
    queue.push(incoming);
    while (stage !== 'end' && queue.length >= need) {
      const bytes = queue.take(need);
      switch (stage) {
        case 'signature':
          if (!bytes.subarray(0, signature.length).equals(signature)) throw new Error('not a binary COPY stream');
          stage = 'extension';
          need = bytes.readUInt32BE(signature.length + 4);
          if (need === 0) [stage, need] = ['row', 2];
          break;
        case 'extension':
          [stage, need] = ['row', 2];
          break;
        case 'row': {
          const fields = bytes.readInt16BE(0);
          if (fields === -1) [stage, need] = ['end', 0];
          else if (fields !== 1) throw new Error(`binary COPY row of ${fields} fields, expected 1`);
          else [stage, need] = ['length', 4];
          break;
        }
        case 'length': {
          const length = bytes.readInt32BE(0);
          if (length < 0) throw new Error('binary COPY gave a null chunk');
          if (length === 0) {
            yield new Uint8Array(0);
            [stage, need] = ['row', 2];
          } else [stage, need] = ['field', length];
          break;
        }
        case 'field':
          yield bytes;
          [stage, need] = ['row', 2];
          break;
      }
    }
  }
  if (stage !== 'end') throw new Error('binary COPY stream ended early');
}

/** Buffers received in pieces; take(n) slices when the bytes lie in one piece. */
class ByteQueue {
  private parts: Buffer[] = [];
  private offset = 0; // into parts[0]
  length = 0;

  push(part: Buffer): void {
    if (part.length === 0) return;
    this.parts.push(part);
    this.length += part.length;
  }

  take(n: number): Buffer {
    const first = this.parts[0];
    if (n === 0) return Buffer.alloc(0);
    if (first && first.length - this.offset >= n) {
      const out = first.subarray(this.offset, this.offset + n);
      this.advance(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const part = this.parts[0]!;
      const count = Math.min(n - filled, part.length - this.offset);
      part.copy(out, filled, this.offset, this.offset + count);
      filled += count;
      this.advance(count);
    }
    return out;
  }

  private advance(n: number): void {
    this.length -= n;
    this.offset += n;
    if (this.offset === this.parts[0]!.length) {
      this.parts.shift();
      this.offset = 0;
    }
  }
}
