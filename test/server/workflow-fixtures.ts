import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadBackend, receiptVerifier, toBase64Url } from '../../src/protocol/index.js';
import type { Database } from '../../src/server/db/connect.js';
import type { StaffRole } from '../../src/server/db/schema.js';
import { createSession } from '../../src/server/db/sessions.js';

// An agency, its staff with live sessions, and cases inserted as a submission would
// leave them (RECEIVED, sealed bytes opaque), dated as a script needs.

export async function makeAgency(db: Database, profile = 'VN-2018'): Promise<string> {
  const id = randomUUID();
  await db.insertInto('agencies').values({ id, slug: `a-${id.slice(0, 8)}`, name: 'Thanh tra tỉnh', profile, signing_public_key: randomBytes(32) }).execute();
  return id;
}

export async function makeStaff(db: Database, agencyId: string, roles: StaffRole[]): Promise<{ id: string; auth: string }> {
  const id = randomUUID();
  await db.insertInto('staff').values({ id, agency_id: agencyId, display_name: roles.join('+'), roles, status: 'active', sign_public_key: randomBytes(32), box_public_key: randomBytes(32) }).execute();
  const { token } = await createSession(db, id, { idleSeconds: 3600, maxSeconds: 7200 });
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

export function sealedNotice() {
  return { messageId: randomUUID(), ciphertext: toBase64Url(randomBytes(96)), signature: toBase64Url(randomBytes(64)) };
}

export const reason = () => toBase64Url(randomBytes(48));

const owesNotice = new Set(['accept', 'not_accept', 'transfer', 'extend', 'suspend', 'resume', 'terminate', 'conclude']);

/** POSTs one transition, with a sealed notice when the law owes one unless `notice` says otherwise. */
export async function transition(
  app: FastifyInstance, auth: string, caseId: string, body: Record<string, unknown>, notice = owesNotice.has(String(body['action'])),
) {
  const res = await app.inject({
    method: 'POST', url: `/v1/staff/cases/${caseId}/transitions`, headers: { authorization: auth },
    payload: { reason: reason(), ...body, ...(notice ? { notice: sealedNotice() } : {}) },
  });
  return { status: res.statusCode, body: res.json() };
}
