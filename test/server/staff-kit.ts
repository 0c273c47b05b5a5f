import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpClient } from '../../src/client/http.js';
import { StaffClient, createAgency, enrol, login } from '../../src/client/staff.js';
import { proposeBundle, publishBundle } from '../../src/client/staff-bundle.js';
import { MemoryTrustStore } from '../../src/client/staff-trust.js';
import {
  agencyFingerprint, deriveReceiptKeys, fromBase64Url, generateAgencyKeys, generateReceipt, loadBackend, sealCase, staffKeyFingerprint,
  type AgencyKeys, type BundleRecovery, type StaffKeys, type StaffRole,
} from '../../src/protocol/index.js';
import { issueBootstrapCode } from '../../src/server/db/agencies.js';
import type { Database } from '../../src/server/db/connect.js';
import { submitCase } from '../../src/server/db/submissions.js';

// Builds agencies, staff and cases through the real API and the real staff SDK,
// talking to the app with inject() (no port).

export function injectHttp(app: FastifyInstance): HttpClient {
  return new HttpClient({
    baseUrl: 'http://tipline.test',
    fetch: async (input, init) => {
      const url = new URL(input);
      const res = await app.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: url.pathname + url.search,
        headers: (init?.headers ?? {}) as Record<string, string>,
        // Bytes as bytes: inject would send any other object as its JSON.
        ...(init?.body !== undefined ? { payload: init.body instanceof Uint8Array ? Buffer.from(init.body) : init.body as string } : {}),
      });
      return new Response(res.statusCode === 204 ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: res.headers as Record<string, string> });
    },
  });
}

/** `trust`: this person's own pins, starting with their agency's (as their invitation gave it). */
export interface Person { staffId: string; keys: StaffKeys; roles: StaffRole[]; client: StaffClient; trust: MemoryTrustStore }
/** `enrolled`: the key fingerprint of every member, as each would read theirs to the admin from `staff enrol`. */
export interface Agency { agencyId: string; slug: string; agencyKeys: AgencyKeys; fingerprint: string; admin: Person; enrolled: string[] }

const keyFingerprint = async (keys: StaffKeys) => staffKeyFingerprint(await loadBackend(), keys.signPublicKey, keys.boxPublicKey);

/**
 * The admin publishes the next bundle, accepting the key of every member still active as
 * each read it out (test/attacks/staff-bundle-publish.test.ts: what happens otherwise).
 */
export async function publishBundleOf(agency: Agency, opts: { threshold?: number; recovery?: BundleRecovery | null; validDays?: number } = {}) {
  const { added, changed } = await proposeBundle(agency.admin.client);
  const proposed = new Set([...added, ...changed].map((m) => m.fingerprint));
  return publishBundle(agency.admin.client, agency.agencyKeys, { accept: agency.enrolled.filter((f) => proposed.has(f)), ...opts });
}

export async function newAgency(app: FastifyInstance, db: Database, slug: string): Promise<Agency> {
  const http = injectHttp(app);
  const be = await loadBackend();
  const agencyKeys = generateAgencyKeys(be);
  const bootstrapCode = (await issueBootstrapCode(db, true))!;
  const made = await createAgency(http, { bootstrapCode, slug, name: `Agency ${slug}`, agencyPublicKey: agencyKeys.publicKey, adminName: 'Admin' });
  const keys = await enrol(http, app.config.origin, made.admin.staffId, made.admin.enrolmentCode);
  const session = await login(http, made.admin.staffId, keys);
  const fingerprint = agencyFingerprint(be, agencyKeys.publicKey);
  const trust = new MemoryTrustStore({ [made.agencyId]: fingerprint });
  const admin = { staffId: made.admin.staffId, keys, roles: ['admin'] as StaffRole[], client: new StaffClient(http, session, trust), trust };
  return { agencyId: made.agencyId, slug, agencyKeys, fingerprint, admin, enrolled: [await keyFingerprint(keys)] };
}

export async function newStaff(app: FastifyInstance, agency: Agency, roles: StaffRole[], name = roles.join('+')): Promise<Person> {
  const http = injectHttp(app);
  const invite = await agency.admin.client.invite(name, roles);
  const keys = await enrol(http, app.config.origin, invite.staffId, invite.enrolmentCode);
  const session = await login(http, invite.staffId, keys);
  const trust = new MemoryTrustStore({ [agency.agencyId]: agency.fingerprint });
  agency.enrolled.push(await keyFingerprint(keys));
  return { staffId: invite.staffId, keys, roles, client: new StaffClient(http, session, trust), trust };
}

/** Submits a case sealed to the agency's intake officers (and custodians, with an identity). */
export async function newCase(
  db: Database,
  agency: Agency,
  to: { intake: Person[]; custodians?: Person[]; threshold?: number },
  body = 'the mayor takes bribes',
): Promise<{ caseId: string; receipt: string }> {
  const be = await loadBackend();
  const caseId = randomUUID();
  const receipt = generateReceipt(be);
  const rk = deriveReceiptKeys(be, receipt);
  const custodians = to.custodians ?? [];
  const sealed = await sealCase(be, {
    ctx: { agencyId: agency.agencyId, caseId },
    body: new TextEncoder().encode(body),
    recipients: to.intake.map((p) => ({ staffId: p.staffId, boxPublicKey: p.keys.boxPublicKey })),
    denouncerPublicKey: rk.replyKeyPair.publicKey,
    ...(custodians.length
      ? { identity: { data: new TextEncoder().encode('Nguyen Van A, Ha Noi'), custodians: custodians.map((p) => ({ staffId: p.staffId, boxPublicKey: p.keys.boxPublicKey })), threshold: to.threshold ?? 2 } }
      : {}),
  });
  const outcome = await submitCase(db, {
    caseId, agencyId: agency.agencyId, kind: 'denunciation', bundleSerial: 1, verifier: rk.verifier,
    envelope: sealed.envelope, denouncerKey: sealed.denouncerKey, recipientKeys: sealed.recipientKeys,
    ...(sealed.identity ? { identity: sealed.identity } : {}),
  });
  if (outcome.outcome !== 'created') throw new Error(`case not created: ${outcome.outcome}`);
  return { caseId, receipt };
}

export const decode = (b64: string) => new TextDecoder().decode(fromBase64Url(b64));
