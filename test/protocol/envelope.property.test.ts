import fc from 'fast-check';
import t from 'tap';
import {
  deriveReceiptKeys,
  generateReceipt,
  generateStaffKeys,
  grantContentKey,
  openCase,
  openMessage,
  sealCase,
  sealMessage,
  unwrapContentKey,
} from '../../src/protocol/index.js';
import { CTX, PAIRS, codeOf, uuid } from './helpers.js';

const RUNS = 12;

t.test('any body, any recipient count: every recipient and the denouncer open it, across backends', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 5 }), async (body, count) => {
        const staff = Array.from({ length: count }, () => generateStaffKeys(sealer));
        const reply = deriveReceiptKeys(sealer, generateReceipt(sealer)).replyKeyPair;
        const sealed = await sealCase(sealer, {
          ctx: CTX,
          body,
          recipients: staff.map((s, i) => ({ staffId: uuid(i), boxPublicKey: s.boxPublicKey })),
          denouncerPublicKey: reply.publicKey,
        });
        const keys = [
          unwrapContentKey(opener, CTX, sealed.denouncerKey, reply),
          ...sealed.recipientKeys.map((r, i) =>
            unwrapContentKey(opener, CTX, r.wrapped, { publicKey: staff[i]!.boxPublicKey, secretKey: staff[i]!.boxSecretKey }),
          ),
        ];
        for (const key of keys) t.same(openCase(opener, CTX, sealed.envelope, key), body);
        const investigator = generateStaffKeys(opener);
        const granted = grantContentKey(opener, CTX, keys[0]!, investigator.boxPublicKey);
        const grantedKey = unwrapContentKey(sealer, CTX, granted, { publicKey: investigator.boxPublicKey, secretKey: investigator.boxSecretKey });
        t.same(openCase(sealer, CTX, sealed.envelope, grantedKey), body);
      }),
      { numRuns: RUNS },
    );
  }
});

t.test('a flipped bit anywhere in an envelope or wrapped key is open_failed', async (t) => {
  const [be] = PAIRS[1]!;
  const staff = generateStaffKeys(be);
  const keyPair = { publicKey: staff.boxPublicKey, secretKey: staff.boxSecretKey };
  const sealed = await sealCase(be, {
    ctx: CTX,
    body: new TextEncoder().encode('the body'),
    recipients: [{ staffId: uuid(1), boxPublicKey: staff.boxPublicKey }],
    denouncerPublicKey: staff.boxPublicKey,
  });
  const wrapped = sealed.recipientKeys[0]!.wrapped;
  const contentKey = unwrapContentKey(be, CTX, wrapped, keyPair);
  for (const [, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 }), async (inEnvelope, at, bit) => {
        const target = (inEnvelope ? sealed.envelope : wrapped).slice();
        const index = at % target.length;
        target[index] = target[index]! ^ (1 << bit);
        const code = await codeOf(() =>
          inEnvelope ? openCase(opener, CTX, target, contentKey) : unwrapContentKey(opener, CTX, target, keyPair),
        );
        t.equal(code, 'open_failed');
      }),
      { numRuns: 60 },
    );
  }
});

t.test('messages round-trip in both directions and refuse any tampering', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.constantFrom('to_denouncer' as const, 'from_denouncer' as const),
        fc.nat(),
        async (plaintext, direction, at) => {
          const contentKey = sealer.randomBytes(32);
          const ciphertext = sealMessage(sealer, CTX, contentKey, { messageId: uuid(7), direction, plaintext });
          t.same(openMessage(opener, CTX, contentKey, { messageId: uuid(7), direction, ciphertext }), plaintext);
          const tampered = ciphertext.slice();
          const index = at % tampered.length;
          tampered[index] = tampered[index]! ^ 0x80;
          const code = await codeOf(() => openMessage(opener, CTX, contentKey, { messageId: uuid(7), direction, ciphertext: tampered }));
          t.equal(code, 'open_failed');
        },
      ),
      { numRuns: RUNS },
    );
  }
});
