import { ApiClientError, HttpClient } from '../client/http.js';
import { login, StaffClient } from '../client/staff.js';
import { shortStaffId, type SignedName } from '../client/staff-names.js';
import { MemoryTrustStore, parseFingerprint, parsePins } from '../client/staff-trust.js';
import { decryptKeyFile, type StaffKeys } from '../protocol/index.js';
import { t } from './i18n/index.js';

// The signed-in staff member, held in this tab's memory only: the unlocked keys, the
// session token and the agency pin. Nothing is written to localStorage, IndexedDB,
// cookies or caches (docs/CONSOLE.md); ending the session wipes the secret keys.

/** Idle time after which the console locks itself and forgets the keys. */
export const IDLE_MINUTES = 15;

export interface ConsoleSession {
  client: StaffClient;
  keys: StaffKeys;
  staffId: string;
  agencyId: string;
  /**
   * Colleagues by id, named only by the agency's verified bundles: the name beside a
   * signature is the agency's word, not the server's (GET /v1/staff/colleagues is not read).
   */
  people: Map<string, SignedName>;
}

/** Why a sign-in failed, as a catalogue key and the server's code when it has one. */
export class SignInError extends Error {
  constructor(readonly key: 'noKeyFile' | 'unlock' | 'notEnrolled' | 'noPin' | 'badPin' | 'login', readonly code = '') {
    super(key);
  }
}

export interface SignInInput {
  keyFile: string;
  passphrase: string;
  /** The fingerprint as typed from the invitation; empty when a pin file is given. */
  fingerprint: string;
  /** The text of agency-pins.json, when the staff member chose one. */
  pinFile?: string;
}

/**
 * The origin a login is signed for: the one `tipline console` was started with (written
 * into the page on this machine), else the page's own, which the browser vouches for.
 * Never an origin the server names (PROTOCOL.md §8.2).
 */
export function configuredOrigin(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="tipline-origin"]');
  return meta?.content ? new URL(meta.content).origin : location.origin;
}

function trustFor(agencyId: string, input: SignInInput): MemoryTrustStore {
  const trust = new MemoryTrustStore();
  if (input.pinFile !== undefined) {
    let pins;
    try { pins = parsePins(input.pinFile, 'the pin file'); } catch { throw new SignInError('noPin'); }
    const pin = Object.hasOwn(pins, agencyId) ? pins[agencyId] : undefined;
    if (!pin) throw new SignInError('noPin');
    // Revoked agency keys (a re-pin after a leak, PROTOCOL.md §9.2) stay refused in the console too.
    try { trust.pin(agencyId, pin.fingerprint, pin.highestSerial, pin.revoked ?? []); } catch { throw new SignInError('badPin'); }
    return trust;
  }
  if (!input.fingerprint.trim()) throw new SignInError('noPin');
  try { parseFingerprint(input.fingerprint); } catch { throw new SignInError('badPin'); }
  trust.pin(agencyId, input.fingerprint);
  return trust;
}

export async function signIn(input: SignInInput): Promise<ConsoleSession> {
  let unlocked;
  try { unlocked = await decryptKeyFile(input.keyFile, input.passphrase); } catch { throw new SignInError('unlock'); }
  const { keys, meta } = unlocked;
  try {
    if (!meta.staffId || !meta.agencyId) throw new SignInError('notEnrolled');
    const trust = trustFor(meta.agencyId, input);
    // API calls go to this page's origin: the server itself, or `tipline console`'s relay.
    const http = new HttpClient({ baseUrl: location.origin });
    const session = await login(http, meta.staffId, keys, configuredOrigin()).catch((err: unknown) => {
      throw new SignInError('login', err instanceof ApiClientError ? err.code : 'network');
    });
    const client = new StaffClient(http, session, trust);
    // A bundle that does not verify names no one: everyone is then shown by id, unverified.
    const people = await client.staffNames().catch(() => new Map<string, SignedName>());
    return { client, keys, staffId: meta.staffId, agencyId: meta.agencyId, people };
  } catch (err) {
    wipe(keys);
    throw err;
  }
}

function wipe(keys: StaffKeys): void {
  keys.signSecretKey.fill(0);
  keys.boxSecretKey.fill(0);
}

/** Ends the session on the server (best effort) and wipes the keys from memory. */
export async function signOut(s: ConsoleSession): Promise<void> {
  wipe(s.keys);
  await s.client.logout().catch(() => undefined);
}

/** The name the agency signed for `staffId`, else its first 8 characters marked unverified. */
export function personName(s: ConsoleSession, staffId: string | null): string {
  if (staffId === null) return '';
  return s.people.get(staffId)?.displayName ?? t('names.unverified', { name: t('people.unknown', { id: shortStaffId(staffId) }) });
}
