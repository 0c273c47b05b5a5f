import sodiumNative from 'libsodium-wrappers';
import t from 'tap';
import { BACKENDS, noble, sodium } from './helpers.js';

await sodiumNative.ready;
const text = new TextEncoder().encode('sealed across backends');

t.test('a native libsodium sealed box opens with the noble backend', async (t) => {
  const pair = sodiumNative.crypto_box_keypair();
  const sealed = sodiumNative.crypto_box_seal(text, pair.publicKey);
  t.same(noble.boxSealOpen(sealed, pair.publicKey, pair.privateKey), text);
});

t.test('a noble sealed box opens with native libsodium', async (t) => {
  const pair = sodiumNative.crypto_box_keypair();
  const sealed = noble.boxSeal(text, pair.publicKey, noble.randomBytes(32));
  t.same(sodiumNative.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey), text);
});

t.test('both backends seal byte-identically given the same ephemeral key', async (t) => {
  const secret = sodium.randomBytes(32);
  const recipient = sodium.x25519Base(sodium.randomBytes(32));
  const ephemeral = sodium.randomBytes(32);
  t.same(noble.x25519Base(secret), sodium.x25519Base(secret));
  t.same(noble.boxSeal(text, recipient, ephemeral), sodium.boxSeal(text, recipient, ephemeral));
});

t.test('both backends refuse a low-order recipient key', async (t) => {
  for (const be of BACKENDS) {
    t.throws(() => be.boxSeal(text, new Uint8Array(32), be.randomBytes(32)), { code: 'input_invalid' }, be.name);
  }
});

t.test('AEAD, BLAKE2b and Ed25519 agree across backends', async (t) => {
  const key = sodium.randomBytes(32);
  const nonce = sodium.randomBytes(24);
  const ad = new TextEncoder().encode('ad');
  const sealed = sodium.aeadEncrypt(text, ad, nonce, key);
  t.same(noble.aeadEncrypt(text, ad, nonce, key), sealed);
  t.same(noble.aeadDecrypt(sealed, ad, nonce, key), text);
  t.equal(noble.aeadDecrypt(sealed, new Uint8Array(0), nonce, key), null, 'wrong AD is refused');
  t.same(noble.blake2b(32, text, key), sodium.blake2b(32, text, key));
  t.same(noble.blake2b(24, text), sodium.blake2b(24, text));
  const seed = sodium.randomBytes(32);
  const signer = sodium.signSeedKeyPair(seed);
  t.same(noble.signSeedKeyPair(seed), signer);
  const signature = noble.signDetached(text, signer.secretKey);
  t.same(signature, sodium.signDetached(text, signer.secretKey));
  t.ok(sodium.signVerifyDetached(signature, text, signer.publicKey));
  t.notOk(noble.signVerifyDetached(signature, text.subarray(1), signer.publicKey));
});

t.test('a BLAKE2b hashed in pieces equals the hash of the joined bytes, on both backends', async (t) => {
  // Pieces across the 128-byte block boundary, an empty one, and a large one.
  const bytes = sodium.randomBytes(70_000);
  const cuts = [0, 1, 128, 128, 129, 4096, 70_000];
  const whole = sodium.blake2b(32, bytes);
  for (const be of BACKENDS) {
    const hash = be.blake2bHasher(32);
    for (let i = 1; i < cuts.length; i++) hash.update(bytes.subarray(cuts[i - 1], cuts[i]));
    t.same(hash.digest(), whole, be.name);
    t.notSame(be.blake2bHasher(32).digest(), whole, `${be.name}: no bytes hash differently`);
  }
});

t.test('X-Wing: both backends derive the same key pair and agree on encapsulation and decapsulation', async (t) => {
  const seed = sodium.randomBytes(32);
  const eseed = sodium.randomBytes(64);
  const pair = sodium.xwingSeedKeyPair(seed);
  t.same(noble.xwingSeedKeyPair(seed), pair);
  const sent = noble.xwingEncapsulate(pair.publicKey, eseed);
  t.same(sodium.xwingEncapsulate(pair.publicKey, eseed), sent);
  t.same(sodium.xwingDecapsulate(sent.ciphertext, pair.secretKey), sent.sharedSecret);
  t.same(noble.xwingDecapsulate(sent.ciphertext, pair.secretKey), sent.sharedSecret);
  // Native libsodium's randomised encapsulation, opened by the pure-JavaScript backend.
  const native = sodiumNative.crypto_kem_xwing_enc(pair.publicKey);
  t.same(noble.xwingDecapsulate(native.ciphertext, pair.secretKey), native.sharedSecret);
  for (const be of BACKENDS) {
    t.equal(be.xwingDecapsulate(sent.ciphertext.subarray(1), pair.secretKey), null, `${be.name}: a short ciphertext is refused`);
    t.throws(() => be.xwingEncapsulate(pair.publicKey.subarray(1), eseed), { code: 'input_invalid' }, `${be.name}: a short key is refused`);
    t.throws(() => be.xwingEncapsulate(pair.publicKey, eseed.subarray(1)), { code: 'input_invalid' }, `${be.name}: a short seed is refused`);
  }
});
