import {
  agencyFingerprint, fromBase64Url, generateStaffKeys, grantContentKey, loadBackend, loginMessage, openCase,
  signBundle, signDetached, toBase64Url, unwrapContentKey, verifyBundle,
  type AgencyKeys, type BundleContent, type StaffKeys, type StaffRole,
} from '../protocol/index.js';
import { ApiClientError, HttpClient } from './http.js';
import { grantSigningBytes } from '../protocol/signing-bytes.js';

// The staff SDK: every call that involves a key happens here, on the staff member's
// machine; the server only ever sees public keys, signatures and ciphertext.

export interface Session { token: string; sessionId: string; staffId: string; agencyId: string; roles: StaffRole[]; expiresAt: string }
export interface CaseSummary { caseId: string; agencyId: string; publicNumber: string; kind: string; status: string; hasIdentity: boolean; urgent: boolean; receivedOn: string; dueOn: string | null }
export interface CaseDetail extends CaseSummary {
  parentCaseId: string | null; identityThreshold: number | null; envelope: string | null; wrappedKey: string | null;
  grants: { staffId: string; grantedBy: string | null; grantedOn: string }[];
  custodians: string[];
}
export interface AgencyBundle { agencyId: string; slug: string; name: string; signingPublicKey: string; serial: number | null; payload: string | null; signature: string | null }

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

export async function login(http: HttpClient, staffId: string, keys: StaffKeys): Promise<Session> {
  const be = await loadBackend();
  const { nonce, origin } = await http.post<{ nonce: string; origin: string }>('/v1/staff/challenge');
  const signature = signDetached(be, 'login', loginMessage(origin, u(nonce), staffId), keys.signSecretKey);
  return http.post<Session>('/v1/staff/login', { staffId, nonce, signature: b(signature) });
}

/** A verified bundle: the agency key's fingerprint must match the pin when one is given. */
export async function verifiedBundle(bundle: AgencyBundle, pinnedFingerprint?: string): Promise<{ content: BundleContent; fingerprint: string }> {
  const be = await loadBackend();
  if (!bundle.payload || !bundle.signature) throw new ApiClientError(404, 'bundle_missing', 'the agency has not published a key bundle');
  const agencyPublicKey = u(bundle.signingPublicKey);
  const trust = pinnedFingerprint === undefined ? { agencyPublicKey } : { agencyPublicKey, pinnedFingerprint };
  const content = verifyBundle(be, { payload: u(bundle.payload), signature: u(bundle.signature) }, trust);
  return { content, fingerprint: agencyFingerprint(be, agencyPublicKey) };
}

export class StaffClient {
  readonly http: HttpClient;
  constructor(base: HttpClient, readonly session: Session) {
    this.http = base.withHeaders({ authorization: `Bearer ${session.token}` });
  }

  logout(): Promise<unknown> { return this.http.post('/v1/staff/logout'); }
  sessions(): Promise<{ sessions: { id: string; createdAt: string; lastSeenAt: string; expiresAt: string }[] }> { return this.http.get('/v1/staff/sessions'); }

  invite(displayName: string, roles: StaffRole[]): Promise<{ staffId: string; enrolmentCode: string; expiresAt: string }> {
    return this.http.post('/v1/admin/staff', { displayName, roles });
  }
  listStaff(): Promise<{ staff: { staffId: string; displayName: string; roles: StaffRole[]; status: string; signPublicKey: string | null; boxPublicKey: string | null }[] }> {
    return this.http.get('/v1/admin/staff');
  }
  deactivate(staffId: string): Promise<unknown> { return this.http.post(`/v1/admin/staff/${staffId}/deactivate`); }

  bundle(agencyId = this.session.agencyId): Promise<AgencyBundle> { return this.http.get(`/v1/staff/agencies/${agencyId}/bundle`); }

  /** Signs, offline, a bundle of every active enrolled staff member with the next serial. */
  async publishBundle(agencyKeys: AgencyKeys, opts: { threshold?: number; validDays?: number } = {}): Promise<{ serial: number; content: BundleContent }> {
    const be = await loadBackend();
    const [current, { staff }] = await Promise.all([this.bundle(), this.listStaff()]);
    const previous = current.payload ? (JSON.parse(new TextDecoder().decode(u(current.payload))) as BundleContent) : undefined;
    const listed = staff.filter((s) => s.status === 'active' && s.signPublicKey && s.boxPublicKey);
    const custodians = listed.filter((s) => s.roles.includes('custodian')).length;
    const today = new Date().toISOString().slice(0, 10);
    const content: BundleContent = {
      version: 1, agencyId: this.session.agencyId, agencySlug: current.slug, serial: (current.serial ?? 0) + 1,
      threshold: opts.threshold ?? previous?.threshold ?? Math.max(1, Math.min(2, custodians)),
      issuedOn: today, expiresOn: new Date(Date.now() + (opts.validDays ?? 365) * 86400_000).toISOString().slice(0, 10),
      staff: listed.map((s) => ({ staffId: s.staffId, roles: s.roles, signPublicKey: s.signPublicKey!, boxPublicKey: s.boxPublicKey! })),
    };
    const signed = signBundle(be, content, agencyKeys.secretKey);
    const res = await this.http.post<{ serial: number }>('/v1/admin/bundles', { payload: b(signed.payload), signature: b(signed.signature) });
    return { serial: res.serial, content };
  }

  cases(q: Record<string, string | number | undefined> = {}): Promise<{ cases: CaseSummary[]; nextCursor: string | null }> {
    const params = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
    const qs = params.toString();
    return this.http.get(`/v1/staff/cases${qs ? `?${qs}` : ''}`);
  }
  caseDetail(caseId: string): Promise<CaseDetail> { return this.http.get(`/v1/staff/cases/${caseId}`); }

  /** Fetches and opens a case on this machine; returns its metadata, content key and body. */
  async openCase(caseId: string, keys: StaffKeys): Promise<{ detail: CaseDetail; contentKey: Uint8Array; body: Uint8Array }> {
    const be = await loadBackend();
    const detail = await this.caseDetail(caseId);
    if (!detail.wrappedKey || !detail.envelope) throw new ApiClientError(403, 'no_key', 'you hold no key for this case');
    const ctx = { agencyId: detail.agencyId, caseId };
    const contentKey = unwrapContentKey(be, ctx, u(detail.wrappedKey), { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey });
    return { detail, contentKey, body: openCase(be, ctx, u(detail.envelope), contentKey) };
  }

  /** A colleague's box key, taken only from their agency's verified bundle. */
  async staffBoxKey(staffId: string, agencyId: string, pinnedFingerprint?: string): Promise<Uint8Array> {
    const { content } = await verifiedBundle(await this.bundle(agencyId), pinnedFingerprint);
    const entry = content.staff.find((s) => s.staffId === staffId);
    if (!entry) throw new ApiClientError(404, 'not_in_bundle', 'this staff member is not in their agency\'s signed key bundle');
    return u(entry.boxPublicKey);
  }

  async grant(caseId: string, recipient: { staffId: string; agencyId?: string; pinnedFingerprint?: string }, keys: StaffKeys): Promise<void> {
    const be = await loadBackend();
    const { detail, contentKey } = await this.openCase(caseId, keys);
    const boxKey = await this.staffBoxKey(recipient.staffId, recipient.agencyId ?? this.session.agencyId, recipient.pinnedFingerprint);
    const wrapped = grantContentKey(be, { agencyId: detail.agencyId, caseId }, contentKey, boxKey);
    contentKey.fill(0);
    const signature = signDetached(be, 'grant', grantSigningBytes(caseId, recipient.staffId, wrapped, be), keys.signSecretKey);
    await this.http.post(`/v1/staff/cases/${caseId}/grants`, { staffId: recipient.staffId, wrapped: b(wrapped), signature: b(signature) });
  }

  revoke(caseId: string, staffId: string): Promise<unknown> { return this.http.delete(`/v1/staff/cases/${caseId}/grants/${staffId}`); }
}
