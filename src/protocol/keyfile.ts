import { concat, fromBase64Url, toBase64Url, utf8 } from './bytes.js';
import { TiplineCryptoError, inputInvalid, openFailed } from './errors.js';
import { LABEL, LABEL_V2 } from './labels.js';
import { XWING } from './primitives.js';
import type { KeyFileMeta, StaffKeys } from './types.js';

/** libsodium crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE. */
export const KEYFILE_LIMITS_INTERACTIVE = { opslimit: 2, memlimit: 67108864 } as const;
/** Lower limits are for tests only; `randomBytes` is injected only to make test vectors reproducible. */
export interface KeyFileOptions {
  opslimit?: number;
  memlimit?: number;
  randomBytes?: (length: number) => Uint8Array;
}

const SALT_BYTES = 16;
const NONCE_BYTES = 24;
const SECRET_BYTES = 64 + 32;
/** Version 2 (§16.4) adds the X-Wing secret seed to the secrets and its public key to the file. */
const SECRET_BYTES_V2 = SECRET_BYTES + XWING.secretKey;
const MAX_OPSLIMIT = 16;
const MAX_MEMLIMIT = 1024 * 1024 * 1024;

/**
 * Argon2id lives only in the sumo build; it is imported here, on demand, so a
 * browser bundle of the denouncer side never loads it.
 */
async function loadSumo() {
  const { default: sodium } = await import('libsodium-wrappers-sumo');
  await sodium.ready;
  return sodium;
}

function lengthPrefixed(text: string | undefined): Uint8Array {
  const bytes = utf8(text ?? '');
  if (bytes.length > 0xffff) throw inputInvalid();
  return concat(Uint8Array.of(bytes.length >> 8, bytes.length & 0xff), bytes);
}

/**
 * AD = label || 0x00 || signPublicKey || boxPublicKey [|| xwingPublicKey, version 2]
 *      || staffId, agencyId, label (each uint16 BE length || UTF-8).
 * Each version has its own label, so a file cannot be read as the other.
 */
function keyFileAd(signPublicKey: Uint8Array, boxPublicKey: Uint8Array, xwingPublicKey: Uint8Array | undefined, meta: KeyFileMeta): Uint8Array {
  return concat(
    utf8(xwingPublicKey === undefined ? LABEL.keyfile : LABEL_V2.keyfile),
    Uint8Array.of(0x00),
    signPublicKey,
    boxPublicKey,
    xwingPublicKey ?? new Uint8Array(0),
    lengthPrefixed(meta.staffId),
    lengthPrefixed(meta.agencyId),
    lengthPrefixed(meta.label),
  );
}

function cleanMeta(meta: KeyFileMeta): KeyFileMeta {
  const out: KeyFileMeta = {};
  if (meta.staffId !== undefined) out.staffId = meta.staffId;
  if (meta.agencyId !== undefined) out.agencyId = meta.agencyId;
  if (meta.label !== undefined) out.label = meta.label;
  return out;
}

function withoutUndefined(options: KeyFileOptions): { opslimit?: number; memlimit?: number } {
  const out: { opslimit?: number; memlimit?: number } = {};
  if (options.opslimit !== undefined) out.opslimit = options.opslimit;
  if (options.memlimit !== undefined) out.memlimit = options.memlimit;
  return out;
}

function passphraseBytes(passphrase: string): Uint8Array {
  // NFC so the same passphrase typed on two keyboards derives the same key.
  return utf8(passphrase.normalize('NFC'));
}

export async function encryptKeyFile(
  keys: StaffKeys,
  passphrase: string,
  meta: KeyFileMeta,
  options: KeyFileOptions = {},
): Promise<string> {
  if (keys.signSecretKey.length !== 64 || keys.boxSecretKey.length !== 32) throw inputInvalid();
  if (keys.signPublicKey.length !== 32 || keys.boxPublicKey.length !== 32) throw inputInvalid();
  const xwing = keys.xwingPublicKey;
  if ((xwing === undefined) !== (keys.xwingSecretKey === undefined)) throw inputInvalid();
  if (xwing !== undefined && (xwing.length !== XWING.publicKey || keys.xwingSecretKey!.length !== XWING.secretKey)) throw inputInvalid();
  const sodium = await loadSumo();
  const limits = { ...KEYFILE_LIMITS_INTERACTIVE, ...withoutUndefined(options) };
  const random = options.randomBytes ?? ((length: number) => sodium.randombytes_buf(length));
  const salt = random(SALT_BYTES);
  const nonce = random(NONCE_BYTES);
  const alg = sodium.crypto_pwhash_ALG_ARGON2ID13;
  const key = sodium.crypto_pwhash(32, passphraseBytes(passphrase), salt, limits.opslimit, limits.memlimit, alg);
  const secrets = concat(keys.signSecretKey, keys.boxSecretKey, keys.xwingSecretKey ?? new Uint8Array(0));
  const kept = cleanMeta(meta);
  const ad = keyFileAd(keys.signPublicKey, keys.boxPublicKey, xwing, kept);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secrets, ad, null, nonce, key);
  key.fill(0);
  secrets.fill(0);
  const file = {
    format: 'tipline-keyfile',
    version: xwing === undefined ? 1 : 2,
    kdf: { alg: 'argon2id13', opslimit: limits.opslimit, memlimit: limits.memlimit, salt: toBase64Url(salt) },
    nonce: toBase64Url(nonce),
    ciphertext: toBase64Url(ciphertext),
    signPublicKey: toBase64Url(keys.signPublicKey),
    boxPublicKey: toBase64Url(keys.boxPublicKey),
    ...(xwing === undefined ? {} : { xwingPublicKey: toBase64Url(xwing) }),
    meta: kept,
  };
  return JSON.stringify(file, null, 2);
}

interface ParsedKeyFile {
  opslimit: number;
  memlimit: number;
  salt: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  signPublicKey: Uint8Array;
  boxPublicKey: Uint8Array;
  xwingPublicKey?: Uint8Array;
  meta: KeyFileMeta;
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw openFailed();
  return value;
}

/** Limits are capped so a crafted file cannot make the reader spend unbounded memory or time. */
function parseKeyFile(text: string): ParsedKeyFile {
  const f = JSON.parse(text) as Record<string, any>;
  if (f.format !== 'tipline-keyfile' || (f.version !== 1 && f.version !== 2) || f.kdf?.alg !== 'argon2id13') throw openFailed();
  // Version 1 has no X-Wing key, version 2 always one.
  if ((f.version === 2) !== (f.xwingPublicKey !== undefined)) throw openFailed();
  const { opslimit, memlimit } = f.kdf as { opslimit: unknown; memlimit: unknown };
  if (!Number.isSafeInteger(opslimit) || (opslimit as number) < 1 || (opslimit as number) > MAX_OPSLIMIT) throw openFailed();
  if (!Number.isSafeInteger(memlimit) || (memlimit as number) < 8192 || (memlimit as number) > MAX_MEMLIMIT) throw openFailed();
  const meta = (f.meta ?? {}) as Record<string, unknown>;
  const parsed: ParsedKeyFile = {
    opslimit: opslimit as number,
    memlimit: memlimit as number,
    salt: fromBase64Url(f.kdf.salt),
    nonce: fromBase64Url(f.nonce),
    ciphertext: fromBase64Url(f.ciphertext),
    signPublicKey: fromBase64Url(f.signPublicKey),
    boxPublicKey: fromBase64Url(f.boxPublicKey),
    ...(f.version === 2 ? { xwingPublicKey: fromBase64Url(f.xwingPublicKey) } : {}),
    meta: cleanMeta({
      staffId: optionalString(meta.staffId),
      agencyId: optionalString(meta.agencyId),
      label: optionalString(meta.label),
    }),
  };
  if (parsed.salt.length !== SALT_BYTES || parsed.nonce.length !== NONCE_BYTES) throw openFailed();
  const xwing = parsed.xwingPublicKey;
  if (parsed.ciphertext.length !== (xwing === undefined ? SECRET_BYTES : SECRET_BYTES_V2) + 16) throw openFailed();
  if (parsed.signPublicKey.length !== 32 || parsed.boxPublicKey.length !== 32) throw openFailed();
  if (xwing !== undefined && xwing.length !== XWING.publicKey) throw openFailed();
  return parsed;
}

/** Opens a key file; a wrong passphrase and a damaged file are the same open_failed. */
export async function decryptKeyFile(text: string, passphrase: string): Promise<{ keys: StaffKeys; meta: KeyFileMeta }> {
  let file: ParsedKeyFile;
  try {
    file = parseKeyFile(text);
  } catch {
    throw openFailed();
  }
  const sodium = await loadSumo();
  const alg = sodium.crypto_pwhash_ALG_ARGON2ID13;
  const key = sodium.crypto_pwhash(32, passphraseBytes(passphrase), file.salt, file.opslimit, file.memlimit, alg);
  const ad = keyFileAd(file.signPublicKey, file.boxPublicKey, file.xwingPublicKey, file.meta);
  let secrets: Uint8Array;
  try {
    secrets = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, file.ciphertext, ad, file.nonce, key);
  } catch {
    throw openFailed();
  } finally {
    key.fill(0);
  }
  const keys: StaffKeys = {
    signPublicKey: file.signPublicKey,
    signSecretKey: secrets.slice(0, 64),
    boxPublicKey: file.boxPublicKey,
    boxSecretKey: secrets.slice(64, SECRET_BYTES),
  };
  if (file.xwingPublicKey !== undefined) {
    keys.xwingPublicKey = file.xwingPublicKey;
    keys.xwingSecretKey = secrets.slice(SECRET_BYTES);
  }
  // The secrets must belong to the public keys the file shows.
  const seedPair = sodium.crypto_sign_seed_keypair(keys.signSecretKey.subarray(0, 32));
  const signOk = sodium.memcmp(seedPair.privateKey, keys.signSecretKey);
  const boxOk = sodium.memcmp(sodium.crypto_scalarmult_base(keys.boxSecretKey), keys.boxPublicKey);
  const xwingOk =
    keys.xwingSecretKey === undefined ||
    sodium.memcmp(sodium.crypto_kem_xwing_seed_keypair(keys.xwingSecretKey).publicKey, keys.xwingPublicKey!);
  if (!signOk || !boxOk || !xwingOk) throw new TiplineCryptoError('open_failed');
  return { keys, meta: file.meta };
}
