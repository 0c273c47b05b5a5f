import type { KeyPair } from './types.js';

export type BackendName = 'sodium' | 'noble';

/** A running BLAKE2b: update() any number of times, then digest() once. */
export interface Blake2bHasher {
  update(piece: Uint8Array): void;
  digest(): Uint8Array;
}

/**
 * The primitives the protocol needs, all libsodium-compatible. Every format in
 * this directory is written once over this interface, so the libsodium and the
 * pure-JavaScript backends share every format line and differ only here.
 * Functions returning `null` signal an authentication failure; callers turn
 * that into the single `open_failed` code.
 */
export interface Backend {
  readonly name: BackendName;
  randomBytes(length: number): Uint8Array;
  /** crypto_generichash: BLAKE2b, output 16..64 bytes, optional key 16..64 bytes. */
  blake2b(outLength: number, message: Uint8Array, key?: Uint8Array): Uint8Array;
  /**
   * crypto_generichash_init/update/final: unkeyed BLAKE2b over bytes given in pieces, for
   * a file hashed as it streams. Equal to blake2b(outLength, all pieces joined).
   */
  blake2bHasher(outLength: number): Blake2bHasher;
  /** crypto_aead_xchacha20poly1305_ietf_encrypt: returns ciphertext || 16-byte tag. */
  aeadEncrypt(plaintext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  aeadDecrypt(ciphertext: Uint8Array, ad: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null;
  /** crypto_scalarmult_base: X25519 public key of a 32-byte secret scalar. */
  x25519Base(secretKey: Uint8Array): Uint8Array;
  /**
   * crypto_box_seal with the ephemeral secret chosen by the caller (drawn from
   * randomBytes), so that sealing is reproducible when randomness is injected.
   * Output: ephemeral public key (32) || crypto_box_easy(message).
   */
  boxSeal(message: Uint8Array, recipientPublicKey: Uint8Array, ephemeralSecretKey: Uint8Array): Uint8Array;
  /** crypto_box_seal_open. */
  boxSealOpen(sealed: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array | null;
  /** crypto_sign_seed_keypair: secret key is seed (32) || public key (32). */
  signSeedKeyPair(seed: Uint8Array): KeyPair;
  signDetached(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  signVerifyDetached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /**
   * crypto_kem_xwing_seed_keypair: the X-Wing KEM (draft-connolly-cfrg-xwing-kem)
   * key pair of a 32-byte seed. The secret key is the seed itself; the public key
   * is ML-KEM-768's (1184) || X25519's (32), 1216 bytes.
   */
  xwingSeedKeyPair(seed: Uint8Array): KeyPair;
  /**
   * crypto_kem_xwing_enc_deterministic with the 64-byte encapsulation seed chosen
   * by the caller (drawn from randomBytes), as boxSeal takes its ephemeral secret.
   * A public key either half of which is refused (ML-KEM modulus check, X25519
   * low-order point) is bad input: input_invalid.
   */
  xwingEncapsulate(publicKey: Uint8Array, seed: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
  /** crypto_kem_xwing_dec; null for a refused ciphertext (wrong length, low-order X25519 half). */
  xwingDecapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array | null;
}

/**
 * Loads a backend. The default is libsodium when WebAssembly exists, else the
 * pure-JavaScript one (Tor Browser "Safer" disables WebAssembly). Each backend
 * is imported only when chosen, so a bundle does not initialise both.
 */
export async function loadBackend(name?: BackendName): Promise<Backend> {
  const chosen = name ?? (typeof WebAssembly === 'object' ? 'sodium' : 'noble');
  if (chosen === 'sodium') {
    const { loadSodiumBackend } = await import('./sodium.js');
    return loadSodiumBackend();
  }
  const { nobleBackend } = await import('./noble.js');
  return nobleBackend;
}
