import { randomUUID } from 'node:crypto';
import {
  agencyFingerprint, deriveReceiptKeys, fromBase64Url, generateAgencyKeys, generateReceipt, sealCase, generateStaffKeys, loadBackend, signBundle, toBase64Url,
  type AgencyKeys, type Backend, type BundleContent, type StaffKeys, type StaffRole,
} from '../../src/protocol/index.js';
import { defaultJurisdictionId } from '../../src/domain/index.js';
import type { Database } from '../../src/server/db/connect.js';
import type { Submission } from '../../src/server/db/submissions.js';

// A test agency written straight into the database: its signing keys, active staff with
// key pairs, and a signed key bundle listing them — what an admin and a key ceremony
// would produce. The secret keys are returned so tests can play every role.

export interface FixtureStaff { id: string; roles: StaffRole[]; keys: StaffKeys; displayName: string }

export interface FixtureAgency {
  id: string;
  slug: string;
  name: string;
  keys: AgencyKeys;
  fingerprint: string;
  staff: FixtureStaff[];
  bundle: BundleContent;
  be: Backend;
  /** Staff holding a role, in creation order. */
  withRole(role: StaffRole): FixtureStaff[];
}

export interface AgencyOptions {
  slug?: string;
  name?: string;
  intake?: number;
  custodians?: number;
  investigators?: number;
  threshold?: number;
  profile?: string;
  /** Staff with several roles, e.g. [['intake', 'custodian']]. */
  extraStaff?: StaffRole[][];
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export async function createTestAgency(db: Database, options: AgencyOptions = {}): Promise<FixtureAgency> {
  const be = await loadBackend('sodium');
  const id = randomUUID();
  const slug = options.slug ?? `agency-${id.slice(0, 8)}`;
  const name = options.name ?? `Test inspectorate ${slug}`;
  const keys = generateAgencyKeys(be);
  const roles: StaffRole[][] = [
    ...Array.from({ length: options.intake ?? 1 }, () => ['intake'] as StaffRole[]),
    ...Array.from({ length: options.custodians ?? 0 }, () => ['custodian'] as StaffRole[]),
    ...Array.from({ length: options.investigators ?? 0 }, () => ['investigator'] as StaffRole[]),
    ...(options.extraStaff ?? []),
  ];
  const staff = roles.map((r, i) => ({ id: randomUUID(), roles: r, keys: generateStaffKeys(be), displayName: `${r.join('+')} ${i + 1}` }));
  await db
    .insertInto('agencies')
    .values({ id, slug, name, signing_public_key: keys.publicKey, ...(options.profile ? { profile: options.profile } : {}) })
    .execute();
  if (staff.length > 0) {
    await db
      .insertInto('staff')
      .values(staff.map((s) => ({
        id: s.id, agency_id: id, display_name: s.displayName, roles: s.roles, status: 'active' as const,
        sign_public_key: s.keys.signPublicKey, box_public_key: s.keys.boxPublicKey,
      })))
      .execute();
  }
  const today = new Date();
  const bundle: BundleContent = {
    version: 1,
    agencyId: id,
    agencySlug: slug,
    jurisdiction: options.profile ?? defaultJurisdictionId,
    serial: 1,
    threshold: options.threshold ?? Math.max(1, Math.min(2, options.custodians ?? 0)),
    issuedOn: isoDay(new Date(today.getTime() - 86_400_000)),
    expiresOn: isoDay(new Date(today.getTime() + 365 * 86_400_000)),
    staff: staff.map((s) => ({ staffId: s.id, displayName: s.displayName, roles: s.roles, signPublicKey: toBase64Url(s.keys.signPublicKey), boxPublicKey: toBase64Url(s.keys.boxPublicKey) })),
  };
  await publishBundle(db, be, bundle, keys);
  return {
    id, slug, name, keys, staff, bundle, be,
    fingerprint: agencyFingerprint(be, keys.publicKey),
    withRole: (role) => staff.filter((s) => s.roles.includes(role)),
  };
}

/** Signs and stores a bundle (e.g. a later serial with other staff). */
export async function publishBundle(db: Database, be: Backend, content: BundleContent, keys: AgencyKeys): Promise<void> {
  const signed = signBundle(be, content, keys.secretKey);
  await db
    .insertInto('key_bundles')
    .values({ agency_id: content.agencyId, serial: content.serial, payload: signed.payload, signature: signed.signature })
    .execute();
}

export interface TestSubmission {
  receipt: string;
  authKey: Uint8Array;
  authorization: string;
  caseId: string;
  /** The JSON body for POST /v1/cases. */
  body: Record<string, unknown>;
}

/** Seals a case to an agency's intake officers (and custodians when identity is given) as a client would. */
export async function sealTestCase(
  agency: FixtureAgency,
  text: string,
  options: { identity?: string; kind?: string } = {},
): Promise<TestSubmission> {
  const { be } = agency;
  const receipt = generateReceipt(be);
  const keys = deriveReceiptKeys(be, receipt);
  const caseId = randomUUID();
  const recipient = (s: FixtureStaff) => ({ staffId: s.id, boxPublicKey: s.keys.boxPublicKey });
  const custodians = agency.withRole('custodian').map(recipient);
  const sealed = await sealCase(be, {
    ctx: { agencyId: agency.id, caseId },
    body: new TextEncoder().encode(text),
    recipients: agency.withRole('intake').map(recipient),
    denouncerPublicKey: keys.replyKeyPair.publicKey,
    ...(options.identity !== undefined
      ? { identity: { data: new TextEncoder().encode(options.identity), custodians, threshold: agency.bundle.threshold } }
      : {}),
  });
  const b = toBase64Url;
  const body: Record<string, unknown> = {
    caseId,
    agencyId: agency.id,
    kind: options.kind ?? 'denunciation',
    envelope: b(sealed.envelope),
    verifier: b(keys.verifier),
    denouncerKey: b(sealed.denouncerKey),
    recipientKeys: sealed.recipientKeys.map((k) => ({ staffId: k.staffId, wrapped: b(k.wrapped) })),
  };
  if (sealed.identity) {
    body['identity'] = {
      block: b(sealed.identity.block),
      denouncerKey: b(sealed.identity.denouncerKey),
      threshold: sealed.identity.threshold,
      shares: sealed.identity.shares.map((k) => ({ staffId: k.staffId, wrapped: b(k.wrapped) })),
    };
  }
  return { receipt, authKey: keys.authKey, authorization: `Receipt ${b(keys.authKey)}`, caseId, body };
}

/** A test submission's body as the route decodes it, checked against bundle serial 1 (no identity block). */
export function submissionOf(sub: TestSubmission): Submission {
  const b = sub.body as { caseId: string; agencyId: string; kind: string; envelope: string; verifier: string; denouncerKey: string; recipientKeys: { staffId: string; wrapped: string }[] };
  return {
    caseId: b.caseId, agencyId: b.agencyId, kind: b.kind, bundleSerial: 1, verifier: fromBase64Url(b.verifier),
    envelope: fromBase64Url(b.envelope), denouncerKey: fromBase64Url(b.denouncerKey),
    recipientKeys: b.recipientKeys.map((k) => ({ staffId: k.staffId, wrapped: fromBase64Url(k.wrapped) })),
  };
}
