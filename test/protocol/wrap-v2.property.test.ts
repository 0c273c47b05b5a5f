import fc from 'fast-check';
import t from 'tap';
import {
  WRAP_KIND, deriveReplyKeyPairV2, generateReceipt, generateXWingKeyPair, unwrapKeyV2, wrapKeyV2, wrappedV2Length,
} from '../../src/protocol/index.js';
import { WRAP_MATERIAL_BYTES } from '../../src/protocol/wrap-v2.js';
import { BACKENDS, CTX, PAIRS, codeOf, uuid } from './helpers.js';

// PROTOCOL.md §16.2. X-Wing keys cost milliseconds each (ML-KEM key expansion), so runs are few.
const RUNS = 6;
const KINDS = Object.values(WRAP_KIND);

t.test('any kind, any material: each backend opens what the other wraps', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KINDS), fc.uint8Array({ minLength: 34, maxLength: 34 }), async (kind, bytes) => {
        const recipient = generateXWingKeyPair(opener);
        const material = bytes.subarray(0, WRAP_MATERIAL_BYTES[kind]);
        const wrapped = wrapKeyV2(sealer, kind, CTX, material, recipient.publicKey);
        t.equal(wrapped.length, wrappedV2Length(kind));
        t.same(unwrapKeyV2(opener, kind, CTX, wrapped, recipient), material);
      }),
      { numRuns: RUNS },
    );
  }
});

t.test('the denouncer reply key from the receipt is the same on both backends and opens a wrap', async (t) => {
  const receipt = generateReceipt(BACKENDS[0]!);
  const [a, b] = BACKENDS.map((be) => deriveReplyKeyPairV2(be, receipt));
  t.same(a, b, 'same key pair');
  t.equal(a!.publicKey.length, 1216);
  const wrapped = wrapKeyV2(BACKENDS[1]!, WRAP_KIND.contentKey, CTX, new Uint8Array(32).fill(7), a!.publicKey);
  t.same(unwrapKeyV2(BACKENDS[0]!, WRAP_KIND.contentKey, CTX, wrapped, b!), new Uint8Array(32).fill(7));
});

t.test('a flipped bit anywhere in a v2 wrapped key, or another binding, is open_failed', async (t) => {
  const [be] = PAIRS[0]!;
  const recipient = generateXWingKeyPair(be);
  const wrapped = wrapKeyV2(be, WRAP_KIND.identityShare, CTX, new Uint8Array(33).fill(1), recipient.publicKey);
  for (const opener of BACKENDS) {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: wrapped.length - 1 }), fc.integer({ min: 0, max: 7 }), async (at, bit) => {
        const bad = wrapped.slice();
        bad[at] = bad[at]! ^ (1 << bit);
        t.equal(await codeOf(() => unwrapKeyV2(opener, WRAP_KIND.identityShare, CTX, bad, recipient)), 'open_failed');
      }),
      { numRuns: 20 },
    );
    const elsewhere = [
      () => unwrapKeyV2(opener, WRAP_KIND.identityShare, { ...CTX, caseId: uuid(9) }, wrapped, recipient),
      () => unwrapKeyV2(opener, WRAP_KIND.identityShare, { ...CTX, agencyId: uuid(9) }, wrapped, recipient),
      () => unwrapKeyV2(opener, WRAP_KIND.identityShare, CTX, wrapped, generateXWingKeyPair(opener)),
      () => unwrapKeyV2(opener, WRAP_KIND.identityShare, CTX, wrapped.subarray(0, -1), recipient),
      () => unwrapKeyV2(opener, WRAP_KIND.reshareSubShare, CTX, Uint8Array.of(...wrapped, 0), recipient),
      () => unwrapKeyV2(opener, 0x06, CTX, wrapped, recipient),
    ];
    for (const open of elsewhere) t.equal(await codeOf(open), 'open_failed', opener.name);
  }
});

t.test('a sender refuses a bad recipient key or material of the wrong length', async (t) => {
  const recipient = generateXWingKeyPair(BACKENDS[0]!);
  const lowOrder = recipient.publicKey.slice();
  lowOrder.fill(0, 1184);
  const badModulus = recipient.publicKey.slice();
  badModulus.fill(0xff, 0, 2);
  for (const be of BACKENDS) {
    const cases: [string, () => unknown][] = [
      ['low-order X25519 half', () => wrapKeyV2(be, WRAP_KIND.contentKey, CTX, new Uint8Array(32), lowOrder)],
      ['ML-KEM half failing the modulus check', () => wrapKeyV2(be, WRAP_KIND.contentKey, CTX, new Uint8Array(32), badModulus)],
      ['an X25519 key', () => wrapKeyV2(be, WRAP_KIND.contentKey, CTX, new Uint8Array(32), recipient.publicKey.subarray(1184))],
      ['33 bytes of content key', () => wrapKeyV2(be, WRAP_KIND.contentKey, CTX, new Uint8Array(33), recipient.publicKey)],
      ['an unknown kind', () => wrapKeyV2(be, 0x06, CTX, new Uint8Array(32), recipient.publicKey)],
    ];
    for (const [name, run] of cases) t.equal(await codeOf(run), 'input_invalid', `${be.name}: ${name}`);
  }
});

t.test('two wraps of the same material to the same key share no byte pattern (fresh encapsulation)', async (t) => {
  for (const be of BACKENDS) {
    const recipient = generateXWingKeyPair(be);
    const material = new Uint8Array(32).fill(3);
    const a = wrapKeyV2(be, WRAP_KIND.contentKey, CTX, material, recipient.publicKey);
    const b = wrapKeyV2(be, WRAP_KIND.contentKey, CTX, material, recipient.publicKey);
    t.notSame(a.subarray(2), b.subarray(2), be.name);
  }
});
