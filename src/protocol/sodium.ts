import sodium from 'libsodium-wrappers';
import type { Backend } from './backend.js';
import { concat } from './bytes.js';
import { inputInvalid } from './errors.js';
import { XWING } from './primitives.js';

const SEAL_OVERHEAD = 32 + 16;

function attempt<T>(run: () => T): T | null {
  try {
    return run();
  } catch {
    return null;
  }
}

function makeSodiumBackend(): Backend {
  return {
    name: 'sodium',
    randomBytes: (length) => sodium.randombytes_buf(length),
    blake2b: (outLength, message, key) => sodium.crypto_generichash(outLength, message, key ?? null),
    blake2bHasher: (outLength) => {
      // The state lives in libsodium's heap; final() frees it.
      const state = sodium.crypto_generichash_init(null, outLength);
      return {
        update: (piece) => sodium.crypto_generichash_update(state, piece),
        digest: () => sodium.crypto_generichash_final(state, outLength),
      };
    },
    aeadEncrypt: (plaintext, ad, nonce, key) =>
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key),
    aeadDecrypt: (ciphertext, ad, nonce, key) =>
      ciphertext.length < 16
        ? null
        : attempt(() => sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key)),
    x25519Base: (secretKey) => sodium.crypto_scalarmult_base(secretKey),
    boxSeal(message, recipientPublicKey, ephemeralSecretKey) {
      const ephemeralPublicKey = sodium.crypto_scalarmult_base(ephemeralSecretKey);
      const nonce = sodium.crypto_generichash(24, concat(ephemeralPublicKey, recipientPublicKey), null);
      // crypto_box_easy refuses low-order recipient keys; that is bad input, not a failed open.
      const boxed = attempt(() => sodium.crypto_box_easy(message, nonce, recipientPublicKey, ephemeralSecretKey));
      if (boxed === null) throw inputInvalid();
      return concat(ephemeralPublicKey, boxed);
    },
    boxSealOpen: (sealed, publicKey, secretKey) =>
      sealed.length < SEAL_OVERHEAD ? null : attempt(() => sodium.crypto_box_seal_open(sealed, publicKey, secretKey)),
    signSeedKeyPair(seed) {
      const pair = sodium.crypto_sign_seed_keypair(seed);
      return { publicKey: pair.publicKey, secretKey: pair.privateKey };
    },
    signDetached: (message, secretKey) => sodium.crypto_sign_detached(message, secretKey),
    signVerifyDetached: (signature, message, publicKey) =>
      signature.length === 64 &&
      publicKey.length === 32 &&
      attempt(() => sodium.crypto_sign_verify_detached(signature, message, publicKey)) === true,
    xwingSeedKeyPair(seed) {
      if (seed.length !== XWING.seed) throw inputInvalid();
      const pair = sodium.crypto_kem_xwing_seed_keypair(seed);
      return { publicKey: pair.publicKey, secretKey: pair.privateKey };
    },
    xwingEncapsulate(publicKey, seed) {
      if (publicKey.length !== XWING.publicKey || seed.length !== XWING.encapsulationSeed) throw inputInvalid();
      const out = attempt(() => sodium.crypto_kem_xwing_enc_deterministic(publicKey, seed));
      if (out === null) throw inputInvalid();
      return out;
    },
    xwingDecapsulate: (ciphertext, secretKey) =>
      ciphertext.length !== XWING.ciphertext || secretKey.length !== XWING.secretKey
        ? null
        : attempt(() => sodium.crypto_kem_xwing_dec(ciphertext, secretKey)),
  };
}

let backend: Backend | undefined;

/** libsodium needs its WebAssembly (or asm.js) module initialised before first use. */
export async function loadSodiumBackend(): Promise<Backend> {
  await sodium.ready;
  backend ??= makeSodiumBackend();
  return backend;
}
