import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { generateStaffKeys, loadBackend, sealCase } from '../../src/protocol/index.js';
import type { Database } from '../../src/server/db/connect.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, type Person, publishBundleOf } from '../server/staff-kit.js';

// An attacker who can write to the database, against the unmodified staff client: they
// hand an investigator a case of their own making (an envelope under a content key they
// chose, wrapped to the investigator) dressed up as assigned by an intake officer, or
// tamper with a genuine grant's signature or granter. The client must refuse each key
// before it opens anything; a genuine grant, and an intake officer's key wrapped at
// submission, still open.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError) => e.code ?? String(e));

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const colleague = await newStaff(app, agency, ['investigator', 'supervisor']);
  await publishBundleOf(agency);
  const { caseId } = await newCase(database.db, agency, { intake: [intake] });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  return { db: database.db, agency, intake, investigator, colleague, caseId };
}

const keyRow = (db: Database, caseId: string, staffId: string) =>
  db.updateTable('case_keys').where('case_id', '=', caseId).where('staff_id', '=', staffId);

/** The attacker's own case: the body they want read, sealed under a content key they chose, wrapped to `to`. */
async function fabricate(agencyId: string, caseId: string, to: Person) {
  const be = await loadBackend();
  const sealed = await sealCase(be, {
    ctx: { agencyId, caseId }, body: new TextEncoder().encode('the whistle-blower must call this number'),
    recipients: [{ staffId: to.staffId, boxPublicKey: to.keys.boxPublicKey }], denouncerPublicKey: generateStaffKeys(be).boxPublicKey,
  });
  return { envelope: sealed.envelope, wrapped: sealed.recipientKeys[0]!.wrapped };
}

t.setTimeout(300_000);

t.test('a genuine grant opens; the server stores its signature beside the key', async (t) => {
  const { db, intake, investigator, caseId } = await setup(t);
  const row = await db.selectFrom('case_keys').select(['granted_by', 'signature']).where('case_id', '=', caseId).where('staff_id', '=', investigator.staffId).executeTakeFirstOrThrow();
  t.equal(row.granted_by, intake.staffId);
  t.equal(row.signature?.length, 64, 'the verified grant signature is kept');
  const intakeRow = await db.selectFrom('case_keys').select(['granted_by', 'signature']).where('case_id', '=', caseId).where('staff_id', '=', intake.staffId).executeTakeFirstOrThrow();
  t.same([intakeRow.granted_by, intakeRow.signature], [null, null], 'a key wrapped at submission carries no grant');
  const opened = await investigator.client.openCase(caseId, investigator.keys);
  t.equal(new TextDecoder().decode(opened.body), 'the mayor takes bribes');
  t.equal(opened.detail.keyGrant?.grantedBy, intake.staffId);
  t.ok(await intake.client.openCase(caseId, intake.keys), 'the intake officer opens the key the case was sealed with');
});

t.test('a fabricated case under a genuine grant\'s name is refused', async (t) => {
  const { db, agency, investigator, caseId } = await setup(t);
  const forged = await fabricate(agency.agencyId, caseId, investigator);
  await db.updateTable('cases').set({ envelope: forged.envelope }).where('id', '=', caseId).execute();
  await keyRow(db, caseId, investigator.staffId).set({ wrapped: forged.wrapped }).execute();
  t.equal(await codeOf(investigator.client.openCase(caseId, investigator.keys)), 'signature_invalid', 'the grant signature does not cover the substituted key');

  // The same forgery passed off as a key wrapped at submission: an investigator is no intake recipient.
  await keyRow(db, caseId, investigator.staffId).set({ granted_by: null, signature: null }).execute();
  t.equal(await codeOf(investigator.client.openCase(caseId, investigator.keys)), 'not_in_bundle', 'an investigator holds no submission-time key');
});

t.test('a stripped or altered grant signature is refused', async (t) => {
  const { db, investigator, caseId } = await setup(t);
  const { signature } = await db.selectFrom('case_keys').select('signature').where('case_id', '=', caseId).where('staff_id', '=', investigator.staffId).executeTakeFirstOrThrow();
  const altered = new Uint8Array(signature!);
  altered[10]! ^= 1;
  await keyRow(db, caseId, investigator.staffId).set({ signature: altered }).execute();
  t.equal(await codeOf(investigator.client.openCase(caseId, investigator.keys)), 'signature_invalid', 'altered');
  await keyRow(db, caseId, investigator.staffId).set({ signature: null }).execute();
  t.equal(await codeOf(investigator.client.openCase(caseId, investigator.keys)), 'signature_invalid', 'stripped');
  await keyRow(db, caseId, investigator.staffId).set({ signature: new Uint8Array(signature!) }).execute();
  const restored = await investigator.client.openCase(caseId, investigator.keys);
  t.equal(new TextDecoder().decode(restored.body), 'the mayor takes bribes', 'restored, it opens again');
});

t.test('a granter who may not grant, or whom the bundle does not list, is refused', async (t) => {
  const { db, agency, investigator, colleague, caseId } = await setup(t);
  await keyRow(db, caseId, investigator.staffId).set({ granted_by: colleague.staffId }).execute();
  t.equal(await codeOf(investigator.client.openCase(caseId, investigator.keys)), 'not_in_bundle', 'an investigator and supervisor may not grant');

  const stranger = randomUUID();
  await db.insertInto('staff').values({
    id: stranger, agency_id: agency.agencyId, display_name: 'Intake Officer', roles: ['intake'], status: 'active',
    sign_public_key: generateStaffKeys(await loadBackend()).signPublicKey, box_public_key: investigator.keys.boxPublicKey,
  }).execute();
  await keyRow(db, caseId, investigator.staffId).set({ granted_by: stranger }).execute();
  t.equal(await codeOf(investigator.client.openCase(caseId, investigator.keys)), 'not_in_bundle', 'an "intake officer" the signed bundle does not list');
});

t.test('a transferred case opens for the other agency\'s intake only once the sending agency is pinned', async (t) => {
  const { app, database } = await createTestApp(t);
  const [a, b] = [await newAgency(app, database.db, 'thanh-tra'), await newAgency(app, database.db, 'cong-an')];
  const intakeA = await newStaff(app, a, ['intake']);
  const intakeB = await newStaff(app, b, ['intake']);
  await publishBundleOf(a);
  await publishBundleOf(b);
  const { caseId } = await newCase(database.db, a, { intake: [intakeA] });
  intakeA.trust.pin(b.agencyId, b.fingerprint);
  await intakeA.client.grant(caseId, { staffId: intakeB.staffId, agencyId: b.agencyId }, intakeA.keys);
  t.equal(await codeOf(intakeB.client.openCase(caseId, intakeB.keys)), 'agency_unpinned', 'the granter\'s key comes only from a pinned bundle');
  intakeB.trust.pin(a.agencyId, a.fingerprint);
  t.equal(new TextDecoder().decode((await intakeB.client.openCase(caseId, intakeB.keys)).body), 'the mayor takes bribes');
});
