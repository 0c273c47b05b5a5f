import fc from 'fast-check';
import { combine } from 'shamir-secret-sharing';
import t from 'tap';
import {
  combineShares, combineSubShares, generateStaffKeys, newShareX, openIdentity, sealCase, splitShare, unwrapShare,
  unwrapSubShare, wrapSubShare, type Backend, type StaffKeys,
} from '../../src/protocol/index.js';
import { gfInv, gfMul, lagrangeAtZero } from '../../src/protocol/gf256.js';
import { CTX, PAIRS, codeOf, sodium, uuid } from './helpers.js';

const pairOf = (s: StaffKeys) => ({ publicKey: s.boxPublicKey, secretKey: s.boxSecretKey });

/** The field by the textbook log/exp tables of generator 3, to check the masked multiply against. */
function tableMul(): (a: number, b: number) => number {
  const exp = new Array<number>(510);
  const log = new Array<number>(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x; exp[i + 255] = x; log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0);
  }
  return (a, b) => (a === 0 || b === 0 ? 0 : exp[log[a]! + log[b]!]!);
}

t.test('the masked multiply and inverse are GF(2^8) mod 0x11B', async (t) => {
  const mul = tableMul();
  let mismatches = 0;
  for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) if (gfMul(a, b) !== mul(a, b)) mismatches++;
  t.equal(mismatches, 0, 'all 65536 products agree with the log/exp tables');
  for (let a = 1; a < 256; a++) if (gfMul(a, gfInv(a)) !== 1) t.fail(`inverse of ${a}`);
  t.equal(gfInv(0), 0);
  t.same(lagrangeAtZero([5]), [1], 'one point: λ = 1');
});

/** Seals an identity to n custodians at threshold m; returns the block and the unwrapped shares. */
async function sealed(be: Backend, n: number, m: number, data: Uint8Array) {
  const custodians = Array.from({ length: n }, () => generateStaffKeys(be));
  const s = await sealCase(be, {
    ctx: CTX, body: new Uint8Array(1), recipients: [{ staffId: uuid(0), boxPublicKey: custodians[0]!.boxPublicKey }],
    denouncerPublicKey: custodians[0]!.boxPublicKey,
    identity: { data, threshold: m, custodians: custodians.map((c, i) => ({ staffId: uuid(i + 1), boxPublicKey: c.boxPublicKey })) },
  });
  return { block: s.identity!.block, shares: s.identity!.shares.map((w, i) => unwrapShare(be, CTX, w.wrapped, pairOf(custodians[i]!))) };
}

/** k old shares re-split to n' new custodians (sealed and opened as kind 0x05), summed by each. */
function reshare(sealer: Backend, opener: Backend, oldShares: Uint8Array[], nNew: number, mNew: number): Uint8Array[] {
  const next = Array.from({ length: nNew }, () => generateStaffKeys(sealer));
  const xs = next.map((_, j) => newShareX(j));
  const wrapped = oldShares.map((share) => splitShare(sealer, share, xs, mNew).map((sub, j) => wrapSubShare(sealer, CTX, sub, next[j]!.boxPublicKey)));
  return next.map((keys, j) => combineSubShares(wrapped.map((parts) => unwrapSubShare(opener, CTX, parts[j]!, pairOf(keys))), xs[j]!));
}

const sizes = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n })));

t.test("any m ≤ n to any m' ≤ n': old blocks open with m' new shares, never with m' − 1", async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(sizes, sizes, fc.uint8Array({ maxLength: 300 }), fc.nat(), async ([n, m], [n2, m2], data, pick) => {
        const { block, shares } = await sealed(sealer, n, m, data);
        // Any k ≥ m of the old custodians may take part, in any order.
        const k = m + (pick % (n - m + 1));
        const fresh = reshare(sealer, opener, shares.slice(n - k).reverse(), n2, m2);
        const chosen = fresh.slice(pick % (n2 - m2 + 1), (pick % (n2 - m2 + 1)) + m2);
        const key = await combineShares(opener, CTX, chosen, block, m2);
        t.same(openIdentity(opener, CTX, block, key), data);
        if (m2 > 1) {
          t.equal(await codeOf(() => combineShares(opener, CTX, chosen.slice(1), block, m2 - 1)), 'open_failed', "m' − 1 new shares fail closed");
          t.equal(await codeOf(() => combineShares(opener, CTX, [...chosen.slice(1), ...shares.slice(0, 1)], block, m2)), 'open_failed', 'an old share does not stand in for a new one');
        }
      }),
      { numRuns: 6 },
    );
  }
});

t.test("the new shares have the package's layout and combine there; two reshares in a row", async (t) => {
  const data = new TextEncoder().encode('Nguyen Van A, Ha Noi');
  const { block, shares } = await sealed(sodium, 3, 2, data);
  const first = reshare(sodium, sodium, shares.slice(1), 5, 3);
  const key = await combine(first.slice(2));
  t.same(openIdentity(sodium, CTX, block, key), data, 'shamir-secret-sharing combines three new shares into the key');
  const second = reshare(sodium, sodium, first.slice(0, 3), 2, 2);
  t.same(openIdentity(sodium, CTX, block, await combineShares(sodium, CTX, second, block, 2)), data, "3-of-5 → 2-of-2");
  t.equal(await codeOf(() => combineShares(sodium, CTX, second.slice(1), block, 1)), 'open_failed');
});

t.test('sub-shares refuse what does not fit', async (t) => {
  const { shares } = await sealed(sodium, 2, 2, new Uint8Array(3));
  const subs = splitShare(sodium, shares[0]!, [1, 2, 3], 2);
  t.equal(await codeOf(() => splitShare(sodium, shares[0]!, [1, 1], 2)), 'input_invalid', 'duplicate new x');
  t.equal(await codeOf(() => splitShare(sodium, shares[0]!, [1, 2], 3)), 'input_invalid', "m' > n'");
  t.equal(await codeOf(() => splitShare(sodium, shares[0]!, [0, 2], 1)), 'input_invalid', 'x = 0');
  t.equal(await codeOf(() => combineSubShares([subs[0]!, subs[0]!], 1)), 'open_failed', 'the same old x twice');
  t.equal(await codeOf(() => combineSubShares([subs[0]!], 2)), 'open_failed', 'a sub-share for another x');
  const other = generateStaffKeys(sodium);
  const wrapped = wrapSubShare(sodium, CTX, subs[0]!, other.boxPublicKey);
  t.equal(await codeOf(() => unwrapSubShare(sodium, { ...CTX, caseId: uuid(9) }, wrapped, pairOf(other))), 'open_failed', 'bound to its subject');
  t.equal(await codeOf(() => unwrapShare(sodium, CTX, wrapped, pairOf(other))), 'open_failed', 'a sub-share is not a share');
});
