import { readFileSync } from 'node:fs';
import t from 'tap';
import { loadBackend } from '../../src/protocol/index.js';
import { runVector } from './run.js';

/**
 * Flipping any byte of any input of a valid vector must fail, always with the
 * file's single failure code. Every byte is mutated, except inside 64 KiB
 * attachment chunks, where the first and last 64 bytes and every 509th byte are.
 * libsodium checks every valid vector; the slower pure-JavaScript backend checks
 * the first valid vector of each file, which keeps the suite fast.
 */
const CASES: { file: string; code: string; fields: (v: any) => [object, string][]; sample?: (length: number) => number[] }[] = [
  { file: 'case.json', code: 'open_failed', fields: (v) => [[v, 'wrapped'], [v, 'envelope']] },
  { file: 'message.json', code: 'open_failed', fields: (v) => [[v, 'ciphertext'], [v, 'contentKey']] },
  {
    file: 'identity.json',
    code: 'open_failed',
    fields: (v) => [[v, 'block'], ...v.shares.map((s: object) => [s, 'wrapped']), ...(v.denouncer ? [[v.denouncer, 'wrapped']] : [])],
  },
  { file: 'attachment.json', code: 'open_failed', fields: (v) => [[v, 'fileKey'], ...v.chunks.map((c: object) => [c, 'ciphertext'])] },
  { file: 'bundle.json', code: 'bundle_invalid', fields: (v) => [[v, 'payload'], [v, 'signature'], [v, 'agencyPublicKey']] },
  // The statements only: a chain's bundle fails with bundle_invalid, as bundle.json's does.
  {
    file: 'agency-key.json',
    code: 'rejected',
    fields: (v) => (v.kind === 'statement' ? [[v, 'message'], [v, 'oldPublicKey'], [v, 'newPublicKey'], [v, 'oldSignature'], [v, 'newSignature']] : []),
  },
  { file: 'signature.json', code: 'rejected', fields: (v) => [[v, 'message'], [v, 'signature'], [v, 'signPublicKey'], [v, 'signSeed']] },
  // A paper share is text, its check tested by its own vectors; the public key it must rebuild is mutated here.
  { file: 'recovery.json', code: 'open_failed', fields: (v) => [[v, 'publicKey']] },
  { file: 'request-reason.json', code: 'open_failed', fields: (v) => [[v, 'wrapped'], [v, 'sealedReason']] },
  // §16: one decapsulation per mutation, the dearest of these: the wrapped key alone is mutated,
  // and inside its X-Wing ciphertext (where ML-KEM's implicit rejection treats every byte alike)
  // only the first and last 64 bytes and every 17th.
  { file: 'wrap-v2.json', code: 'open_failed', fields: (v) => [[v, 'wrapped']], sample: xwingWrapPositions },
  // The bundle listing an X-Wing key only (the other is a v1 bundle's shape, mutated in
  // bundle.json); its 1622 characters of key are sampled, every other byte in full.
  {
    file: 'bundle-v2.json', code: 'bundle_invalid', sample: everyFifthPast512,
    fields: (v) => (v.members[0].xwingPublicKey ? [[v, 'payload'], [v, 'signature']] : []),
  },
  { file: 'audit-row.json', code: 'rejected', fields: (v) => [[v, 'prevHash'], [v, 'hashed'], [v, 'hash']] },
  // A changed answer byte passes a d-bit puzzle by chance once in 2^d: only the 16-bit vector
  // is mutated (the first in its file, so the pure-JavaScript backend mutates it too).
  { file: 'pow.json', code: 'rejected', fields: (v) => (v.difficulty >= 16 ? [[v, 'challenge'], [v, 'solution']] : []) },
];

function positions(length: number): number[] {
  if (length <= 4096) return Array.from({ length }, (_, i) => i);
  const picked = new Set<number>();
  for (let i = 0; i < 64; i++) picked.add(i).add(length - 1 - i);
  for (let i = 0; i < length; i += 509) picked.add(i);
  return [...picked];
}

/** The 2-byte prefix, the sealed material and tag in full; the 1120-byte X-Wing ciphertext sampled. */
function xwingWrapPositions(length: number): number[] {
  const picked = new Set<number>([0, 1]);
  for (let i = 2; i < 2 + 64; i++) picked.add(i).add(2 + 1120 - 1 - (i - 2));
  for (let i = 2; i < 2 + 1120; i += 17) picked.add(i);
  for (let i = 2 + 1120; i < length; i++) picked.add(i);
  return [...picked];
}

/** Every byte of short values; of longer ones the first and last 256 and every fifth. */
function everyFifthPast512(length: number): number[] {
  if (length <= 512) return Array.from({ length }, (_, i) => i);
  const picked = new Set<number>();
  for (let i = 0; i < 256; i++) picked.add(i).add(length - 1 - i);
  for (let i = 0; i < length; i += 5) picked.add(i);
  return [...picked];
}

function mutatedHex(hexText: string, at: number): string {
  const byte = parseInt(hexText.slice(at * 2, at * 2 + 2), 16) ^ 0x01;
  return hexText.slice(0, at * 2) + byte.toString(16).padStart(2, '0') + hexText.slice(at * 2 + 2);
}

// Every byte of every valid vector, on two backends: minutes on a busy two-core machine.
t.setTimeout(600_000);

const backends = [await loadBackend('sodium'), await loadBackend('noble')];

for (const { file, code, fields, sample = positions } of CASES) {
  t.test(`${file}: every mutated byte of a valid vector fails with ${code}`, async (t) => {
    const vectors = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')).vectors.filter((v: any) => v.expect === 'ok');
    for (const be of backends) {
      let tried = 0;
      const wrong: string[] = [];
      for (const original of be.name === 'sodium' ? vectors : vectors.slice(0, 1)) {
        const copy = structuredClone(original);
        for (const [holder, key] of fields(copy) as [Record<string, string>, string][]) {
          const value = holder[key]!;
          const variants = [...sample(value.length / 2).map((at) => mutatedHex(value, at)), value.slice(0, -2)];
          for (const variant of variants) {
            holder[key] = variant;
            const result = await runVector(be, file, copy);
            tried++;
            if (result.outcome !== code) wrong.push(`${original.name} ${key}: ${result.outcome}`);
          }
          holder[key] = value;
        }
      }
      t.same(wrong.slice(0, 5), [], `${be.name}: ${tried} mutations, none accepted or misreported`);
    }
  });
}
