import { rotateKeys, rotationStatus, type RotationProgress } from '../client/staff-rotation.js';
import { encryptKeyFile, fromBase64Url, generateStaffKeys, loadBackend, staffKeyFingerprint, type StaffKeys } from '../protocol/index.js';
import type { MessageKey } from './i18n/index.js';
import type { ConsoleSession } from './session.js';

// One's own key rotation in the page (PROTOCOL.md §7.1), the same path as `tipline keys
// rotate`: the new key pair is made here, its key file (Argon2id, the format of
// src/protocol/keyfile.ts) is made and handed to the browser's downloads before anything
// is sent, and only then is the rotation signed and every held key re-sealed. The new
// secret keys are wiped once the file holds them and the re-sealing is done.

/** The CLI's rule for a new key file's passphrase (`newPassphrase`, src/cli/staff/setup.ts). */
export const MIN_PASSPHRASE = 8;

/** What is wrong with the passphrase typed twice, if anything. */
export function passphraseProblem(passphrase: string, again: string): MessageKey | null {
  if (passphrase.length < MIN_PASSPHRASE) return 'keys.rotate.short';
  if (passphrase !== again) return 'keys.rotate.mismatch';
  return null;
}

export async function fingerprintOf(k: { signPublicKey: Uint8Array; boxPublicKey: Uint8Array }): Promise<string> {
  return staffKeyFingerprint(await loadBackend(), k.signPublicKey, k.boxPublicKey);
}

/** The staged rotation with its new key's fingerprint, if any. */
export async function stagedRotation(s: ConsoleSession) {
  const r = await rotationStatus(s.client);
  return r && { ...r, fingerprint: await fingerprintOf({ signPublicKey: fromBase64Url(r.signPublicKey), boxPublicKey: fromBase64Url(r.boxPublicKey) }) };
}

export interface NewKeyFile { text: string; name: string; fingerprint: string }

/** The download's name: the day it was made, so it is not mistaken for the old file. */
export const keyFileName = (day: string) => `tipline-key-${day}.json`;

/** Makes the new key pair and its key file; the caller offers the file before `reseal`. */
export async function newKeyFile(s: ConsoleSession, passphrase: string): Promise<{ next: StaffKeys; file: NewKeyFile }> {
  const next = generateStaffKeys(await loadBackend());
  const text = await encryptKeyFile(next, passphrase, { staffId: s.staffId, agencyId: s.agencyId, label: 'staff' });
  return { next, file: { text, name: keyFileName(new Date().toISOString().slice(0, 10)), fingerprint: await fingerprintOf(next) } };
}

/** Signs the rotation with the session's keys and the new ones and re-seals every held key; wipes the new secrets after. */
export async function reseal(s: ConsoleSession, next: StaffKeys, onProgress: (p: RotationProgress) => void) {
  try {
    return await rotateKeys(s.client, s.keys, next, onProgress);
  } finally {
    next.signSecretKey.fill(0);
    next.boxSecretKey.fill(0);
  }
}
