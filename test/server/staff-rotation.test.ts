import t from 'tap';
import { submitCase } from '../../src/client/denouncer.js';
import { StaffClient, login } from '../../src/client/staff.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { requestIdentity, reviewRequest } from '../../src/client/staff-identity.js';
import { rotateKeys, rotationStatus } from '../../src/client/staff-rotation.js';
import { generateStaffKeys, loadBackend, staffKeyFingerprint, unwrapContentKey, unwrapRequestKey, unwrapShare, type StaffKeys } from '../../src/protocol/index.js';
import type { Database } from '../../src/server/db/connect.js';
import { injectFetch } from '../client/inject-fetch.js';
import { createTestApp } from '../helpers/app.js';
import { injectHttp, newAgency, newCase, newStaff, publishBundleOf, type Person } from './staff-kit.js';

// An agency's life over its keys (issue #20): an investigator rotates their keys, and
// every case and identity share they held opens with the new key only; another leaves,
// their keys are deleted, the case only they held is flagged, intake grants it again,
// and the next bundle, so every new case, leaves them out. On both databases.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: string }) => e.code ?? String(e));

/** Whether `keys` open each of the member's case keys, identity shares and identity requests' keys in the database. */
async function opensWith(db: Database, agencyId: string, staffId: string, keys: StaffKeys) {
  const be = await loadBackend();
  const pair = { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey };
  const rows = await db.selectFrom('case_keys').select(['case_id', 'wrapped']).where('staff_id', '=', staffId).execute();
  const shares = await db.selectFrom('identity_shares').select(['case_id', 'wrapped']).where('custodian_id', '=', staffId).execute();
  const requests = await db.selectFrom('identity_request_keys as k').innerJoin('identity_requests as r', 'r.id', 'k.request_id')
    .select(['r.case_id', 'k.wrapped']).where('k.staff_id', '=', staffId).execute();
  const tries = [
    ...rows.map((r) => () => unwrapContentKey(be, { agencyId, caseId: r.case_id }, new Uint8Array(r.wrapped), pair)),
    ...shares.map((r) => () => unwrapShare(be, { agencyId, caseId: r.case_id }, new Uint8Array(r.wrapped), pair)),
    ...requests.map((r) => () => unwrapRequestKey(be, { agencyId, caseId: r.case_id }, new Uint8Array(r.wrapped), pair)),
  ];
  return tries.map((f) => { try { f(); return true; } catch { return false; } });
}

t.setTimeout(300_000);

t.test('an investigator rotates, another leaves', async (t) => {
  const { app, database } = await createTestApp(t, { powDifficulty: 1 });
  const db = database.db;
  const agency = await newAgency(app, db, 'thanh-tra-xoay');
  const intake = await newStaff(app, agency, ['intake']);
  const rotating = await newStaff(app, agency, ['investigator', 'custodian'], 'Lan');
  const leaving = await newStaff(app, agency, ['investigator'], 'Minh');
  const custodian = await newStaff(app, agency, ['custodian']);
  const auditor = await newStaff(app, agency, ['auditor']);
  const asker = await newStaff(app, agency, ['investigator'], 'Hoa');
  await publishBundleOf(agency);
  const withIdentity = await newCase(db, agency, { intake: [intake], custodians: [rotating, custodian], threshold: 2 });
  const shared = await newCase(db, agency, { intake: [intake] }, 'the contract went to a cousin');
  const onlyLeaving = await newCase(db, agency, { intake: [intake] }, 'the school fund is gone');
  await intake.client.grant(withIdentity.caseId, { staffId: rotating.staffId }, intake.keys);
  await intake.client.grant(shared.caseId, { staffId: rotating.staffId }, intake.keys);
  await intake.client.grant(shared.caseId, { staffId: leaving.staffId }, intake.keys);
  await intake.client.grant(onlyLeaving.caseId, { staffId: leaving.staffId }, intake.keys);
  const held = [withIdentity.caseId, shared.caseId];
  // A colleague's identity request is open before them as custodian: its key, wrapped to them, must follow them too.
  await intake.client.grant(withIdentity.caseId, { staffId: asker.staffId }, intake.keys);
  const requestId = await requestIdentity(asker.client, withIdentity.caseId, 'to hear the witness', asker.keys);

  // 1. Rotation: staged and re-sealed on the member's machine; nothing changes yet.
  const be = await loadBackend();
  const next = generateStaffKeys(be);
  const progress: number[] = [];
  const staged = await rotateKeys(rotating.client, rotating.keys, next, (p) => progress.push(p.done));
  t.same(staged, { resealed: 4, unstaged: 0 }, 'two case keys, one identity share and one request key re-sealed');
  t.ok(progress.length > 0, 'progress was reported');
  t.same(await opensWith(db, agency.agencyId, rotating.staffId, rotating.keys), [true, true, true, true], 'until the bundle, the old key still opens everything');
  for (const caseId of held) t.ok(await rotating.client.openCase(caseId, rotating.keys), 'and the old session still works');

  // 2. The admin publishes a bundle with the new key, accepted by its fingerprint.
  agency.enrolled.push(staffKeyFingerprint(be, next.signPublicKey, next.boxPublicKey));
  const published = await publishBundleOf(agency);
  const member = published.content.staff.find((s) => s.staffId === rotating.staffId)!;
  t.equal(published.proposal.changed.find((m) => m.staffId === rotating.staffId)?.rotated, true, 'the admin saw a rotation signed by the old key');
  t.equal(await rotationStatus(rotating.client).then(() => 'ok', (e: { status?: number }) => e.status), 401, 'the old key\'s sessions ended');
  t.not(member.boxPublicKey, published.proposal.previous!.staff.find((s) => s.staffId === rotating.staffId)!.boxPublicKey, 'the bundle lists the new key');

  // 3. Every case and share opens with the new key only; no key to the old key remains.
  t.same(await opensWith(db, agency.agencyId, rotating.staffId, next), [true, true, true, true], 'the new key opens every key held');
  t.same(await opensWith(db, agency.agencyId, rotating.staffId, rotating.keys), [false, false, false, false], 'the old key opens none');
  t.equal((await db.selectFrom('staff_rotation_keys').select('subject_id').execute()).length, 0, 'the staged copies are gone');
  t.not(await codeOf(login(injectHttp(app), rotating.staffId, rotating.keys)), 'accepted', 'the old key logs in no more');
  const http = injectHttp(app);
  const renewed: Person = { ...rotating, keys: next, client: new StaffClient(http, await login(http, rotating.staffId, next), rotating.trust) };
  for (const caseId of held) {
    const opened = await renewed.client.openCase(caseId, next);
    t.ok(opened.detail.keyRekey, 'the key carries its rekey signature');
    t.equal(opened.detail.keyGrant?.grantedBy, intake.staffId, 'and still names who granted it');
  }
  t.equal((await reviewRequest(renewed.client, requestId, next)).reason, 'to hear the witness', 'as custodian, they read the open request with the new key');
  t.equal(await codeOf(renewed.client.openCase(shared.caseId, rotating.keys)), 'signature_invalid', 'the old key file opens no case: it did not sign the re-sealed key');
  const actions = (await db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
  t.ok(actions.includes('staff.rotation.stage') && actions.includes('staff.rotation.complete'), 'the rotation is audited');

  // 4. Departure: keys deleted, cases listed, the one only they held flagged to intake.
  const departed = await agency.admin.client.deactivate(leaving.staffId);
  t.same(departed.reassign, [shared.caseId, onlyLeaving.caseId].sort(), 'both cases they held are to be reassigned');
  t.same(departed.flagged, [onlyLeaving.caseId], 'the case nobody else holds is flagged');
  t.equal((await db.selectFrom('case_keys').select('id').where('staff_id', '=', leaving.staffId).execute()).length, 0, 'their keys are deleted');
  t.same((await intake.client.reassignments()).cases.map((c) => c.caseId), [onlyLeaving.caseId], 'intake sees the flagged case');
  await intake.client.grant(onlyLeaving.caseId, { staffId: rotating.staffId }, intake.keys);
  t.same((await intake.client.reassignments()).cases, [], 'granting it again clears the flag');
  t.match(new TextDecoder().decode((await renewed.client.openCase(onlyLeaving.caseId, next)).body), 'school fund', 'granted to the new key, it opens');

  // 5. A case sealed before the next bundle still reaches them; that bundle deletes the key,
  // leaves them out, and so does every case sealed from it.
  const inTheWindow = await newCase(db, agency, { intake: [intake, leaving] }, 'sealed from the old bundle');
  const after = await publishBundleOf(agency);
  t.equal((await db.selectFrom('case_keys').select('id').where('case_id', '=', inTheWindow.caseId).where('staff_id', '=', leaving.staffId).execute()).length, 0,
    'a key sealed to them in the window is deleted with the next bundle');
  t.same(after.proposal.removed.map((s) => s.staffId), [leaving.staffId], 'the departed member is removed from the next bundle');
  t.notOk(after.content.staff.some((s) => s.staffId === leaving.staffId));
  const submitted = await submitCase({ server: 'http://tipline.test', fetch: injectFetch(app), agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: 'a new tip' });
  const recipients = (await db.selectFrom('case_keys').select('staff_id').where('case_id', '=', submitted.caseId).where('recipient', '=', 'staff').execute()).map((r) => r.staff_id);
  t.same(recipients, [intake.staffId], 'a new case is sealed to the bundle\'s intake officers only');

  // Every step is in the audit chain, the rotation with the old key's signature, and it verifies.
  const report = await verifyAuditViaApi(auditor.client, { pinnedFingerprint: agency.fingerprint });
  t.equal(report.firstBreak, null, 'the audit chain verifies against the agency\'s bundles');
  const stage = await db.selectFrom('audit_log').select('detail').where('action', '=', 'staff.rotation.stage').executeTakeFirstOrThrow();
  t.equal((stage.detail as { signed?: { kind?: string } }).signed?.kind, 'rotation', 'the staged rotation carries its signature');
});
