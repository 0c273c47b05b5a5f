import {
  fromBase64Url, generateStaffKeys, grantContentKey, loadBackend, loginMessage, openCase, signDetached, STAFF_ROLES, toBase64Url, unwrapContentKey,
  type AgencyKeyTransitionJson, type BundleContent, type StaffKeys, type StaffRole, readerKeysOf, recipientOf, type WrapRecipient,
} from '../protocol/index.js';
import { ApiClientError, HttpClient } from './http.js';
import { grantSigningBytes } from '../protocol/signing-bytes.js';
import { checkKeyGrant, type ServedKey } from './staff-grants.js';
import { signedNames, type SignedName } from './staff-names.js';
import {
  checkBundleSigned, checkBundleHistory, memberWithRole, MemoryTrustStore, unpinned, type ServedBundleHistory, type TrustStore,
} from './staff-trust.js';

// The staff SDK: every call that involves a key happens here, on the staff member's
// machine; the server only ever sees public keys, signatures and ciphertext.

export interface Session { token: string; sessionId: string; staffId: string; agencyId: string; roles: StaffRole[]; expiresAt: string }
export interface CaseSummary { caseId: string; agencyId: string; publicNumber: string; kind: string; status: string; hasIdentity: boolean; urgent: boolean; receivedOn: string; dueOn: string | null }
/**
 * A case as the list answers it: with whom a colleague assigned it to, and whether a
 * denouncer message is newer than the last one this staff member marked read.
 */
export interface ListedCase extends CaseSummary { assignees: string[]; unread: boolean }
export interface CaseDetail extends CaseSummary {
  parentCaseId: string | null; identityThreshold: number | null; envelope: string | null; wrappedKey: string | null;
  /** Who granted the caller's key, with the grant signature; null for a key wrapped at submission. */
  keyGrant: ServedKey['keyGrant'];
  /** Set when the caller re-sealed their key at a key rotation (§8.3.12). */
  keyRekey?: ServedKey['keyRekey'];
  grants: { staffId: string; grantedBy: string | null; grantedOn: string }[];
  custodians: string[];
}
/** A member as the admin's staff list answers it: the server's word, never a source of keys to sign in unchecked. */
export interface ListedStaff {
  staffId: string; displayName: string; roles: StaffRole[]; status: string; signPublicKey: string | null; boxPublicKey: string | null;
  /** A staged key rotation (§7.1): the new keys and the statement's two signatures. */
  rotation?: { signPublicKey: string; boxPublicKey: string; oldSignature: string; newSignature: string; stagedOn: string } | null;
}
export interface AgencyBundle {
  agencyId: string; slug: string; name: string; jurisdiction: string; signingPublicKey: string; serial: number | null; payload: string | null; signature: string | null;
  keyTransitions?: AgencyKeyTransitionJson[];
}

const b = toBase64Url;
const u = fromBase64Url;

export async function createAgency(
  http: HttpClient,
  a: { bootstrapCode: string; slug: string; name: string; agencyPublicKey: Uint8Array; adminName: string },
): Promise<{ agencyId: string; admin: { staffId: string; enrolmentCode: string; expiresAt: string } }> {
  return http.post('/v1/admin/agencies', {
    bootstrapCode: a.bootstrapCode, slug: a.slug, name: a.name, signingPublicKey: b(a.agencyPublicKey), admin: { displayName: a.adminName },
  });
}

/**
 * The origin a login or enrolment signature is bound to: the one this client was told
 * to use (PROTOCOL.md §8.2), never the one a server names — a relaying server would
 * name the server it relays to.
 */
export const configuredOrigin = (http: HttpClient): string => new URL(http.baseUrl).origin;

/** Enrols with fresh keys (or the given ones); the caller saves them in a key file. */
export async function enrol(http: HttpClient, origin: string, staffId: string, enrolmentCode: string, keys?: StaffKeys): Promise<StaffKeys> {
  const be = await loadBackend();
  const own = keys ?? generateStaffKeys(be);
  const { sha256 } = await import('@noble/hashes/sha2.js');
  // Mirrors the server's enrolment verifier: SHA-256("tipline/v1/enrolment" 0x00 code).
  const verifier = sha256(new TextEncoder().encode(`tipline/v1/enrolment\0${enrolmentCode.trim()}`));
  const signature = signDetached(be, 'login', loginMessage(origin, verifier, staffId), own.signSecretKey);
  await http.post('/v1/staff/enrol', {
    staffId, enrolmentCode, signPublicKey: b(own.signPublicKey), boxPublicKey: b(own.boxPublicKey), signature: b(signature),
  });
  return own;
}

/** Logs in; `origin` is this client's configured origin (the server's answer names one too, and is ignored). */
export async function login(http: HttpClient, staffId: string, keys: StaffKeys, origin = configuredOrigin(http)): Promise<Session> {
  const be = await loadBackend();
  const { nonce } = await http.post<{ nonce: string }>('/v1/staff/challenge');
  const signature = signDetached(be, 'login', loginMessage(origin, u(nonce), staffId), keys.signSecretKey);
  return http.post<Session>('/v1/staff/login', { staffId, nonce, signature: b(signature) });
}

export class StaffClient {
  readonly http: HttpClient;
  /** Without a trust store nothing is pinned, so every use of a server-sent key fails closed. */
  constructor(base: HttpClient, readonly session: Session, readonly trust: TrustStore = new MemoryTrustStore()) {
    this.http = base.withHeaders({ authorization: `Bearer ${session.token}` });
  }

  logout(): Promise<unknown> { return this.http.post('/v1/staff/logout'); }
  sessions(): Promise<{ sessions: { sessionId: string; createdAt: string; lastSeenAt: string; expiresAt: string }[] }> { return this.http.get('/v1/staff/sessions'); }

  invite(displayName: string, roles: StaffRole[]): Promise<{ staffId: string; enrolmentCode: string; expiresAt: string }> {
    return this.http.post('/v1/admin/staff', { displayName, roles });
  }
  /**
   * Names and roles of the agency's active staff as the server lists them: its word, for
   * finding a colleague. Names shown beside what someone signed come from staffNames().
   */
  colleagues(): Promise<{ staff: { staffId: string; displayName: string; roles: StaffRole[] }[] }> { return this.http.get('/v1/staff/colleagues'); }
  listStaff(): Promise<{ staff: ListedStaff[] }> {
    return this.http.get('/v1/admin/staff');
  }
  /** Deactivates a member: their keys are deleted; `reassign` lists the cases they held by a grant, `flagged` those nobody else holds. */
  deactivate(staffId: string): Promise<{ ok: true; reassign: string[]; flagged: string[] }> { return this.http.post(`/v1/admin/staff/${staffId}/deactivate`); }
  /** Cases whose only holder by a grant has left: to be granted again (intake). */
  reassignments(): Promise<{ cases: { caseId: string; publicNumber: string; departedId: string; flaggedOn: string }[] }> { return this.http.get('/v1/staff/reassignments'); }

  /** The bundle as the server answers it: unverified, never a source of keys (see verifiedBundle). */
  bundle(agencyId = this.session.agencyId): Promise<AgencyBundle> { return this.http.get(`/v1/staff/agencies/${agencyId}/bundle`); }

  /**
   * The agency's bundle, verified against this machine's pin (fingerprint, signature,
   * content, serial not below the highest seen, valid today); its serial is then
   * remembered. The one source of colleagues' keys. Unpinned agencies fail closed.
   */
  async verifiedBundle(agencyId = this.session.agencyId): Promise<BundleContent> {
    const pin = await this.trust.pinned(agencyId);
    if (!pin) throw unpinned(agencyId);
    const { content, signer } = await checkBundleSigned(await this.bundle(agencyId), agencyId, pin);
    // A bundle of a later key, reached through its transition statements: that key is now the pin (§9.2).
    await this.trust.followKey(agencyId, signer);
    await this.trust.sawSerial(agencyId, content.serial);
    return content;
  }

  /**
   * Every bundle of the agency up to the verified current one, oldest first, each checked
   * against the pin: a case's history names members who have since left or changed keys.
   */
  async verifiedBundles(agencyId = this.session.agencyId): Promise<BundleContent[]> {
    const current = await this.verifiedBundle(agencyId);
    const pin = await this.trust.pinned(agencyId);
    if (!pin) throw unpinned(agencyId);
    return checkBundleHistory(await this.http.get<ServedBundleHistory>(`/v1/staff/agencies/${agencyId}/bundles`), agencyId, pin, current);
  }

  /** Staff id → name, from the agency's verified bundles only (staff-names.ts). */
  async staffNames(agencyId = this.session.agencyId): Promise<Map<string, SignedName>> {
    return signedNames(await this.verifiedBundles(agencyId));
  }

  cases(q: Record<string, string | number | undefined> = {}): Promise<{ cases: ListedCase[]; nextCursor: string | null }> {
    const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    const qs = params.toString();
    return this.http.get(`/v1/staff/cases${qs ? `?${qs}` : ''}`);
  }
  caseDetail(caseId: string): Promise<CaseDetail> { return this.http.get(`/v1/staff/cases/${caseId}`); }

  /**
   * Records, for this staff member only, that the case's thread was read up to and
   * including `messageId`: name the newest message actually shown, so one that arrived
   * since stays unread. The server never moves the point back.
   */
  async markRead(caseId: string, messageId: string): Promise<void> {
    await this.http.post(`/v1/staff/cases/${caseId}/read`, { messageId });
  }

  /**
   * Fetches and opens a case on this machine; returns its metadata, content key and body.
   * The key is used only once its grant checks out against a verified bundle (staff-grants.ts).
   */
  async openCase(caseId: string, keys: StaffKeys): Promise<{ detail: CaseDetail; contentKey: Uint8Array; body: Uint8Array }> {
    const be = await loadBackend();
    const detail = await this.caseDetail(caseId);
    if (!detail.wrappedKey || !detail.envelope) throw new ApiClientError(403, 'no_key', 'you hold no key for this case');
    const served = { agencyId: detail.agencyId, wrappedKey: detail.wrappedKey, keyGrant: detail.keyGrant, keyRekey: detail.keyRekey ?? null };
    await checkKeyGrant(caseId, this.session.staffId, served, (agencyId) => this.verifiedBundle(agencyId), keys.signPublicKey);
    const ctx = { agencyId: detail.agencyId, caseId };
    const contentKey = unwrapContentKey(be, ctx, u(detail.wrappedKey), readerKeysOf(keys));
    return { detail, contentKey, body: openCase(be, ctx, u(detail.envelope), contentKey) };
  }

  /** A colleague's box key, taken only from their agency's verified bundle. */
  async staffBoxKey(staffId: string, agencyId = this.session.agencyId, roles: readonly StaffRole[] = STAFF_ROLES): Promise<Uint8Array> {
    return u(memberWithRole(await this.verifiedBundle(agencyId), staffId, roles, 'staff member').boxPublicKey);
  }

  /** Whom to seal to for a colleague (§16.5): their X-Wing key too when their verified bundle lists version 2. */
  async staffRecipient(staffId: string, agencyId = this.session.agencyId): Promise<WrapRecipient> {
    return recipientOf(memberWithRole(await this.verifiedBundle(agencyId), staffId, STAFF_ROLES, 'staff member'));
  }

  /** Re-seals the case key to a colleague (or another agency's staff, with its agency pinned) and signs the grant. */
  async grant(caseId: string, recipient: { staffId: string; agencyId?: string }, keys: StaffKeys): Promise<void> {
    const be = await loadBackend();
    // The recipient's key first: nothing is opened for a recipient the pinned bundle does not list.
    const to = await this.staffRecipient(recipient.staffId, recipient.agencyId ?? this.session.agencyId);
    const { detail, contentKey } = await this.openCase(caseId, keys);
    const wrapped = grantContentKey(be, { agencyId: detail.agencyId, caseId }, contentKey, to);
    contentKey.fill(0);
    const signature = signDetached(be, 'grant', grantSigningBytes(caseId, recipient.staffId, wrapped, be), keys.signSecretKey);
    await this.http.post(`/v1/staff/cases/${caseId}/grants`, { staffId: recipient.staffId, wrapped: b(wrapped), signature: b(signature) });
  }

  revoke(caseId: string, staffId: string): Promise<unknown> { return this.http.delete(`/v1/staff/cases/${caseId}/grants/${staffId}`); }
}
