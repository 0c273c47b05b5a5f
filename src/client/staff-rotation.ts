import {
  fromBase64Url, loadBackend, rekeySigningBytes, rewrapKey, rotationSigningBytes, signDetached, toBase64Url, verifyDetached, wrappedDigest,
  type Backend, type StaffKeys,
} from '../protocol/index.js';
import { WRAP_KIND } from '../protocol/labels.js';
import type { ListedStaff, StaffClient } from './staff.js';
import { checkKeyGrant, type ServedKey } from './staff-grants.js';
import { StaffTrustError } from './staff-trust.js';

// A staff member's key rotation (PROTOCOL.md §7.1), on their own machine. The client
// signs the statement with the old key and the new, then re-seals every key wrapped to
// it — content keys, identity shares, protection details shares, identity requests'
// keys — to the new box key,
// each with a rekey signature by the new key (§8.3.12). A content key is re-sealed only
// once it checks out as it would to open the case (staff-grants.ts): a rotation never
// launders a key the server slipped in. The server swaps the keys in when the admin
// publishes a bundle listing the new ones; until then the old key file stays in use.

export type Holding = 'case_key' | 'identity_share' | 'protection_share' | 'request_key';
export const HOLDINGS: readonly Holding[] = ['case_key', 'identity_share', 'protection_share', 'request_key'];

interface ServedHolding { subjectId: string; boundId: string; agencyId: string; wrapped: string; keyGrant: ServedKey['keyGrant']; keyRekey: ServedKey['keyRekey'] }

const KIND: Record<Holding, { wrapKind: number; material: number }> = {
  case_key: { wrapKind: WRAP_KIND.contentKey, material: 32 },
  identity_share: { wrapKind: WRAP_KIND.identityShare, material: 33 },
  protection_share: { wrapKind: WRAP_KIND.identityShare, material: 33 },
  request_key: { wrapKind: WRAP_KIND.requestKey, material: 32 },
};
const PAGE = 200;
const b = toBase64Url;
const u = fromBase64Url;

/** `total`: the keys held when the rotation was staged. */
export interface RotationProgress { holding: Holding; done: number; total: number }

/** The keys of a rotation statement, signed by the old key and by the new (§8.3.11). */
function statementBytes(agencyId: string, staffId: string, old: StaffKeys, next: StaffKeys): Uint8Array {
  return rotationSigningBytes({ agencyId, staffId, old, next });
}

/**
 * Stages the rotation and re-seals every key this member holds to `next`. Returns how
 * many keys were re-sealed and how many the server still counts as missing (0 when done).
 */
export async function rotateKeys(
  c: StaffClient, old: StaffKeys, next: StaffKeys, onProgress: (p: RotationProgress) => void = () => {},
): Promise<{ resealed: number; unstaged: number }> {
  const be = await loadBackend();
  const { agencyId, staffId } = c.session;
  const bytes = statementBytes(agencyId, staffId, old, next);
  await c.http.post('/v1/staff/rotation', {
    signPublicKey: b(next.signPublicKey), boxPublicKey: b(next.boxPublicKey),
    oldSignature: b(signDetached(be, 'rotation', bytes, old.signSecretKey)), newSignature: b(signDetached(be, 'rotation', bytes, next.signSecretKey)),
  });
  const total = (await rotationStatus(c))?.unstaged ?? 0;
  onProgress({ holding: 'case_key', done: 0, total });
  let resealed = 0;
  let unstaged = total;
  for (const holding of HOLDINGS) {
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ holding, limit: String(PAGE), ...(after ? { after } : {}) });
      const { holdings } = await c.http.get<{ holdings: ServedHolding[] }>(`/v1/staff/rotation/holdings?${query}`);
      if (holdings.length === 0) break;
      const keys = [];
      for (const h of holdings) keys.push(await resealed1(c, be, holding, h, old, next));
      ({ unstaged } = await c.http.post<{ unstaged: number }>('/v1/staff/rotation/keys', { keys }));
      resealed += keys.length;
      onProgress({ holding, done: resealed, total });
      after = holdings[holdings.length - 1]!.subjectId;
      if (holdings.length < PAGE) break;
    }
  }
  return { resealed, unstaged };
}

/** One key re-sealed to the new box key, with its rekey signature: the staged form the server takes. */
async function resealed1(c: StaffClient, be: Backend, holding: Holding, h: ServedHolding, old: StaffKeys, next: StaffKeys) {
  if (holding === 'case_key') {
    await checkKeyGrant(h.subjectId, c.session.staffId, { agencyId: h.agencyId, wrappedKey: h.wrapped, keyGrant: h.keyGrant, keyRekey: h.keyRekey }, (a) => c.verifiedBundle(a), old.signPublicKey);
  }
  const { wrapKind, material } = KIND[holding];
  const current = u(h.wrapped);
  const wrapped = rewrapKey(be, wrapKind, { agencyId: h.agencyId, caseId: h.boundId }, current, { publicKey: old.boxPublicKey, secretKey: old.boxSecretKey }, next.boxPublicKey, material);
  const originDigest = h.keyRekey ? u(h.keyRekey.originDigest) : wrappedDigest(be, current);
  const signature = signDetached(be, 'rekey', rekeySigningBytes({ wrapKind, subjectId: h.subjectId, staffId: c.session.staffId, originDigest, wrapped }, be), next.signSecretKey);
  return { holding, subjectId: h.subjectId, wrapped: b(wrapped), originDigest: b(originDigest), signature: b(signature) };
}

interface ServedRotation { signPublicKey: string; boxPublicKey: string; oldSignature: string; newSignature: string }

/** Whether a served rotation statement is signed by both the old keys given and the new keys it names (§8.3.11). */
function statementSigned(be: Backend, agencyId: string, staffId: string, previous: { signPublicKey: string; boxPublicKey: string }, r: ServedRotation): boolean {
  try {
    const old = { signPublicKey: u(previous.signPublicKey), boxPublicKey: u(previous.boxPublicKey) };
    const next = { signPublicKey: u(r.signPublicKey), boxPublicKey: u(r.boxPublicKey) };
    const bytes = rotationSigningBytes({ agencyId, staffId, old, next });
    return verifyDetached(be, 'rotation', u(r.oldSignature), bytes, old.signPublicKey) && verifyDetached(be, 'rotation', u(r.newSignature), bytes, next.signPublicKey);
  } catch {
    return false;
  }
}

/**
 * The staged rotation, if any: its new keys and how many held keys are not yet re-sealed.
 * The statement must verify under the member's keys in the agency's verified bundle and
 * under the new keys, so a server cannot show a member a rotation they never signed.
 */
export async function rotationStatus(c: StaffClient): Promise<{ signPublicKey: string; boxPublicKey: string; stagedOn: string; unstaged: number } | null> {
  const served = (await c.http.get<{ rotation: (ServedRotation & { stagedOn: string; unstaged: number }) | null }>('/v1/staff/rotation')).rotation;
  if (!served) return null;
  const { agencyId, staffId } = c.session;
  const own = (await c.verifiedBundle(agencyId)).staff.find((s) => s.staffId === staffId);
  if (!own || !statementSigned(await loadBackend(), agencyId, staffId, own, served)) {
    throw new StaffTrustError('rotation_unsigned', 'the staged key rotation is not signed by your key in the agency\'s bundle and by the new key: do not trust it, and rotate again');
  }
  return { signPublicKey: served.signPublicKey, boxPublicKey: served.boxPublicKey, stagedOn: served.stagedOn, unstaged: served.unstaged };
}

/**
 * For the admin's bundle publish: the new keys of a member's staged rotation, if the
 * statement verifies under both the old keys the previous verified bundle lists for the
 * member and the new keys. The server's word alone never changes a member's key.
 */
export function signedRotation(
  be: Backend, agencyId: string, s: ListedStaff, previous: { signPublicKey: string; boxPublicKey: string } | undefined,
): { signPublicKey: string; boxPublicKey: string } | null {
  const r = s.rotation;
  if (!r || !previous) return null;
  return statementSigned(be, agencyId, s.staffId, previous, r) ? { signPublicKey: r.signPublicKey, boxPublicKey: r.boxPublicKey } : null;
}
