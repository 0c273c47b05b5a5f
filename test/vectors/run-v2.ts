import {
  decryptKeyFile, deriveReplyKeyPairV2, fromBase64Url, staffKeyFingerprint, unwrapKeyV2, verifyBundle, wrapKeyV2,
  type Backend, type KeyPair,
} from '../../src/protocol/index.js';
import { fromHex, hex } from '../../src/protocol/bytes.js';
import { openFailed } from '../../src/protocol/errors.js';
import { fixedRandomBackend } from './fixtures.js';
import type { Runner } from './run.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Thrown for a re-sealing that does not reproduce the vector: runVector reports it as `rejected`. */
export class ResealMismatch extends Error {}

// An X-Wing key generation per receipt and backend: the mutation test opens one vector many times.
const replyPairs = new Map<string, KeyPair>();
function replyPair(be: Backend, receipt: string): KeyPair {
  const key = `${be.name} ${receipt}`;
  let pair = replyPairs.get(key);
  if (!pair) replyPairs.set(key, (pair = deriveReplyKeyPairV2(be, receipt)));
  return pair;
}

export const RUNNERS_V2: Record<string, { run: Runner; expected: (v: any) => string | undefined }> = {
  // The draft's own vectors: key generation from the seed, derandomised encapsulation, decapsulation.
  'xwing.json': {
    async run(be, v) {
      const pair = be.xwingSeedKeyPair(fromHex(v.seed));
      const sent = v.eseed === undefined ? undefined : be.xwingEncapsulate(fromHex(v.pk), fromHex(v.eseed));
      const received = be.xwingDecapsulate(fromHex(v.ct), pair.secretKey);
      if (received === null) throw openFailed();
      return [pair.publicKey, sent?.ciphertext, sent?.sharedSecret, received].map((b) => (b ? hex(b) : '-')).join(' ');
    },
    expected: (v) => [v.pk, v.ct, v.ss, v.ss].join(' '),
  },
  // §16.2: open as `kind` for (agencyId, caseId); where the vector lists its encapsulation
  // seed, sealing the material again with it MUST give `wrapped` byte for byte.
  'wrap-v2.json': {
    async run(be, v) {
      const ctx = { agencyId: v.agencyId, caseId: v.caseId };
      const pair = v.receipt === undefined
        ? { publicKey: fromHex(v.recipientPublicKey), secretKey: fromHex(v.recipientSecretKey) }
        : replyPair(be, v.receipt);
      const material = unwrapKeyV2(be, v.kind, ctx, fromHex(v.wrapped), pair);
      if (v.encapsulationSeed !== undefined) {
        const again = wrapKeyV2(fixedRandomBackend(be, fromHex(v.encapsulationSeed)), v.kind, ctx, material, pair.publicKey);
        if (hex(again) !== v.wrapped) throw new ResealMismatch();
      }
      return [hex(material), hex(pair.publicKey), hex(pair.secretKey)].join(' ');
    },
    expected: (v) => [v.material, v.recipientPublicKey, v.recipientSecretKey].join(' '),
  },
  'keyfile-v2.json': {
    async run(_be, v) {
      const { keys } = await decryptKeyFile(JSON.stringify(v.file), v.passphrase);
      const all = [keys.signPublicKey, keys.boxPublicKey, keys.xwingPublicKey, keys.signSecretKey, keys.boxSecretKey, keys.xwingSecretKey];
      return all.map((k) => (k ? hex(k) : '-')).join(' ');
    },
    expected: (v) => [v.signPublicKey, v.boxPublicKey, v.xwingPublicKey, v.signSecretKey, v.boxSecretKey, v.xwingSecretKey].join(' '),
  },
  // §16.5: each member's accepted versions (absent: [1]) and X-Wing key (null: none).
  'bundle-v2.json': {
    async run(be, v) {
      const content = verifyBundle(be, { payload: fromHex(v.payload), signature: fromHex(v.signature) }, {
        agencyPublicKey: fromHex(v.agencyPublicKey), pinnedFingerprint: v.pinnedFingerprint, minSerial: v.minSerial, today: v.today,
      });
      return JSON.stringify(content.staff.map((s) => ({
        versions: s.versions ?? [1],
        xwingPublicKey: s.xwingPublicKey === undefined ? null : hex(fromBase64Url(s.xwingPublicKey)),
      })));
    },
    expected: (v) => JSON.stringify(v.members),
  },
  'fingerprint-v2.json': {
    async run(be, v) {
      return staffKeyFingerprint(be, fromHex(v.signPublicKey), fromHex(v.boxPublicKey), fromHex(v.xwingPublicKey));
    },
    expected: (v) => v.fingerprint,
  },
};
