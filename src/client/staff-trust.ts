import {
  agencyKeyChain, canonicalFingerprint, fromBase64Url, loadBackend, TiplineCryptoError, transitionsFromJson,
  verifyBundleUnderChain, verifyPinnedBundle, type AgencyKeyEpoch, type AgencyKeyTransitionJson, type Backend, type BundleContent, type BundleStaff, type StaffRole,
} from '../protocol/index.js';

// What a staff client trusts, and the only door through which a key from the server
// gets in: the agency signing-key fingerprint pinned at enrolment (from the invitation,
// never from the server) and the highest bundle serial seen, per agency id. A bundle is
// used only once it verifies against the pin, is not older than one already seen and is
// valid today; the serial it carries is then remembered. A bundle signed by a later key
// is used only through the chain of key-transition statements from the pinned key
// (PROTOCOL.md §9.2), and the key followed is then remembered as the pin; a key revoked
// by a re-pin is never followed nor used.

export interface AgencyPin {
  fingerprint: string;
  highestSerial: number;
  /** Agency keys revoked by an out-of-band re-pin (a leaked key): refused everywhere. */
  revoked?: string[];
}
/** The trust store's file format (agency-pins.json): agency id → pin. */
export type Pins = Record<string, AgencyPin>;

export interface TrustStore {
  pinned(agencyId: string): Promise<AgencyPin | undefined>;
  /** Remembers a serial seen in a verified bundle; never lowers the one remembered. */
  sawSerial(agencyId: string, serial: number): Promise<void>;
  /** Moves the pin to the key a verified chain of transitions led to (never to a revoked one). */
  followKey(agencyId: string, fingerprint: string): Promise<void>;
}

export type StaffTrustErrorCode =
  | 'agency_unpinned' | 'pin_conflict' | 'fingerprint_invalid' | 'trust_store_unreadable'
  | 'bundle_missing' | 'bundle_invalid' | 'bundle_rollback' | 'bundle_expired'
  | 'not_in_bundle' | 'signature_invalid' | 'cancelled'
  | 'history_refused' | 'history_unverified' | 'keys_unconfirmed' | 'name_invalid'
  | 'jurisdiction_unsigned' | 'jurisdiction_changed' | 'recovery_disabled' | 'key_revoked' | 'rotation_unsigned';

/** A refusal by this client (not the server): something it was handed does not check out. */
export class StaffTrustError extends Error {
  constructor(readonly code: StaffTrustErrorCode, message: string) {
    super(message);
    this.name = 'StaffTrustError';
  }
}

/** Pins held in memory: for tests and for callers that keep pins elsewhere. */
export class MemoryTrustStore implements TrustStore {
  private readonly pins = new Map<string, AgencyPin>();
  constructor(pins: Record<string, string> = {}) {
    for (const [agencyId, fingerprint] of Object.entries(pins)) this.pin(agencyId, fingerprint);
  }
  /** `highestSerial`: the floor a pin file remembered (agency-pins.json), 0 for a fresh pin. */
  pin(agencyId: string, fingerprint: string, highestSerial = 0, revoked: readonly string[] = []): void {
    const fp = parseFingerprint(fingerprint);
    if (revoked.some((r) => canonicalFingerprint(r) === canonicalFingerprint(fp))) throw revokedPin(fp);
    this.pins.set(agencyId, { fingerprint: fp, highestSerial, ...(revoked.length > 0 ? { revoked: revoked.map(parseFingerprint) } : {}) });
  }
  async pinned(agencyId: string): Promise<AgencyPin | undefined> {
    const pin = this.pins.get(agencyId);
    return pin && { ...pin };
  }
  async sawSerial(agencyId: string, serial: number): Promise<void> {
    const pin = this.pins.get(agencyId);
    if (pin && serial > pin.highestSerial) pin.highestSerial = serial;
  }
  async followKey(agencyId: string, fingerprint: string): Promise<void> {
    const pin = this.pins.get(agencyId);
    if (pin) this.pins.set(agencyId, followed(pin, fingerprint));
  }
}

/** The pin moved to a key its chain led to; a revoked one is refused. */
export function followed(pin: AgencyPin, fingerprint: string): AgencyPin {
  const fp = parseFingerprint(fingerprint);
  if ((pin.revoked ?? []).some((r) => canonicalFingerprint(r) === canonicalFingerprint(fp))) throw revokedPin(fp);
  return { ...pin, fingerprint: fp };
}

export function revokedPin(fingerprint: string): StaffTrustError {
  return new StaffTrustError('key_revoked', `the agency key ${fingerprint} is revoked on this machine: it is never pinned, followed or used again`);
}

function isPin(v: unknown): v is AgencyPin {
  const p = v as AgencyPin;
  return typeof p === 'object' && p !== null && typeof p.fingerprint === 'string' && Number.isSafeInteger(p.highestSerial) && p.highestSerial >= 0 &&
    (p.revoked === undefined || (Array.isArray(p.revoked) && p.revoked.every((r) => typeof r === 'string')));
}

/**
 * Reads agency-pins.json, wherever it came from: the CLI's TIPLINE_HOME, or a file the
 * staff member picks in the console. A damaged store is not an empty one: fail closed
 * rather than forget the pins.
 */
export function parsePins(text: string, source: string): Pins {
  let parsed: unknown;
  try { parsed = JSON.parse(text); } catch { parsed = undefined; }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every(isPin)) {
    throw new StaffTrustError('trust_store_unreadable', `${source} is damaged; restore it, or re-pin each agency from its invitation`);
  }
  return parsed as Pins;
}

// 20 bytes of BLAKE2b in Crockford base32 (PROTOCOL.md §9).
const FINGERPRINT = /^[0-9A-HJKMNP-TV-Z]{32}$/;

/** A fingerprint as agencies print it (eight groups of four), or a refusal. */
export function parseFingerprint(text: string): string {
  const canonical = canonicalFingerprint(text);
  if (!FINGERPRINT.test(canonical)) {
    throw new StaffTrustError('fingerprint_invalid', 'a fingerprint is 32 symbols of Crockford base32 (0-9, A-Z without I, L, O, U), spaces allowed');
  }
  return canonical.match(/.{4}/g)!.join(' ');
}

export function unpinned(agencyId: string): StaffTrustError {
  return new StaffTrustError('agency_unpinned',
    `agency ${agencyId} is not pinned on this machine, so no key from the server is used for it; ` +
    'get its fingerprint from the agency itself (your invitation, or its admin) and run `tipline agency pin <agencyId> <fingerprint>`');
}

/** The bundle as the server answers it (GET /v1/staff/agencies/:id/bundle). */
export interface ServedBundle {
  agencyId: string; signingPublicKey: string; payload: string | null; signature: string | null;
  keyTransitions?: AgencyKeyTransitionJson[];
}

/** The agency keys this machine trusts, from its pin through the served statements (§9.2). */
export function trustedKeys(be: Backend, served: { signingPublicKey: string; keyTransitions?: AgencyKeyTransitionJson[] }, agencyId: string, pin: AgencyPin): AgencyKeyEpoch[] {
  try {
    return agencyKeyChain(be, {
      agencyId, pinnedFingerprint: pin.fingerprint, revokedFingerprints: pin.revoked ?? [],
      offeredKeys: [fromBase64Url(served.signingPublicKey)], transitions: transitionsFromJson(agencyId, served.keyTransitions ?? []),
    });
  } catch {
    throw new StaffTrustError('bundle_invalid', `the server's signing key for agency ${agencyId} is not the pinned key ${pin.fingerprint}, nor one it handed over to: refused, nothing was sealed or released`);
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * PROTOCOL.md §9 in order — fingerprint (through the key chain), signature, content, serial,
 * validity — plus the agency id the bundle names. Pure: the caller remembers the serial
 * and the key (`signer`, its fingerprint) afterwards.
 */
export async function checkBundleSigned(served: ServedBundle, agencyId: string, pin: AgencyPin, on = today()): Promise<{ content: BundleContent; signer: string }> {
  const checked = await checkSignedBundleBy(served, agencyId, pin);
  const { content } = checked;
  if (on < content.issuedOn || on > content.expiresOn) {
    throw new StaffTrustError('bundle_expired', `the key bundle of agency ${agencyId} is valid ${content.issuedOn}..${content.expiresOn}, not today (${on}); its admin must publish a new one`);
  }
  return checked;
}

export async function checkBundle(served: ServedBundle, agencyId: string, pin: AgencyPin, on = today()): Promise<BundleContent> {
  return (await checkBundleSigned(served, agencyId, pin, on)).content;
}

/**
 * Checks (1)–(4) and the agency id, not the validity window: what an admin builds the
 * next bundle on, which must work after the current one has expired.
 */
export async function checkSignedBundle(served: ServedBundle, agencyId: string, pin: AgencyPin): Promise<BundleContent> {
  return (await checkSignedBundleBy(served, agencyId, pin)).content;
}

async function checkSignedBundleBy(served: ServedBundle, agencyId: string, pin: AgencyPin): Promise<{ content: BundleContent; signer: string }> {
  if (!served.payload || !served.signature) throw new StaffTrustError('bundle_missing', `agency ${agencyId} has published no key bundle`);
  const be = await loadBackend();
  let checked: { content: BundleContent; signer: string };
  try {
    checked = verifyPinnedBundle(be, { payload: fromBase64Url(served.payload), signature: fromBase64Url(served.signature) }, {
      agencyId, pinnedFingerprint: pin.fingerprint, revokedFingerprints: pin.revoked ?? [], offeredKey: fromBase64Url(served.signingPublicKey),
      transitions: transitionsFromJson(agencyId, served.keyTransitions ?? []), minSerial: pin.highestSerial,
    });
  } catch (err) {
    if (err instanceof TiplineCryptoError && err.code === 'bundle_rollback') {
      throw new StaffTrustError('bundle_rollback', `the server offered bundle serial older than ${pin.highestSerial}, the newest this machine has seen for agency ${agencyId}: refused (a rollback)`);
    }
    throw new StaffTrustError('bundle_invalid', `the key bundle of agency ${agencyId} is not signed by the pinned key ${pin.fingerprint}, nor by a key it handed over to for that serial: refused, nothing was sealed or released`);
  }
  if (checked.content.agencyId !== agencyId) throw new StaffTrustError('bundle_invalid', `the server answered for agency ${agencyId} with the bundle of ${checked.content.agencyId}: refused`);
  return checked;
}

/** A member of a verified bundle holding one of `roles`, or a refusal naming who and why. */
export function memberWithRole(bundle: BundleContent, staffId: string, roles: readonly StaffRole[], what: string): BundleStaff {
  const member = bundle.staff.find((s) => s.staffId === staffId);
  if (!member || !roles.some((r) => member.roles.includes(r))) {
    throw new StaffTrustError('not_in_bundle', `${what} ${staffId} does not hold the role ${roles.join(' or ')} in the agency's signed key bundle (serial ${bundle.serial})`);
  }
  return member;
}

/** The agency's published bundles as the server answers them (GET /v1/staff/agencies/:id/bundles). */
export interface ServedBundleHistory { signingPublicKey: string; keyTransitions?: AgencyKeyTransitionJson[]; bundles: { serial: number; payload: string; signature: string }[] }

/**
 * The bundles before `current`, oldest first, each verified against the pin like the
 * current one (fingerprint, signature, content, agency) but not for today: they are
 * what says whose key signed a case's older events. Any bundle that does not verify
 * fails the whole history closed, as does a serial missing between two of them.
 */
export async function checkBundleHistory(served: ServedBundleHistory, agencyId: string, pin: AgencyPin, current: BundleContent): Promise<BundleContent[]> {
  const be = await loadBackend();
  const epochs = trustedKeys(be, served, agencyId, pin);
  const earlier = served.bundles.filter((b) => b.serial < current.serial).sort((a, b) => a.serial - b.serial).map((b) => {
    let content: BundleContent;
    try {
      content = verifyBundleUnderChain(be, { payload: fromBase64Url(b.payload), signature: fromBase64Url(b.signature) }, epochs);
    } catch {
      throw new StaffTrustError('bundle_invalid', `bundle ${b.serial} of agency ${agencyId} is not signed by the pinned key ${pin.fingerprint}: refused`);
    }
    if (content.agencyId !== agencyId || content.serial !== b.serial) throw new StaffTrustError('bundle_invalid', `bundle ${b.serial} of agency ${agencyId} names another agency or serial: refused`);
    return content;
  });
  return [...earlier, current];
}
