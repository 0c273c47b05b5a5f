import { blake2b } from '@noble/hashes/blake2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hsalsa, xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { ml_kem768_x25519 as xwing } from '@noble/post-quantum/hybrid.js';
import type { Backend } from './backend.js';
import { concat } from './bytes.js';
import { inputInvalid } from './errors.js';
import { XWING } from './primitives.js';

const SEAL_OVERHEAD = 32 + 16;
// "expand 32-byte k" as four little-endian words: the Salsa20 sigma constant.
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);

function attempt<T>(run: () => T): T | null {
  try {
    return run();
  } catch {
    return null;
  }
}

function wordsLE(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = new Uint32Array(bytes.length / 4);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(i * 4, true);
  return words;
}

function bytesLE(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i]!, true);
  return out;
}

/**
 * crypto_box_beforenm: HSalsa20(X25519(sk, pk), zero nonce). Like libsodium,
 * refuses an all-zero shared secret (a low-order public key).
 */
function boxBeforeNm(publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null {
  const shared = attempt(() => x25519.getSharedSecret(secretKey, publicKey));
  if (shared === null || shared.every((b) => b === 0)) return null;
  const out = new Uint32Array(8);
  hsalsa(SIGMA, wordsLE(shared), new Uint32Array(4), out);
  return bytesLE(out);
}

function sealNonce(ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return blake2b(concat(ephemeralPublicKey, recipientPublicKey), { dkLen: 24 });
}

function boxSealOpen(sealed: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null {
  if (sealed.length < SEAL_OVERHEAD || publicKey.length !== 32 || secretKey.length !== 32) return null;
  const ephemeralPublicKey = sealed.subarray(0, 32);
  const key = boxBeforeNm(ephemeralPublicKey, secretKey);
  if (key === null) return null;
  const nonce = sealNonce(ephemeralPublicKey, publicKey);
  return attempt(() => xsalsa20poly1305(key, nonce).decrypt(sealed.subarray(32)));
}

/** getRandomValues fills at most 65536 bytes per call. */
function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

export const nobleBackend: Backend = {
  name: 'noble',
  randomBytes,
  blake2b: (outLength, message, key) =>
    key === undefined ? blake2b(message, { dkLen: outLength }) : blake2b(message, { dkLen: outLength, key }),
  blake2bHasher: (outLength) => {
    const hash = blake2b.create({ dkLen: outLength });
    return { update: (piece) => { hash.update(piece); }, digest: () => hash.digest() };
  },
  aeadEncrypt: (plaintext, ad, nonce, key) => xchacha20poly1305(key, nonce, ad).encrypt(plaintext),
  aeadDecrypt: (ciphertext, ad, nonce, key) =>
    ciphertext.length < 16 ? null : attempt(() => xchacha20poly1305(key, nonce, ad).decrypt(ciphertext)),
  x25519Base: (secretKey) => x25519.getPublicKey(secretKey),
  boxSeal(message, recipientPublicKey, ephemeralSecretKey) {
    if (recipientPublicKey.length !== 32 || ephemeralSecretKey.length !== 32) throw inputInvalid();
    const key = boxBeforeNm(recipientPublicKey, ephemeralSecretKey);
    if (key === null) throw inputInvalid();
    const ephemeralPublicKey = x25519.getPublicKey(ephemeralSecretKey);
    const nonce = sealNonce(ephemeralPublicKey, recipientPublicKey);
    return concat(ephemeralPublicKey, xsalsa20poly1305(key, nonce).encrypt(message));
  },
  boxSealOpen,
  signSeedKeyPair(seed) {
    const publicKey = ed25519.getPublicKey(seed);
    return { publicKey, secretKey: concat(seed, publicKey) };
  },
  signDetached: (message, secretKey) => ed25519.sign(message, secretKey.subarray(0, 32)),
  // zip215: false gives RFC 8032 strict verification, as libsodium does.
  signVerifyDetached: (signature, message, publicKey) =>
    signature.length === 64 &&
    publicKey.length === 32 &&
    attempt(() => ed25519.verify(signature, message, publicKey, { zip215: false })) === true,
  xwingSeedKeyPair(seed) {
    if (seed.length !== XWING.seed) throw inputInvalid();
    return xwing.keygen(seed);
  },
  xwingEncapsulate(publicKey, seed) {
    if (publicKey.length !== XWING.publicKey || seed.length !== XWING.encapsulationSeed) throw inputInvalid();
    // Like libsodium, refuses an ML-KEM key failing the modulus check and a low-order X25519 key.
    const out = attempt(() => xwing.encapsulate(publicKey, seed));
    if (out === null) throw inputInvalid();
    return { ciphertext: out.cipherText, sharedSecret: out.sharedSecret };
  },
  xwingDecapsulate: (ciphertext, secretKey) =>
    ciphertext.length !== XWING.ciphertext || secretKey.length !== XWING.secretKey
      ? null
      : attempt(() => xwing.decapsulate(ciphertext, secretKey)),
};
