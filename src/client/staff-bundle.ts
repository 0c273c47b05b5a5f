import {
  agencyFingerprint, canonicalFingerprint, fromBase64Url, isStaffName, loadBackend, signBundle, staffKeyFingerprint, toBase64Url, transitionsFromJson,
  verifyAgencyKeyTransition, type AgencyKeyTransitionJson, type AgencyKeys, type Backend, type BundleContent, type BundleRecovery, type BundleStaff,
  type StaffRole,
} from '../protocol/index.js';
import type { StaffClient } from './staff.js';
import { signedRotation } from './staff-rotation.js';
import { checkSignedBundle, StaffTrustError, unpinned } from './staff-trust.js';

// The admin's `bundle publish` (PROTOCOL.md §9, "Publishing"). The server's staff list
// says who is enrolled, but it is the server's word: a database writer could swap an
// officer's public key and have the admin sign it in. So the next bundle is built on
// the previous *verified* one: a member whose keys, roles and name are unchanged is carried
// over from it, never from the server; every new member, changed key, changed roles or
// changed name is named with its key fingerprint and signed in only once the admin
// accepts that fingerprint, which the member read from their own `staff enrol` output.
// The name is signed in too: it is what staff clients show beside the member's signatures.

/** A member the server lists whose keys, roles or name the previous verified bundle does not. */
export interface ProposedMember {
  staffId: string;
  /** The server's name for them: signed in as it is once the admin accepts the member. */
  displayName: string;
  roles: StaffRole[];
  fingerprint: string;
  signPublicKey: string;
  boxPublicKey: string;
  /** For a member already in the previous bundle: what it listed. */
  previous?: { roles: StaffRole[]; fingerprint: string; displayName?: string };
  /** The new keys come from a rotation the previous bundle's keys signed (§7.1); the fingerprint is still to be accepted. */
  rotated?: boolean;
}

export interface BundleProposal {
  agencySlug: string;
  /** The rule sets the server applies; signed into the bundle (PROTOCOL.md §9). */
  jurisdiction: string;
  previous: BundleContent | undefined;
  /** Unchanged since the previous bundle: its own entries. */
  carried: BundleStaff[];
  added: ProposedMember[];
  changed: ProposedMember[];
  /** In the previous bundle, no longer active and enrolled on the server. */
  removed: BundleStaff[];
}

const fingerprintOf = (be: Backend, s: { signPublicKey: string; boxPublicKey: string }) =>
  staffKeyFingerprint(be, fromBase64Url(s.signPublicKey), fromBase64Url(s.boxPublicKey));

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r));

/** A name no bundle may carry (PROTOCOL.md §9) is refused before anything is signed. */
function checkedName(s: { staffId: string; displayName: string }): string {
  if (!isStaffName(s.displayName)) {
    throw new StaffTrustError('name_invalid', `the server lists ${s.staffId} under the name ${JSON.stringify(s.displayName)}, which a key bundle cannot carry ` +
      '(1 to 100 characters, no control, bidirectional or invisible character, no space at either end): nothing was signed');
  }
  return s.displayName;
}

/** The next bundle's members against the previous verified bundle of the admin's (pinned) agency. */
export async function proposeBundle(c: StaffClient): Promise<BundleProposal> {
  const agencyId = c.session.agencyId;
  const be = await loadBackend();
  const [current, { staff }, pin] = await Promise.all([c.bundle(agencyId), c.listStaff(), c.trust.pinned(agencyId)]);
  if (!pin) throw unpinned(agencyId);
  const previous = current.payload ? await checkSignedBundle(current, agencyId, pin) : undefined;
  const before = new Map((previous?.staff ?? []).map((s) => [s.staffId, s]));
  const fingerprint = (s: { signPublicKey: string; boxPublicKey: string }) => fingerprintOf(be, s);
  // An agency's law does not change by the server's word: a bundle that signed one is followed by the same one.
  if (previous?.jurisdiction !== undefined && previous.jurisdiction !== current.jurisdiction) {
    throw new StaffTrustError('jurisdiction_changed',
      `Máy chủ nói cơ quan áp dụng ${current.jurisdiction}, gói khóa đã ký ghi ${previous.jurisdiction}; không ký. / ` +
      `The server says the agency applies ${current.jurisdiction}; its signed bundle says ${previous.jurisdiction}: nothing was signed.`);
  }
  const proposal: BundleProposal = { agencySlug: current.slug, jurisdiction: current.jurisdiction, previous, carried: [], added: [], changed: [], removed: [] };
  const listed = staff.filter((s) => s.status === 'active' && s.signPublicKey && s.boxPublicKey);
  for (const s of listed) {
    const old = before.get(s.staffId);
    // A staged rotation counts only if the keys the last verified bundle lists signed it.
    const rotated = signedRotation(be, agencyId, s, old);
    const keys = rotated ?? { signPublicKey: s.signPublicKey!, boxPublicKey: s.boxPublicKey! };
    const sameKeys = old && old.signPublicKey === keys.signPublicKey && old.boxPublicKey === keys.boxPublicKey;
    if (old && sameKeys && sameRoles(old.roles, s.roles) && old.displayName === s.displayName) {
      proposal.carried.push(old);
      continue;
    }
    const member: ProposedMember = { staffId: s.staffId, displayName: checkedName(s), roles: s.roles, fingerprint: fingerprint(keys), ...keys, ...(rotated ? { rotated: true } : {}) };
    if (old) proposal.changed.push({ ...member, previous: { roles: old.roles, fingerprint: fingerprint(old), ...(old.displayName !== undefined ? { displayName: old.displayName } : {}) } });
    else proposal.added.push(member);
  }
  const still = new Set(listed.map((s) => s.staffId));
  proposal.removed = (previous?.staff ?? []).filter((s) => !still.has(s.staffId));
  return proposal;
}

/** The new and changed members whose fingerprints `accept` does not name. */
export function unaccepted(proposal: BundleProposal, accept: readonly string[]): ProposedMember[] {
  const named = new Set(accept.map(canonicalFingerprint));
  return [...proposal.added, ...proposal.changed].filter((m) => !named.has(canonicalFingerprint(m.fingerprint)));
}

/**
 * Signs, offline, the next bundle: the carried members as the previous bundle listed
 * them, plus every new or changed member whose fingerprint is in `accept`. Refuses
 * (keys_unconfirmed) while any new or changed key is not accepted, naming each, and an
 * accepted fingerprint that matches no key of the next bundle (a mistyped one).
 */
export async function publishBundle(
  c: StaffClient, agencyKeys: AgencyKeys,
  /**
   * `recovery`: the recovery recipient to list (§9.1); null lists none; unset keeps the previous bundle's.
   * `keyTransition`: the hand-over to the key signing this bundle, published with it (§9.2).
   */
  opts: { accept?: readonly string[]; threshold?: number; validDays?: number; recovery?: BundleRecovery | null; keyTransition?: AgencyKeyTransitionJson } = {},
): Promise<{ serial: number; content: BundleContent; proposal: BundleProposal }> {
  const be = await loadBackend();
  const accept = opts.accept ?? [];
  const proposal = await proposeBundle(c);
  const pending = unaccepted(proposal, accept);
  if (pending.length > 0) {
    throw new StaffTrustError('keys_unconfirmed',
      `Chưa xác nhận khóa mới hoặc đã đổi; không ký gói khóa. / Not signed: these new or changed keys are not confirmed: ${pending.map(describe).join('; ')}. ` +
      'Have each member read you their fingerprint from their own `tipline staff enrol` output and pass it with --accept.');
  }
  const listed = new Set([...proposal.added, ...proposal.changed, ...proposal.carried].map((m) => canonicalFingerprint(fingerprintOf(be, m))));
  const stray = accept.filter((f) => !listed.has(canonicalFingerprint(f)));
  if (stray.length > 0) throw new StaffTrustError('keys_unconfirmed', `--accept ${stray.join(', ')} matches no key of the next bundle: nothing was signed`);
  const { previous } = proposal;
  const agencyId = c.session.agencyId;
  const pin = (await c.trust.pinned(agencyId))!;
  const members: BundleStaff[] = [
    ...proposal.carried,
    ...[...proposal.added, ...proposal.changed].map((m) => ({
      staffId: m.staffId, displayName: m.displayName, roles: m.roles, signPublicKey: m.signPublicKey, boxPublicKey: m.boxPublicKey,
    })),
  ];
  const custodians = members.filter((s) => s.roles.includes('custodian')).length;
  const next = Math.max(previous?.serial ?? 0, pin.highestSerial) + 1;
  if (opts.keyTransition) checkOwnTransition(be, { agencyId, pinned: pin.fingerprint, next }, agencyKeys, opts.keyTransition);
  const content: BundleContent = {
    version: 1, agencyId, agencySlug: proposal.agencySlug, jurisdiction: proposal.jurisdiction, serial: opts.keyTransition?.effectiveSerial ?? next,
    threshold: opts.threshold ?? previous?.threshold ?? Math.max(1, Math.min(2, custodians)),
    issuedOn: new Date().toISOString().slice(0, 10),
    expiresOn: new Date(Date.now() + (opts.validDays ?? 365) * 86400_000).toISOString().slice(0, 10),
    staff: members,
  };
  const recovery = opts.recovery === undefined ? previous?.recovery : opts.recovery ?? undefined;
  if (recovery) content.recovery = recovery;
  const signed = signBundle(be, content, agencyKeys.secretKey);
  const res = await c.http.post<{ serial: number }>('/v1/admin/bundles', {
    payload: toBase64Url(signed.payload), signature: toBase64Url(signed.signature), ...(opts.keyTransition ? { keyTransition: opts.keyTransition } : {}),
  });
  // The admin's own machine follows the hand-over it just published (PROTOCOL.md §9.2).
  if (opts.keyTransition) await c.trust.followKey(agencyId, agencyFingerprint(be, agencyKeys.publicKey));
  await c.trust.sawSerial(agencyId, content.serial);
  return { serial: res.serial, content, proposal };
}

/**
 * The statement to publish with the first bundle of a new key: signed by both keys, from
 * the pinned key (or the key it already follows) to the one in hand, at the next serial.
 */
function checkOwnTransition(be: Backend, at: { agencyId: string; pinned: string; next: number }, agencyKeys: AgencyKeys, json: AgencyKeyTransitionJson): void {
  const { agencyId, pinned, next } = at;
  const [t] = transitionsFromJson(agencyId, [json]);
  const refuse = (why: string) => new StaffTrustError('bundle_invalid', `the key transition ${why}: nothing was signed`);
  if (!t || !verifyAgencyKeyTransition(be, t)) throw refuse('is not signed by both keys, or not for this agency');
  if (canonicalFingerprint(agencyFingerprint(be, t.oldPublicKey)) !== canonicalFingerprint(pinned)) throw refuse(`does not start from the pinned key ${pinned}`);
  if (agencyFingerprint(be, t.newPublicKey) !== agencyFingerprint(be, agencyKeys.publicKey)) throw refuse('hands over to another key than --agency-key');
  if (t.effectiveSerial !== next) throw refuse(`takes effect at serial ${t.effectiveSerial}, but the next bundle is ${next}; write it again with --serial ${next}`);
}

/** "name (staff id, roles): fingerprint", with what a change replaces: the key, the roles, the name. */
export function describe(m: ProposedMember): string {
  const was = m.previous;
  const changes = was
    ? [
      ...(was.fingerprint !== m.fingerprint ? [`${m.rotated ? 'ROTATED key (signed by the old key)' : 'CHANGED key'}, was ${was.fingerprint}`] : []),
      ...(!sameRoles(was.roles, m.roles) ? [`roles were ${was.roles.join(',')}`] : []),
      ...(was.displayName !== m.displayName ? [was.displayName === undefined ? 'name not signed before' : `name was ${JSON.stringify(was.displayName)}`] : []),
    ]
    : ['new'];
  return `${m.displayName} (${m.staffId}, ${m.roles.join(',')}): ${m.fingerprint} — ${changes.join('; ')}`;
}

/**
 * The `tipline bundle publish` to run where the agency key is: the agency key never
 * leaves that machine. `accept` is only what the admin confirmed the members read out;
 * any other new or changed key makes the command refuse (keys_unconfirmed).
 */
export function publishCommand(o: { server: string; accept: readonly string[]; threshold?: number }): string {
  return [
    `tipline bundle publish --server ${o.server} --agency-key agency-key.json --key me.json`,
    ...(o.threshold === undefined ? [] : [`--threshold ${o.threshold}`]),
    ...o.accept.map((f) => `--accept "${f}"`),
  ].join(' ');
}
