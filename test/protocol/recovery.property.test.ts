import fc from 'fast-check';
import t from 'tap';
import {
  formatRecoveryShare, generateStaffKeys, makeRecoveryKey, openCase, openRecoveryKey, parseRecoveryShare, sealCase, unwrapContentKey, unwrapShare,
} from '../../src/protocol/index.js';
import { CTX, PAIRS, codeOf, sodium, uuid } from './helpers.js';

// The recovery recipient (PROTOCOL.md §9.1): any m of its n paper shares rebuild its
// key, fewer never do; a case sealed to it opens with the rebuilt key on either backend;
// the identity is never wrapped to it.

/** `k` distinct indices of 0..n−1, in the order fast-check shuffles them. */
const pick = (n: number, k: number) => fc.shuffledSubarray([...Array(n).keys()], { minLength: k, maxLength: k });

t.test('any m ≤ n: m shares in any order rebuild the key, m − 1 fail closed', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 2, max: 7 }).chain((n) => fc.integer({ min: 2, max: n }).chain((m) => fc.tuple(fc.constant(n), fc.constant(m), pick(n, m)))),
      async ([n, m, chosen]) => {
        const made = await makeRecoveryKey(sodium, m, n);
        const shares = chosen.map((i) => parseRecoveryShare(sodium, made.shares[i]!));
        const pair = await openRecoveryKey(sodium, shares, made.publicKey);
        if (sodium.x25519Base(pair.secretKey).some((b, i) => b !== made.publicKey[i])) return false;
        const fewer = shares.slice(1);
        if ((await codeOf(() => openRecoveryKey(sodium, fewer, made.publicKey))) !== 'open_failed') return false;
        // Shares that claim a lower m (their checks made anew) combine, to a key that is not the one listed.
        if (m < 3) return true;
        const relabelled = fewer.map((s) => parseRecoveryShare(sodium, formatRecoveryShare(sodium, { ...s, threshold: m - 1 })));
        return (await codeOf(() => openRecoveryKey(sodium, relabelled, made.publicKey))) === 'open_failed';
      },
    ),
    { numRuns: 25 },
  );
  t.pass('checked');
});

t.test('a paper share is 18 groups of 4 symbols, and its check catches every single-symbol typo tried', async (t) => {
  const made = await makeRecoveryKey(sodium, 2, 2);
  const text = made.shares[0]!;
  t.match(text, /^[0-9A-HJKMNP-TV-Z]{4}( [0-9A-HJKMNP-TV-Z]{4}){17}$/);
  const symbols = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let caught = 0;
  for (let at = 0; at < text.length; at += 5) {
    const swapped = symbols[(symbols.indexOf(text[at]!) + 1) % 32]!;
    caught += (await codeOf(() => parseRecoveryShare(sodium, text.slice(0, at) + swapped + text.slice(at + 1)))) === 'input_invalid' ? 1 : 0;
  }
  t.equal(caught, 18, 'one changed symbol in each group is refused');
  t.equal(await codeOf(() => makeRecoveryKey(sodium, 1, 3)), 'input_invalid', 'no whole key on one sheet (m = 1)');
  t.equal(await codeOf(() => makeRecoveryKey(sodium, 4, 3)), 'input_invalid', 'm ≤ n');
});

t.test('a case sealed to the recovery recipient opens with the rebuilt key; its identity does not', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    const made = await makeRecoveryKey(sealer, 2, 3);
    const intake = generateStaffKeys(sealer);
    const custodian = generateStaffKeys(sealer);
    const sealed = await sealCase(sealer, {
      ctx: CTX, body: new TextEncoder().encode('the report'), denouncerPublicKey: intake.boxPublicKey,
      recipients: [{ staffId: uuid(1), boxPublicKey: intake.boxPublicKey }], recoveryPublicKey: made.publicKey,
      identity: { data: new Uint8Array(8), custodians: [{ staffId: uuid(2), boxPublicKey: custodian.boxPublicKey }], threshold: 1 },
    });
    const pair = await openRecoveryKey(opener, made.shares.slice(1).map((s) => parseRecoveryShare(opener, s)), made.publicKey);
    const contentKey = unwrapContentKey(opener, CTX, sealed.recoveryKey!, pair);
    t.equal(new TextDecoder().decode(openCase(opener, CTX, sealed.envelope, contentKey)), 'the report', `${sealer.name} → ${opener.name}`);
    t.equal(await codeOf(() => unwrapContentKey(opener, { ...CTX, caseId: uuid(9) }, sealed.recoveryKey!, pair)), 'open_failed', 'bound to its case');
    t.equal(await codeOf(() => unwrapShare(opener, CTX, sealed.identity!.shares[0]!.wrapped, pair)), 'open_failed', 'the identity share is the custodian\'s alone');
  }
  const none = await sealCase(sodium, { ctx: CTX, body: new Uint8Array(1), denouncerPublicKey: generateStaffKeys(sodium).boxPublicKey, recipients: [{ staffId: uuid(1), boxPublicKey: generateStaffKeys(sodium).boxPublicKey }] });
  t.equal(none.recoveryKey, undefined, 'no recovery recipient given: no recovery wrap');
});
