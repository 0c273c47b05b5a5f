import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { defaultJurisdictionId } from '../../src/domain/index.js';
import type { Database } from '../../src/server/db/connect.js';
import {
  deriveReceiptKeys,
  generateAgencyKeys,
  generateReceipt,
  generateStaffKeys,
  sealCase,
  signBundle,
  toBase64Url,
  type Backend,
  type StaffKeys,
  type StaffRole,
} from '../../src/protocol/index.js';

// Bench fixtures written straight to the database: one agency, its staff and a signed
// key bundle; then cases sealed ahead of time, so the load measures the server and
// not the client's cryptography.

export interface SeededStaff { staffId: string; roles: StaffRole[]; keys: StaffKeys }
export interface SeededAgency {
  agencyId: string;
  slug: string;
  staff: SeededStaff[];
  /** The agency's signing key: its fingerprint is the pin a staff client checks bundles against. */
  publicKey: Uint8Array;
}

const today = () => new Date().toISOString().slice(0, 10);

export async function seedAgency(db: Database, be: Backend): Promise<SeededAgency> {
  const agency = generateAgencyKeys(be);
  const agencyId = randomUUID();
  const slug = `bench-${agencyId.slice(0, 8)}`;
  await sql`insert into agencies (id, slug, name, signing_public_key) values (${agencyId}, ${slug}, 'Bench inspectorate', ${agency.publicKey})`.execute(db);
  const roles: StaffRole[][] = [['intake'], ['investigator'], ['custodian'], ['supervisor']];
  const staff: SeededStaff[] = [];
  for (const r of roles) {
    const keys = generateStaffKeys(be);
    const staffId = randomUUID();
    await sql`insert into staff (id, agency_id, display_name, roles, status, sign_public_key, box_public_key)
      values (${staffId}, ${agencyId}, ${r.join('+')}, ${r}, 'active', ${keys.signPublicKey}, ${keys.boxPublicKey})`.execute(db);
    staff.push({ staffId, roles: r, keys });
  }
  const expires = new Date(Date.now() + 365 * 86400_000).toISOString().slice(0, 10);
  const bundle = signBundle(
    be,
    {
      version: 1,
      agencyId,
      agencySlug: slug,
      jurisdiction: defaultJurisdictionId,
      serial: 1,
      threshold: 1,
      issuedOn: today(),
      expiresOn: expires,
      staff: staff.map((s) => ({ staffId: s.staffId, displayName: s.roles.join('+'), roles: s.roles, signPublicKey: toBase64Url(s.keys.signPublicKey), boxPublicKey: toBase64Url(s.keys.boxPublicKey) })),
    },
    agency.secretKey,
  );
  await sql`insert into key_bundles (agency_id, serial, payload, signature) values (${agencyId}, 1, ${bundle.payload}, ${bundle.signature})`.execute(db);
  return { agencyId, slug, staff, publicKey: agency.publicKey };
}

export interface PresealedCase {
  caseId: string;
  /** The JSON body of POST /v1/cases, ready to send. */
  body: string;
  /** base64url auth key for `Authorization: Receipt …`. */
  authKey: string;
}

/** A case body of the typical size: about 2 KiB of text before padding. */
export async function presealCases(be: Backend, agency: SeededAgency, count: number, onProgress?: (n: number) => void): Promise<PresealedCase[]> {
  const intake = agency.staff.filter((s) => s.roles.includes('intake'));
  const text = new TextEncoder().encode('Bench case: procurement irregularities at the district office. '.repeat(32));
  const out: PresealedCase[] = [];
  for (let i = 0; i < count; i++) {
    const caseId = randomUUID();
    const receipt = deriveReceiptKeys(be, generateReceipt(be));
    const sealed = await sealCase(be, {
      ctx: { agencyId: agency.agencyId, caseId },
      body: text,
      recipients: intake.map((s) => ({ staffId: s.staffId, boxPublicKey: s.keys.boxPublicKey })),
      denouncerPublicKey: receipt.replyKeyPair.publicKey,
    });
    const body = JSON.stringify({
      caseId,
      agencyId: agency.agencyId,
      kind: 'denunciation',
      envelope: toBase64Url(sealed.envelope),
      verifier: toBase64Url(receipt.verifier),
      denouncerKey: toBase64Url(sealed.denouncerKey),
      recipientKeys: sealed.recipientKeys.map((k) => ({ staffId: k.staffId, wrapped: toBase64Url(k.wrapped) })),
    });
    out.push({ caseId, body, authKey: toBase64Url(receipt.authKey) });
    if (i % 500 === 0) onProgress?.(i);
  }
  return out;
}
