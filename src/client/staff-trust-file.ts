import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalFingerprint } from '../protocol/index.js';
import { followed, parseFingerprint, parsePins, revokedPin, StaffTrustError, type AgencyPin, type Pins, type TrustStore } from './staff-trust.js';

// The staff trust store on disk: TIPLINE_HOME/agency-pins.json (mode 0600, beside the
// session state), agency id → { fingerprint, highestSerial }. Written to a fresh file
// and renamed over the old one, so an interrupted write never leaves half a store.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const pinsPath = (home: string) => join(home, 'agency-pins.json');

export async function readPins(home: string): Promise<Pins> {
  let text: string;
  try {
    text = await readFile(pinsPath(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new StaffTrustError('trust_store_unreadable', `cannot read ${pinsPath(home)}`);
  }
  return parsePins(text, pinsPath(home));
}

async function writePins(home: string, pins: Pins): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const path = pinsPath(home);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** The pin and highest serial this machine holds for an agency (for `audit verify` and the like). */
export async function pinnedAgency(home: string, agencyId: string): Promise<AgencyPin | undefined> {
  const pins = await readPins(home);
  return Object.hasOwn(pins, agencyId) ? pins[agencyId] : undefined;
}

/**
 * Pins an agency's fingerprint. A different pin already held is kept unless `replace`:
 * a changed agency key is exactly what an attack looks like, so it is confirmed out of band.
 * `revoke`: agency keys (fingerprints) to refuse from now on — the leaked key a re-pin
 * replaces (PROTOCOL.md §9.2); a revoked key is never pinned again.
 */
export async function pinAgency(
  home: string, agencyId: string, fingerprint: string, opts: { replace?: boolean; revoke?: readonly string[] } = {},
): Promise<AgencyPin> {
  if (!UUID.test(agencyId)) throw new StaffTrustError('fingerprint_invalid', `"${agencyId}" is not an agency id (a lower-case UUID)`);
  const wanted = parseFingerprint(fingerprint);
  const pins = await readPins(home);
  const held = Object.hasOwn(pins, agencyId) ? pins[agencyId] : undefined;
  const revoked = [...new Set([...(held?.revoked ?? []), ...(opts.revoke ?? []).map(parseFingerprint)])];
  if (revoked.some((r) => canonicalFingerprint(r) === canonicalFingerprint(wanted))) throw revokedPin(wanted);
  const same = held && canonicalFingerprint(held.fingerprint) === canonicalFingerprint(wanted);
  if (same && revoked.length === (held.revoked ?? []).length) return held;
  if (held && !same && !opts.replace) {
    throw new StaffTrustError('pin_conflict', `agency ${agencyId} is already pinned to ${held.fingerprint}; check the new fingerprint with the agency, then pin with --replace`);
  }
  // A replaced key starts a new history of serials, but never below the one already seen.
  pins[agencyId] = { fingerprint: wanted, highestSerial: held?.highestSerial ?? 0, ...(revoked.length > 0 ? { revoked } : {}) };
  await writePins(home, pins);
  return pins[agencyId]!;
}

export async function unpinAgency(home: string, agencyId: string): Promise<boolean> {
  const pins = await readPins(home);
  if (!Object.hasOwn(pins, agencyId)) return false;
  delete pins[agencyId];
  await writePins(home, pins);
  return true;
}

export function fileTrustStore(home: string): TrustStore {
  return {
    pinned: (agencyId) => pinnedAgency(home, agencyId),
    async sawSerial(agencyId, serial) {
      const pins = await readPins(home);
      const pin = Object.hasOwn(pins, agencyId) ? pins[agencyId] : undefined;
      if (!pin || serial <= pin.highestSerial) return;
      pins[agencyId] = { ...pin, highestSerial: serial };
      await writePins(home, pins);
    },
    async followKey(agencyId, fingerprint) {
      const pins = await readPins(home);
      const pin = Object.hasOwn(pins, agencyId) ? pins[agencyId] : undefined;
      if (!pin || canonicalFingerprint(pin.fingerprint) === canonicalFingerprint(fingerprint)) return;
      pins[agencyId] = followed(pin, fingerprint);
      await writePins(home, pins);
    },
  };
}
