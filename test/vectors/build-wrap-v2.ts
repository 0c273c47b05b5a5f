import {
  WRAP_KIND, deriveReplyKeyPairV2, generateReceipt, generateXWingKeyPair, wrapKeyV2, type Backend, type KeyPair,
} from '../../src/protocol/index.js';
import { wrapKey } from '../../src/protocol/wrap.js';
import { AGENCY_ID, CASE_ID, CTX, OTHER_AGENCY_ID, OTHER_CASE_ID, flip, hex, recordingBackend, seededBackend } from './fixtures.js';

// wrap-v2.json (PROTOCOL.md §16.2): a v2 wrapped key of every kind, the denouncer's reply
// key from the receipt (§16.3), and each way a wrapped key must fail to open.

const MATERIAL: Record<number, number> = { 0x01: 32, 0x02: 32, 0x03: 33, 0x04: 32, 0x05: 34 };
const KIND_NAMES: Record<number, string> = {
  0x01: 'content key', 0x02: 'identity key', 0x03: 'identity share', 0x04: 'request key', 0x05: 'reshare sub-share',
};

/** Wraps and records the 64-byte encapsulation seed it drew, so a reader can seal again byte for byte. */
function recordedWrap(be: Backend, kind: number, material: Uint8Array, recipient: Uint8Array, ctx = CTX) {
  const { be: recording, drawn } = recordingBackend(be);
  const wrapped = wrapKeyV2(recording, kind, ctx, material, recipient);
  return { wrapped, encapsulationSeed: drawn[0]! };
}

export function buildWrapV2Vectors(base: Backend): object[] {
  const be = seededBackend(base, 'tipline/vectors/wrap-v2');
  const recipient = generateXWingKeyPair(be);
  const outsider = generateXWingKeyPair(be);
  const vector = (name: string, expect: string, kind: number, material: Uint8Array, wrapped: Uint8Array, over: Record<string, unknown> = {}) => ({
    name,
    expect,
    kind,
    agencyId: AGENCY_ID,
    caseId: CASE_ID,
    recipientSecretKey: hex(recipient.secretKey),
    recipientPublicKey: hex(recipient.publicKey),
    wrapped: hex(wrapped),
    ...over,
    ...(expect === 'ok' ? { material: hex(material) } : {}),
  });
  const out: object[] = [];
  const byKind: Record<number, { material: Uint8Array; wrapped: Uint8Array }> = {};
  for (const kind of Object.values(WRAP_KIND)) {
    const material = be.randomBytes(MATERIAL[kind]!);
    const { wrapped, encapsulationSeed } = recordedWrap(be, kind, material, recipient.publicKey);
    byKind[kind] = { material, wrapped };
    out.push(vector(`${KIND_NAMES[kind]} (kind 0x0${kind}) opens`, 'ok', kind, material, wrapped, { encapsulationSeed: hex(encapsulationSeed) }));
  }
  out.push(replyVector(be, vector));
  const { material, wrapped } = byKind[WRAP_KIND.contentKey]!;
  const fail = (name: string, bytes: Uint8Array, over: Record<string, unknown> = {}) =>
    vector(name, 'open_failed', WRAP_KIND.contentKey, material, bytes, over);
  const relabelled = wrapped.slice();
  relabelled[1] = WRAP_KIND.identityKey;
  const version1 = wrapped.slice();
  version1[0] = 1;
  const other = wrapKeyV2(be, WRAP_KIND.contentKey, CTX, material, recipient.publicKey);
  const spliced = wrapped.slice();
  spliced.set(other.subarray(2, 2 + 1120), 2);
  const lowOrder = wrapped.slice();
  lowOrder.fill(0, 2 + 1088, 2 + 1120);
  out.push(
    fail('opened as another case', wrapped, { caseId: OTHER_CASE_ID }),
    fail('opened as another agency', wrapped, { agencyId: OTHER_AGENCY_ID }),
    vector('content key offered as an identity key', 'open_failed', WRAP_KIND.identityKey, material, wrapped),
    vector('kind byte relabelled to match the kind asked for', 'open_failed', WRAP_KIND.identityKey, material, relabelled),
    fail('version byte says 1', version1),
    fail('wrong recipient key', wrapped, { recipientSecretKey: hex(outsider.secretKey), recipientPublicKey: hex(outsider.publicKey) }),
    fail('X-Wing ciphertext from another wrap to the same recipient', spliced),
    fail('X25519 half of the X-Wing ciphertext is a low-order point', lowOrder),
    fail('ML-KEM ciphertext byte flipped', flip(wrapped, 2)),
    fail('X25519 ciphertext byte flipped', flip(wrapped, 2 + 1088)),
    fail('sealed material byte flipped', flip(wrapped, 2 + 1120)),
    fail('tag byte flipped', flip(wrapped, wrapped.length - 1)),
    fail('truncated by one byte', wrapped.slice(0, -1)),
    fail('one byte appended', Uint8Array.of(...wrapped, 0)),
    fail('a v1 wrapped key of the same material', wrapKey(be, WRAP_KIND.contentKey, CTX, material, be.x25519Base(be.randomBytes(32)))),
    fail('empty', new Uint8Array(0)),
  );
  return out;
}

type VectorFn = (name: string, expect: string, kind: number, material: Uint8Array, wrapped: Uint8Array, over?: Record<string, unknown>) => object;

/** The denouncer's content key, wrapped to the X-Wing pair the receipt derives (§16.3). */
function replyVector(be: Backend, vector: VectorFn): object {
  const receipt = generateReceipt(be);
  const reply: KeyPair = deriveReplyKeyPairV2(be, receipt);
  const material = be.randomBytes(32);
  const { wrapped, encapsulationSeed } = recordedWrap(be, WRAP_KIND.contentKey, material, reply.publicKey);
  return vector('denouncer opens the content key with the receipt', 'ok', WRAP_KIND.contentKey, material, wrapped, {
    receipt,
    recipientSecretKey: hex(reply.secretKey),
    recipientPublicKey: hex(reply.publicKey),
    encapsulationSeed: hex(encapsulationSeed),
  });
}
