import fc from 'fast-check';
import t from 'tap';
import {
  combineShares, deriveReceiptKeys, deriveReplyKeyPairV2, generateReceipt, generateStaffKeys, generateStaffKeysV2, grantContentKey,
  openCase, openIdentity, sealCase, unwrapContentKey, unwrapIdentityKey, unwrapShare, type StaffKeys,
} from '../../src/protocol/index.js';
import { CTX, PAIRS, codeOf, uuid } from './helpers.js';

// A case sealed under version 2 (PROTOCOL.md §16): the content key wrapped v2 to each
// member the bundle lists with an X-Wing key, v1 to the others, v2 to the denouncer's
// receipt-derived reply key; every reader opens its own wrap whatever the version.

const readerKeys = (k: StaffKeys) => ({
  publicKey: k.boxPublicKey, secretKey: k.boxSecretKey,
  ...(k.xwingPublicKey ? { xwing: { publicKey: k.xwingPublicKey, secretKey: k.xwingSecretKey! } } : {}),
});
const recipient = (k: StaffKeys, i: number) => ({
  staffId: uuid(i), boxPublicKey: k.boxPublicKey, ...(k.xwingPublicKey ? { xwingPublicKey: k.xwingPublicKey } : {}),
});

t.test('v1 and v2 recipients of one case, and the denouncer by the receipt, open it across backends', async (t) => {
  for (const [sealer, opener] of PAIRS) {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }), fc.uint8Array({ maxLength: 2000 }), async (v2s, body) => {
        const staff = v2s.map((v2) => (v2 ? generateStaffKeysV2(sealer) : generateStaffKeys(sealer)));
        const receipt = generateReceipt(sealer);
        const reply = deriveReceiptKeys(sealer, receipt).replyKeyPair;
        const replyV2 = deriveReplyKeyPairV2(sealer, receipt);
        const custodians = staff.map(recipient);
        const sealed = await sealCase(sealer, {
          ctx: CTX, body, recipients: custodians, denouncerPublicKey: reply.publicKey, denouncerXWingPublicKey: replyV2.publicKey,
          identity: { data: new TextEncoder().encode('tên người tố cáo'), custodians, threshold: 1 },
        });
        sealed.recipientKeys.forEach((r, i) => t.equal(r.wrapped.length, v2s[i] ? 1170 : 114));
        t.equal(sealed.denouncerKey.length, 1170);
        // The denouncer's client holds both reply pairs; the receipt alone gives them again.
        const denouncer = { ...deriveReceiptKeys(opener, receipt).replyKeyPair, xwing: deriveReplyKeyPairV2(opener, receipt) };
        t.same(openCase(opener, CTX, sealed.envelope, unwrapContentKey(opener, CTX, sealed.denouncerKey, denouncer)), body);
        staff.forEach((k, i) => {
          const key = unwrapContentKey(opener, CTX, sealed.recipientKeys[i]!.wrapped, readerKeys(k));
          t.same(openCase(opener, CTX, sealed.envelope, key), body);
        });
        const identityKey = unwrapIdentityKey(opener, CTX, sealed.identity!.denouncerKey, denouncer);
        const share = unwrapShare(opener, CTX, sealed.identity!.shares[0]!.wrapped, readerKeys(staff[0]!));
        t.same(await combineShares(opener, CTX, [share], sealed.identity!.block), identityKey);
        t.same(openIdentity(opener, CTX, sealed.identity!.block, identityKey), new TextEncoder().encode('tên người tố cáo'));
      }),
      { numRuns: 3 },
    );
  }
});

t.test('a v2 wrap is open_failed for a reader holding only v1 keys, and a grant follows the grantee', async (t) => {
  const [be] = PAIRS[0]!;
  const upgraded = generateStaffKeysV2(be);
  const contentKey = be.randomBytes(32);
  const granted = grantContentKey(be, CTX, contentKey, recipient(upgraded, 1));
  t.equal(granted.length, 1170);
  const { xwing: _, ...v1Only } = readerKeys(upgraded);
  t.equal(await codeOf(() => unwrapContentKey(be, CTX, granted, v1Only)), 'open_failed');
  t.same(unwrapContentKey(be, CTX, granted, readerKeys(upgraded)), contentKey);
  const v1Grant = grantContentKey(be, CTX, contentKey, upgraded.boxPublicKey);
  t.equal(v1Grant.length, 114, 'a bare X25519 key is a v1 grant');
  t.same(unwrapContentKey(be, CTX, v1Grant, readerKeys(upgraded)), contentKey, 'an upgraded reader still opens v1 wraps');
});
