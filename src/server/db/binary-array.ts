// A bytea[] parameter in PostgreSQL's binary wire form (array_recv), for the pg driver.
// pg sends a Buffer parameter as binary, but turns an array of Buffers into an array
// literal with every element in hex: twice the sealed bytes on the wire, and a hex
// decode on the server. Sealed envelopes are most of a submission, so the submission
// call hands PostgreSQL its byte arrays in this form instead.
//
// Layout (all integers 32-bit big-endian): dimensions, has-nulls flag, element type OID,
// then per dimension its length and lower bound, then per element its byte length
// (-1 for NULL) and its bytes. An empty array has no dimensions.

const BYTEA_OID = 17;

export function byteaArrayBinary(values: readonly (Uint8Array | null | undefined)[]): Buffer {
  if (values.length === 0) return header(0, false, 12);
  let size = 20;
  let nulls = false;
  for (const v of values) {
    size += 4 + (v?.length ?? 0);
    if (!v) nulls = true;
  }
  const out = header(1, nulls, size);
  out.writeInt32BE(values.length, 12);
  out.writeInt32BE(1, 16);
  let at = 20;
  for (const v of values) {
    if (!v) {
      at = out.writeInt32BE(-1, at);
      continue;
    }
    at = out.writeInt32BE(v.length, at);
    out.set(v, at);
    at += v.length;
  }
  return out;
}

function header(dimensions: number, nulls: boolean, size: number): Buffer {
  const out = Buffer.alloc(size);
  out.writeInt32BE(dimensions, 0);
  out.writeInt32BE(nulls ? 1 : 0, 4);
  out.writeInt32BE(BYTEA_OID, 8);
  return out;
}
