import { readFileSync } from 'node:fs';
import sodium from 'libsodium-wrappers';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';

// A client written from PROTOCOL.md §11 alone, with libsodium and nothing of src/protocol:
// it solves what the server asks and the server takes its answers, and it judges the
// vectors of pow.json as the package does. If the spec and the code part, this fails.

await sodium.ready;
const LABEL = new TextEncoder().encode('tipline/v1/pow/puzzle');

function fromB64u(text: string): Uint8Array {
  return sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
}

/** H(32, "tipline/v1/pow/puzzle" || challenge || u8(i) || s) has at least d leading zero bits. */
function solves(challenge: Uint8Array, i: number, s: Uint8Array, d: number): boolean {
  const h = sodium.crypto_generichash(32, new Uint8Array([...LABEL, ...challenge, i, ...s]), null);
  for (let bit = 0; bit < d; bit++) if ((h[bit >> 3]! >> (7 - (bit & 7))) & 1) return false;
  return true;
}

function solve(challenge: Uint8Array, k: number, d: number): Uint8Array {
  const out = new Uint8Array(8 * k);
  for (let i = 0; i < k; i++) {
    const s = new Uint8Array(8);
    for (let n = 0; !solves(challenge, i, s, d); n++) new DataView(s.buffer).setBigUint64(0, BigInt(n + 1));
    out.set(s, 8 * i);
  }
  return out;
}

t.test('the server takes answers solved from the spec alone', async (t) => {
  const { app } = await createTestApp(t, { powDifficulty: 9 });
  const res = await app.inject({ method: 'POST', url: '/v1/pow', payload: {} });
  const { token, puzzles, difficulty } = res.json() as { token: string; puzzles: number; difficulty: number };
  t.same([puzzles, difficulty], [16, 5], 'a work of 2^9 hashes: 16 puzzles of 5 bits');
  const header = `${token}.${sodium.to_base64(solve(fromB64u(token), puzzles, difficulty), sodium.base64_variants.URLSAFE_NO_PADDING)}`;
  t.ok(header.length <= 256, 'the header fits the bound');
  const authorization = `Receipt ${sodium.to_base64(sodium.randombytes_buf(32), sodium.base64_variants.URLSAFE_NO_PADDING)}`;
  const answered = await app.inject({ method: 'GET', url: '/v1/case', headers: { authorization, 'tipline-pow': header } });
  t.notOk(['pow_required', 'pow_invalid'].includes(answered.json().error?.code), `past the proof (${answered.statusCode}: no such receipt)`);
});

t.test('pow.json judged from the spec alone', async (t) => {
  const { vectors } = JSON.parse(readFileSync(new URL('../vectors/pow.json', import.meta.url), 'utf8')) as { vectors: any[] };
  for (const v of vectors) {
    const challenge = sodium.from_hex(v.challenge);
    const solution = sodium.from_hex(v.solution);
    const valid = challenge.length >= 16 && challenge.length <= 1024 && v.puzzles >= 1 && v.puzzles <= 16;
    if (!valid) {
      t.equal(v.expect, 'input_invalid', v.name);
      continue;
    }
    const ok = solution.length === 8 * v.puzzles &&
      Array.from({ length: v.puzzles }, (_, i) => i).every((i) => solves(challenge, i, solution.subarray(8 * i, 8 * i + 8), v.difficulty));
    t.equal(ok ? 'ok' : 'rejected', v.expect, v.name);
  }
});
