import t from 'tap';
import { proposeBundle } from '../../src/client/staff-bundle.js';
import { rotateKeys, rotationStatus } from '../../src/client/staff-rotation.js';
import {
  generateStaffKeys, grantContentKey, loadBackend, rotationSigningBytes, sealCase, signBundle, signDetached, staffKeyFingerprint, toBase64Url, type StaffKeys,
} from '../../src/protocol/index.js';
import { checkSubmission } from '../../src/server/routes/cases/submission-checks.js';
import { createTestApp } from '../helpers/app.js';
import { injectHttp, newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';
import { StaffClient, login } from '../../src/client/staff.js';

// A lying server against key rotation and departure (PROTOCOL.md §7.1, §13): it tries to
// rotate a member into a key of its own, to publish the new key before every case has
// moved (losing cases), to keep a departed member in the bundle new cases are sealed
// from, and to pass off its own key to a case as one the member re-sealed.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: string }) => e.code ?? String(e));
const b = toBase64Url;

t.setTimeout(300_000);

t.test('rotation and departure against a lying server', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const be = await loadBackend();
  const agency = await newAgency(app, db, 'thanh-tra-tan-cong');
  const intake = await newStaff(app, agency, ['intake']);
  const member = await newStaff(app, agency, ['investigator']);
  const leaver = await newStaff(app, agency, ['intake']);
  await publishBundleOf(agency);
  const first = await newCase(db, agency, { intake: [intake, leaver] });
  await intake.client.grant(first.caseId, { staffId: member.staffId }, intake.keys);
  const statement = (old: StaffKeys, next: StaffKeys) => rotationSigningBytes({ agencyId: agency.agencyId, staffId: member.staffId, old, next });

  await t.test('a rotation not signed by the registered key is refused', async (t) => {
    const mine = generateStaffKeys(be);
    const bytes = statement(member.keys, mine);
    const forged = { signPublicKey: b(mine.signPublicKey), boxPublicKey: b(mine.boxPublicKey), oldSignature: b(signDetached(be, 'rotation', bytes, mine.signSecretKey)), newSignature: b(signDetached(be, 'rotation', bytes, mine.signSecretKey)) };
    t.equal(await codeOf(member.client.http.post('/v1/staff/rotation', forged)), 'crypto_failed');
  });

  await t.test('a rotation row the database writer made up is not signed in by the admin', async (t) => {
    const attacker = generateStaffKeys(be);
    const bytes = statement(attacker, attacker);
    await db.insertInto('staff_rotations').values({
      staff_id: member.staffId, new_sign_public_key: attacker.signPublicKey, new_box_public_key: attacker.boxPublicKey,
      old_signature: signDetached(be, 'rotation', bytes, attacker.signSecretKey), new_signature: signDetached(be, 'rotation', bytes, attacker.signSecretKey),
    }).execute();
    t.equal(await codeOf(rotationStatus(member.client)), 'rotation_unsigned', 'the member is not shown it as their own rotation');
    const proposal = await proposeBundle(agency.admin.client);
    t.ok(proposal.carried.some((s) => s.staffId === member.staffId), 'the member is carried with the keys the last bundle signed');
    t.notOk([...proposal.added, ...proposal.changed].some((m) => m.staffId === member.staffId), 'the attacker\'s key is not even proposed');
    await db.deleteFrom('staff_rotations').where('staff_id', '=', member.staffId).execute();
  });

  const next = generateStaffKeys(be);
  agency.enrolled.push(staffKeyFingerprint(be, next.signPublicKey, next.boxPublicKey));

  await t.test('the new key is not published while a key is still sealed only to the old one', async (t) => {
    await rotateKeys(member.client, member.keys, next);
    t.equal((await rotationStatus(member.client))?.signPublicKey, b(next.signPublicKey), 'the genuine rotation is shown to its member');
    const second = await newCase(db, agency, { intake: [intake, leaver] });
    await intake.client.grant(second.caseId, { staffId: member.staffId }, intake.keys);
    t.equal(await codeOf(publishBundleOf(agency)), 'bundle_invalid', 'the server refuses a bundle that would lose a case');
    t.same((await rotateKeys(member.client, member.keys, next)).unstaged, 0, 're-sealing again covers the new grant');
    await publishBundleOf(agency);
  });

  await t.test('a key the server passes off as re-sealed by the member is refused', async (t) => {
    const http = injectHttp(app);
    const renewed = new StaffClient(http, await login(http, member.staffId, next), member.trust);
    t.ok(await renewed.openCase(first.caseId, next), 'the genuine re-sealed key opens');
    const row = () => db.updateTable('case_keys').where('case_id', '=', first.caseId).where('staff_id', '=', member.staffId);
    const own = grantContentKey(be, { agencyId: agency.agencyId, caseId: first.caseId }, be.randomBytes(32), next.boxPublicKey);
    const { wrapped } = await db.selectFrom('case_keys').select('wrapped').where('case_id', '=', first.caseId).where('staff_id', '=', member.staffId).executeTakeFirstOrThrow();
    await row().set({ wrapped: own }).execute();
    t.equal(await codeOf(renewed.openCase(first.caseId, next)), 'signature_invalid', 'another key under the member\'s rekey signature');
    await row().set({ origin_digest: null, rekey_signature: null }).execute();
    t.equal(await codeOf(renewed.openCase(first.caseId, next)), 'signature_invalid', 'the rekey stripped: the grant does not cover the key');
    await row().set({ wrapped: new Uint8Array(wrapped) }).execute();
    t.equal(await codeOf(renewed.openCase(first.caseId, next)), 'signature_invalid', 'the genuine key with its rekey stripped');
  });

  await t.test('a bundle listing a departed member is refused, so no new case is sealed to them', async (t) => {
    const { flagged } = await agency.admin.client.deactivate(leaver.staffId);
    t.same(flagged, [], 'an intake officer\'s keys wrapped at submission leave no case unheld');
    const current = await agency.admin.client.verifiedBundle();
    t.ok(current.staff.some((s) => s.staffId === leaver.staffId), 'the bundle in force still lists them');
    const stale = signBundle(be, { ...current, serial: current.serial + 1 }, agency.agencyKeys.secretKey);
    const posted = agency.admin.client.http.post('/v1/admin/bundles', { payload: b(stale.payload), signature: b(stale.signature) });
    t.equal(await codeOf(posted), 'bundle_invalid', 'the server refuses to publish a bundle with a deactivated member');
    const next = await publishBundleOf(agency);
    t.notOk(next.content.staff.some((s) => s.staffId === leaver.staffId), 'the admin\'s client leaves them out');
    // A client that sealed from the old bundle anyway (or a server that wants the case):
    // the submission check takes recipients from the bundle in force, which lacks them.
    const caseId = crypto.randomUUID();
    const sealedToLeaver = await sealCase(be, {
      ctx: { agencyId: agency.agencyId, caseId }, body: new TextEncoder().encode('a new tip'),
      recipients: [intake, leaver].map((p) => ({ staffId: p.staffId, boxPublicKey: p.keys.boxPublicKey })), denouncerPublicKey: generateStaffKeys(be).boxPublicKey,
    });
    const submission = { caseId, agencyId: agency.agencyId, kind: 'denunciation', bundleSerial: next.content.serial, verifier: be.randomBytes(32), envelope: sealedToLeaver.envelope, denouncerKey: sealedToLeaver.denouncerKey, recipientKeys: sealedToLeaver.recipientKeys };
    t.match(checkSubmission(submission, next.content), /not a intake of the agency's current key bundle/, 'a case sealed to the departed key is refused');
    t.equal(checkSubmission({ ...submission, recipientKeys: sealedToLeaver.recipientKeys.filter((r) => r.staffId === intake.staffId) }, next.content), null, 'sealed from the bundle in force, it is taken');
  });
});
