import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { addPeriod, replay, rulesFor, rulesInForce, stateAfter, utcToDay } from '../../src/domain/index.js';
import {
  fromBase64Url, generateStaffKeys, loadBackend, messageSigningBytes, protectionDecisionSigningBytes, receiptVerifier, signDetached,
  toBase64Url, transitionSigningBytes, type StaffKeys,
} from '../../src/protocol/index.js';
import { uuidBytes } from '../../src/protocol/bytes.js';
import type { Database } from '../../src/server/db/connect.js';
import type { StaffRole } from '../../src/server/db/schema.js';
import { createSession } from '../../src/server/db/sessions.js';
import { agencyRules } from '../../src/server/db/workflow-calendar.js';
import { insertProtectionRequest } from '../../src/server/db/workflow-protection.js';
import { loadEvents } from '../../src/server/db/workflow.js';

// An agency, its staff with live sessions and enrolled keys, and cases inserted as a
// submission would leave them (RECEIVED, sealed bytes opaque), dated as a script needs.
// Transitions and protection decisions are signed with the acting staff member's key,
// as the staff client signs them.

/** Each fixture staff member's keys, by the authorization header they act with. */
const keysByAuth = new Map<string, StaffKeys>();
export const staffKeysOf = (auth: string): StaffKeys => keysByAuth.get(auth)!;

export async function makeAgency(db: Database, profile = 'VN'): Promise<string> {
  const id = randomUUID();
  await db.insertInto('agencies').values({ id, slug: `a-${id.slice(0, 8)}`, name: 'Thanh tra tỉnh', profile, signing_public_key: randomBytes(32) }).execute();
  return id;
}

export async function makeStaff(db: Database, agencyId: string, roles: StaffRole[]): Promise<{ id: string; auth: string }> {
  const id = randomUUID();
  const keys = generateStaffKeys(await loadBackend('sodium'));
  await db.insertInto('staff').values({
    id, agency_id: agencyId, display_name: roles.join('+'), roles, status: 'active', sign_public_key: keys.signPublicKey, box_public_key: keys.boxPublicKey,
  }).execute();
  const { token } = await createSession(db, id, { idleSeconds: 3600, maxSeconds: 7200 });
  keysByAuth.set(`Bearer ${token}`, keys);
  return { id, auth: `Bearer ${token}` };
}

let counter = 0;
export async function makeCase(db: Database, agencyId: string, receivedOn: string, kind = 'denunciation'): Promise<{ id: string; receipt: string }> {
  const id = randomUUID();
  const authKey = new Uint8Array(randomBytes(32));
  const be = await loadBackend('sodium');
  counter += 1;
  await db.insertInto('cases').values({
    id, agency_id: agencyId, public_number: `TL-T-${String(counter).padStart(6, '0')}-${id.slice(0, 4)}`, kind, status: 'RECEIVED',
    has_identity: true, received_on: receivedOn, bundle_serial: 1, verifier: receiptVerifier(be, authKey),
    submission_digest: randomBytes(32), envelope: randomBytes(64),
  }).execute();
  return { id, receipt: `Receipt ${toBase64Url(authKey)}` };
}

export async function grant(db: Database, caseId: string, staffId: string): Promise<void> {
  await db.insertInto('case_keys').values({ id: randomUUID(), case_id: caseId, recipient: 'staff', staff_id: staffId, wrapped: randomBytes(80) }).execute();
}

/** A notice as the client seals it: opaque bytes here, signed by `auth`'s key as a reply is. */
export async function sealedNotice(caseId: string, auth: string) {
  const be = await loadBackend('sodium');
  const messageId = randomUUID();
  const ciphertext = new Uint8Array(randomBytes(296));
  const signature = signDetached(be, 'message', messageSigningBytes(caseId, messageId, ciphertext, be), staffKeysOf(auth).signSecretKey);
  return { messageId, ciphertext: toBase64Url(ciphertext), signature: toBase64Url(signature) };
}

export const reason = () => toBase64Url(randomBytes(48));

/** A withdrawal letter as the denouncer's client seals it (letterId || a 256-byte message bucket): opaque bytes here. */
export const withdrawalLetter = () => toBase64Url(new Uint8Array([...uuidBytes(randomUUID()), ...randomBytes(40 + 256)]));

/** POST /v1/case/withdraw with a letter: all of it, or a part. */
export async function withdraw(app: FastifyInstance, receipt: string, scope: 'all' | 'part' = 'all', letter = withdrawalLetter()) {
  const res = await app.inject({ method: 'POST', url: '/v1/case/withdraw', headers: { authorization: receipt }, payload: { scope, letter } });
  return { status: res.statusCode, body: res.json() };
}

const owesNotice = new Set(['accept', 'not_accept', 'transfer', 'extend', 'suspend', 'resume', 'terminate', 'conclude', 'continue_settlement']);

/**
 * The transition's signature as an honest staff client makes it, over the states the
 * case's recorded history replays to (these agencies publish no bundle for a client to
 * check the history against: test/attacks/staff-history-forgery.test.ts does that).
 */
export async function signTransition(app: FastifyInstance, auth: string, caseId: string, body: Record<string, any>): Promise<string> {
  const be = await loadBackend('sodium');
  const kase = await app.db.selectFrom('cases').select(['agency_id', 'received_on']).where('id', '=', caseId).executeTakeFirstOrThrow();
  const { jurisdiction, calendar } = await agencyRules(app.db, kase.agency_id);
  const snap = replay(jurisdiction, { receivedOn: kase.received_on, events: await loadEvents(app.db, caseId) }, calendar);
  const profile = rulesFor(jurisdiction, kase.received_on, body['onDay'] ?? utcToDay(Date.now()));
  const rule = profile.transitions.find((r) => r.action === body['action']);
  const [from, to] = [snap.state, rule ? stateAfter(rule, snap) : snap.state];
  const notice = body['notice'] ? { messageId: body['notice'].messageId, ciphertext: fromBase64Url(body['notice'].ciphertext) } : null;
  const bytes = transitionSigningBytes({
    caseId, action: body['action'], from, to, onDay: body['onDay'] ?? new Date().toISOString().slice(0, 10), reason: fromBase64Url(body['reason']), notice,
    finding: body['finding'] ?? null, extension: body['extension'] ?? null, legalBasis: body['legalBasis'] || null, ground: body['ground'] ?? null,
  }, be);
  return toBase64Url(signDetached(be, 'transition', bytes, staffKeysOf(auth).signSecretKey));
}

/** POSTs one signed transition, with a signed notice when the law owes one unless `notice` says otherwise. */
export async function transition(
  app: FastifyInstance, auth: string, caseId: string, body: Record<string, unknown>, notice = owesNotice.has(String(body['action'])),
) {
  const payload: Record<string, unknown> = { reason: reason(), ...body, ...(notice ? { notice: await sealedNotice(caseId, auth) } : {}) };
  const signature = keysByAuth.has(auth) ? await signTransition(app, auth, caseId, payload) : toBase64Url(randomBytes(64));
  const res = await app.inject({
    method: 'POST', url: `/v1/staff/cases/${caseId}/transitions`, headers: { authorization: auth }, payload: { ...payload, signature },
  });
  return { status: res.statusCode, body: res.json() };
}

/** A protection decision's body, signed by `auth`'s key as the staff client signs it. */
export async function signedDecision(
  auth: string, request: { id: string; caseId: string }, decision: 'granted' | 'refused', onDay = new Date().toISOString().slice(0, 10),
) {
  const be = await loadBackend('sodium');
  const sealedReason = reason();
  const notice = await sealedNotice(request.caseId, auth);
  const bytes = protectionDecisionSigningBytes({
    protectionRequestId: request.id, caseId: request.caseId, granted: decision === 'granted', onDay, reason: fromBase64Url(sealedReason),
    notice: { messageId: notice.messageId, ciphertext: fromBase64Url(notice.ciphertext) },
  }, be);
  const signature = toBase64Url(signDetached(be, 'protection-decision', bytes, staffKeysOf(auth).signSecretKey));
  return { decision, reason: sealedReason, notice, onDay, signature };
}

/** POSTs a signed protection decision. */
export async function decideProtection(app: FastifyInstance, auth: string, request: { id: string; caseId: string }, decision: 'granted' | 'refused') {
  return app.inject({
    method: 'POST', url: `/v1/staff/protection/${request.id}/decision`, headers: { authorization: auth }, payload: await signedDecision(auth, request, decision),
  });
}

/**
 * A protection request as POST /v1/case/protection stores one, without the sealed details
 * the route checks against a published bundle (these agencies publish none); its id.
 */
export async function storeProtectionRequest(db: Database, agencyId: string, caseId: string, urgent: boolean): Promise<string> {
  const id = randomUUID();
  const { jurisdiction, calendar } = await agencyRules(db, agencyId);
  const requestedOn = utcToDay(Date.now());
  const profile = rulesInForce(jurisdiction, requestedOn);
  const dueOn = addPeriod(requestedOn, urgent ? profile.protection.urgentWithin : profile.protection.decideWithin, calendar);
  const stored = await insertProtectionRequest(db, {
    id, caseId, agencyId, urgent, requestedOn, dueOn, sealedDetails: randomBytes(200), threshold: 1, denouncerKey: randomBytes(114), shares: [],
  });
  if (!stored) throw new Error('the protection request was not stored');
  return id;
}
