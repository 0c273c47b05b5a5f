import type { Backend } from './backend.js';
import { concat, utf8, uuidBytes } from './bytes.js';
import { inputInvalid } from './errors.js';
import { LABEL } from './labels.js';
import { KEY_BYTES } from './primitives.js';
import { generateXWingKeyPair } from './wrap-v2.js';
import type { SignedKind, StaffKeys } from './types.js';

const SIGNATURE_LABEL: Record<SignedKind, string> = {
  login: LABEL.login,
  grant: LABEL.grant,
  message: LABEL.signedMessage,
  transition: LABEL.transition,
  'identity-request': LABEL.identityRequest,
  'identity-decision': LABEL.identityDecision,
  'protection-decision': LABEL.protectionDecision,
  'protection-step': LABEL.protectionStep,
  'protection-intake': LABEL.protectionIntake,
  proposal: LABEL.proposal,
  'reshare-plan': LABEL.resharePlan,
  'reshare-part': LABEL.resharePart,
  rotation: LABEL.rotation,
  rekey: LABEL.rekey,
  bundle: LABEL.bundle,
  'agency-key-transition': LABEL.agencyKeyTransition,
  'audit-anchor': LABEL.auditAnchor,
};

/** label(kind) || 0x00 || message: a signature made for one kind never verifies as another. */
function signedBytes(kind: SignedKind, message: Uint8Array): Uint8Array {
  const label = SIGNATURE_LABEL[kind];
  if (label === undefined) throw inputInvalid();
  return concat(utf8(label), Uint8Array.of(0x00), message);
}

export function signDetached(be: Backend, kind: SignedKind, message: Uint8Array, signSecretKey: Uint8Array): Uint8Array {
  if (signSecretKey.length !== 64) throw inputInvalid();
  return be.signDetached(signedBytes(kind, message), signSecretKey);
}

export function verifyDetached(
  be: Backend,
  kind: SignedKind,
  signature: Uint8Array,
  message: Uint8Array,
  signPublicKey: Uint8Array,
): boolean {
  if (SIGNATURE_LABEL[kind] === undefined) return false;
  return be.signVerifyDetached(signature, signedBytes(kind, message), signPublicKey);
}

/** A staff member's Ed25519 signing pair and X25519 encryption pair. */
export function generateStaffKeys(be: Backend): StaffKeys {
  const seed = be.randomBytes(KEY_BYTES);
  const sign = be.signSeedKeyPair(seed);
  seed.fill(0);
  const boxSecretKey = be.randomBytes(KEY_BYTES);
  return {
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: be.x25519Base(boxSecretKey),
    boxSecretKey,
  };
}

const NONCE_BYTES = 32;

/**
 * The bytes a staff member signs (kind 'login') to log in:
 * label || uint16 BE length || origin (UTF-8) || nonce(32) || staffId(16).
 * Binding the origin stops a phishing site relaying the challenge; the
 * single-use nonce stops replay.
 */
export function loginMessage(origin: string, nonce: Uint8Array, staffId: string): Uint8Array {
  const originBytes = utf8(origin);
  if (originBytes.length === 0 || originBytes.length > 0xffff || nonce.length !== NONCE_BYTES) throw inputInvalid();
  const length = Uint8Array.of(originBytes.length >> 8, originBytes.length & 0xff);
  return concat(utf8(LABEL.loginChallenge), length, originBytes, nonce, uuidBytes(staffId));
}

/** A staff member's keys with the X-Wing pair protocol v2 wraps to (§16.4). */
export function generateStaffKeysV2(be: Backend): StaffKeys {
  const keys = generateStaffKeys(be);
  const xwing = generateXWingKeyPair(be);
  return { ...keys, xwingPublicKey: xwing.publicKey, xwingSecretKey: xwing.secretKey };
}
