import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { approveIdentity, identityRequests, refuseIdentity, requestIdentity } from '../../src/client/staff-identity.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import {
  generateAgencyKeys, generateStaffKeys, grantContentKey, loadBackend, sealMessage, signBundle, signDetached, toBase64Url,
  type BundleContent, type StaffKeys, type StaffRole,
} from '../../src/protocol/index.js';
import { identityRequestSigningBytes } from '../../src/protocol/signing-bytes.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, type Agency, type Person, publishBundleOf } from '../server/staff-kit.js';
import type { Database } from '../../src/server/db/connect.js';

// An attacker who can write to the database, against the unmodified staff client:
// (1) swaps the agency's signing key and publishes a self-signed bundle listing their own
// "intake officer"; (2) plants identity requests — unsigned, or signed by a key the
// agency's pinned bundle does not list — for a custodian to approve. Every attempt must
// be refused by the client before it seals a case key or releases a share.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError) => e.code ?? String(e));

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const custodians = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])];
  await publishBundleOf(agency, { threshold: 2 });
  const { caseId } = await newCase(database.db, agency, { intake: [intake], custodians, threshold: 2 });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  return { app, db: database.db, agency, intake, investigator, custodians, caseId };
}

/** The attacker's own staff member, written straight into the staff table with keys only they hold. */
async function plantStaff(db: Database, agency: Agency, roles: StaffRole[]): Promise<{ staffId: string; keys: StaffKeys }> {
  const keys = generateStaffKeys(await loadBackend());
  const staffId = randomUUID();
  await db.insertInto('staff').values({
    id: staffId, agency_id: agency.agencyId, display_name: 'Intake Officer', roles, status: 'active',
    sign_public_key: keys.signPublicKey, box_public_key: keys.boxPublicKey,
  }).execute();
  return { staffId, keys };
}

/** Swaps agencies.signing_public_key and publishes the next serial, signed by the attacker's key, listing `extra`. */
async function substituteAgencyKey(db: Database, agency: Agency, extra: { staffId: string; keys: StaffKeys }): Promise<void> {
  const be = await loadBackend();
  const attackerAgency = generateAgencyKeys(be);
  const current = await db.selectFrom('key_bundles').select(['serial', 'payload']).where('agency_id', '=', agency.agencyId).orderBy('serial', 'desc').executeTakeFirstOrThrow();
  const real = JSON.parse(new TextDecoder().decode(current.payload)) as BundleContent;
  const forged: BundleContent = {
    ...real, serial: current.serial + 1,
    staff: [...real.staff, { staffId: extra.staffId, displayName: 'Cán bộ tiếp nhận', roles: ['intake', 'investigator'], signPublicKey: toBase64Url(extra.keys.signPublicKey), boxPublicKey: toBase64Url(extra.keys.boxPublicKey) }],
  };
  const signed = signBundle(be, forged, attackerAgency.secretKey);
  await db.updateTable('agencies').set({ signing_public_key: attackerAgency.publicKey }).where('id', '=', agency.agencyId).execute();
  await db.insertInto('key_bundles').values({ agency_id: agency.agencyId, serial: forged.serial, payload: signed.payload, signature: signed.signature }).execute();
}

/** A request row as the attacker writes it: reason sealed, request key wrapped to the custodians, any signature. */
async function plantRequest(db: Database, caseId: string, agencyId: string, requesterId: string, custodians: Person[], sign: (bytes: Uint8Array) => Uint8Array) {
  const be = await loadBackend();
  const ctx = { agencyId, caseId };
  const id = randomUUID();
  const requestKey = be.randomBytes(32);
  const reason = sealMessage(be, ctx, requestKey, { messageId: id, direction: 'to_denouncer', plaintext: new TextEncoder().encode('routine check') });
  await db.insertInto('identity_requests').values({ id, case_id: caseId, requester_id: requesterId, reason, signature: sign(identityRequestSigningBytes(caseId, id, reason, be)) }).execute();
  await db.insertInto('identity_request_keys').values(custodians.map((c) => ({ request_id: id, staff_id: c.staffId, wrapped: grantContentKey(be, ctx, requestKey, c.keys.boxPublicKey) }))).execute();
  return id;
}

const keysFor = (db: Database, caseId: string, staffId: string) =>
  db.selectFrom('case_keys').select('id').where('case_id', '=', caseId).where('staff_id', '=', staffId).execute();
const decisionsOn = (db: Database, requestId: string) =>
  db.selectFrom('identity_decisions').select('custodian_id').where('request_id', '=', requestId).execute();

t.setTimeout(600_000);

t.test('a swapped agency key and a self-signed bundle: case assign refuses the attacker\'s "intake officer"', async (t) => {
  const { db, agency, intake, investigator, caseId } = await setup(t);
  t.equal((await keysFor(db, caseId, investigator.staffId)).length, 1, 'before the attack, a grant to a colleague in the bundle goes through');
  const attacker = await plantStaff(db, agency, ['intake']);
  await substituteAgencyKey(db, agency, attacker);

  t.equal(await codeOf(intake.client.grant(caseId, { staffId: attacker.staffId }, intake.keys)), 'bundle_invalid', 'the grant is refused');
  t.same(await keysFor(db, caseId, attacker.staffId), [], 'no case key was sealed to the attacker');
  t.equal(await codeOf(intake.client.verifiedBundle()), 'bundle_invalid', 'nothing from the forged bundle is used');
});

t.test('an unpinned agency fails closed and says how to pin', async (t) => {
  const { app, db, intake, caseId } = await setup(t);
  const other = await newAgency(app, db, 'other-agency');
  const theirIntake = await newStaff(app, other, ['intake']);
  await publishBundleOf(other);
  const err = await intake.client.grant(caseId, { staffId: theirIntake.staffId, agencyId: other.agencyId }, intake.keys).catch((e: StaffTrustError) => e);
  t.equal((err as StaffTrustError).code, 'agency_unpinned');
  t.match((err as Error).message, /tipline agency pin/);
  intake.trust.pin(other.agencyId, other.fingerprint);
  await intake.client.grant(caseId, { staffId: theirIntake.staffId, agencyId: other.agencyId }, intake.keys);
  t.equal((await keysFor(db, caseId, theirIntake.staffId)).length, 1, 'once pinned (from the other agency), the transfer grant works');
});

t.test('custodians refuse forged identity requests and release no share', async (t) => {
  const { db, agency, investigator, custodians, caseId } = await setup(t);
  const be = await loadBackend();
  const [c1] = custodians as [Person, Person];
  const shown: string[] = [];
  const confirm = (review: { request: { identityRequestId: string } }) => { shown.push(review.request.identityRequestId); return true; };

  const unsigned = await plantRequest(db, caseId, agency.agencyId, investigator.staffId, custodians, () => new Uint8Array(64));
  t.equal(await codeOf(approveIdentity(c1.client, unsigned, c1.keys, confirm)), 'signature_invalid', 'an unsigned request "by" the investigator');

  const impostor = await plantStaff(db, agency, ['investigator']);
  const byImpostor = await plantRequest(db, caseId, agency.agencyId, impostor.staffId, custodians,
    (bytes) => signDetached(be, 'identity-request', bytes, impostor.keys.signSecretKey));
  t.equal(await codeOf(approveIdentity(c1.client, byImpostor, c1.keys, confirm)), 'not_in_bundle', 'a request signed by a staff key the pinned bundle does not list');

  const wrongKey = await plantRequest(db, caseId, agency.agencyId, investigator.staffId, custodians,
    (bytes) => signDetached(be, 'identity-request', bytes, impostor.keys.signSecretKey));
  t.equal(await codeOf(approveIdentity(c1.client, wrongKey, c1.keys, confirm)), 'signature_invalid', "the investigator's name on the impostor's signature");
  t.equal(await codeOf(refuseIdentity(c1.client, wrongKey, 'no', c1.keys)), 'signature_invalid', 'nothing is sealed under a forged request key either');
  t.match(await codeOf(identityRequests(c1.client)), /^(signature_invalid|not_in_bundle)$/, 'the inbox refuses to show forged requests as genuine');

  for (const id of [unsigned, byImpostor, wrongKey]) t.same(await decisionsOn(db, id), [], 'no decision, no share was released');
  t.same(shown, [], 'the custodian was never asked to confirm a forged request');

  // The same custodian approves the genuine request, after seeing it.
  const genuine = await requestIdentity(investigator.client, caseId, 'we need to interview the witness', investigator.keys);
  t.equal(await approveIdentity(c1.client, genuine, c1.keys, confirm), 'pending');
  t.same(shown, [genuine]);
});

t.test('a swapped agency key also stops custodians', async (t) => {
  const { db, agency, investigator, custodians, caseId } = await setup(t);
  const [c1] = custodians as [Person, Person];
  const attacker = await plantStaff(db, agency, ['investigator']);
  await substituteAgencyKey(db, agency, attacker);
  const be = await loadBackend();
  const forged = await plantRequest(db, caseId, agency.agencyId, attacker.staffId, custodians,
    (bytes) => signDetached(be, 'identity-request', bytes, attacker.keys.signSecretKey));
  t.equal(await codeOf(approveIdentity(c1.client, forged, c1.keys)), 'bundle_invalid', "the attacker's bundle lists them, but it is not signed by the pinned key");
  t.same(await decisionsOn(db, forged), []);
  t.equal(await codeOf(requestIdentity(investigator.client, caseId, 'why', investigator.keys)), 'bundle_invalid', 'no reason key is wrapped to custodians of a forged bundle');
});
