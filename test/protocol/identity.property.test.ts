import fc from 'fast-check';
import t from 'tap';
import {
  combineShares,
  generateStaffKeys,
  openIdentity,
  resealShare,
  sealCase,
  unwrapIdentityKey,
  unwrapShare,
  type StaffKeys,
} from '../../src/protocol/index.js';
import { CTX, PAIRS, codeOf, uuid } from './helpers.js';

const pairOf = (s: StaffKeys) => ({ publicKey: s.boxPublicKey, secretKey: s.boxSecretKey });

t.test('any m ≤ n: m shares open the identity, m - 1 fail closed, across backends', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }))),
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        async ([n, m], data) => {
          const custodians = Array.from({ length: n }, () => generateStaffKeys(sealer));
          const denouncer = generateStaffKeys(sealer);
          const sealed = await sealCase(sealer, {
            ctx: CTX,
            body: new Uint8Array(1),
            recipients: [{ staffId: uuid(0), boxPublicKey: denouncer.boxPublicKey }],
            denouncerPublicKey: denouncer.boxPublicKey,
            identity: { data, threshold: m, custodians: custodians.map((c, i) => ({ staffId: uuid(i + 1), boxPublicKey: c.boxPublicKey })) },
          });
          const identity = sealed.identity!;
          t.equal(identity.threshold, m);
          const shares = identity.shares.map((s, i) => unwrapShare(opener, CTX, s.wrapped, pairOf(custodians[i]!)));
          // The last m shares, one of them re-sealed to an investigator first.
          const investigator = generateStaffKeys(opener);
          const chosen = shares.slice(n - m);
          chosen[0] = unwrapShare(sealer, CTX, resealShare(opener, CTX, chosen[0]!, investigator.boxPublicKey), pairOf(investigator));
          const key = await combineShares(opener, CTX, chosen, identity.block);
          t.same(openIdentity(opener, CTX, identity.block, key), data);
          t.same(openIdentity(opener, CTX, identity.block, unwrapIdentityKey(opener, CTX, identity.denouncerKey, pairOf(denouncer))), data);
          if (m > 1) t.equal(await codeOf(() => combineShares(opener, CTX, chosen.slice(1), identity.block)), 'open_failed');
        },
      ),
      { numRuns: 10 },
    );
  }
});

t.test('threshold outside 1..n is refused before sealing', async (t) => {
  const [be] = PAIRS[0]!;
  const c = generateStaffKeys(be);
  for (const threshold of [0, 2, 1.5]) {
    const code = await codeOf(() =>
      sealCase(be, {
        ctx: CTX,
        body: new Uint8Array(1),
        recipients: [{ staffId: uuid(0), boxPublicKey: c.boxPublicKey }],
        denouncerPublicKey: c.boxPublicKey,
        identity: { data: new Uint8Array(1), threshold, custodians: [{ staffId: uuid(1), boxPublicKey: c.boxPublicKey }] },
      }),
    );
    t.equal(code, 'input_invalid', `threshold ${threshold} of 1`);
  }
});
