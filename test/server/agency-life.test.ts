import t from 'tap';
import { login, StaffClient } from '../../src/client/staff.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { publishBundle } from '../../src/client/staff-bundle.js';
import { approveIdentity, identityRequest, requestIdentity, revealIdentity } from '../../src/client/staff-identity.js';
import { acceptReshare, planReshare, reshareMyShares } from '../../src/client/staff-reshare.js';
import { rotateKeys } from '../../src/client/staff-rotation.js';
import {
  generateAgencyKeys, generateStaffKeys, loadBackend, signAgencyKeyTransition, staffKeyFingerprint, TiplineCryptoError, transitionToJson,
} from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { injectHttp, newAgency, newCase, newStaff, publishBundleOf, type Person } from './staff-kit.js';

// An agency's keys over the years, in one history (issue #20's check): an investigator
// rotates their keys, another leaves, two of three custodians are replaced as the
// threshold goes from 2-of-3 to 3-of-5, and the agency's signing key hands over to a new
// one. Then every case opens exactly for those who should hold it, the identity opens with
// three of the new custodians and never two, the database keeps no share of the old set,
// and clients still pinned to the first signing key follow the chain and verify the audit.

t.setTimeout(300_000);

const refused = (p: Promise<unknown>) => p.then(() => false, () => true);

t.test('rotation, departure, custodian turnover and a new signing key, in one agency', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const be = await loadBackend();
  const agency = await newAgency(app, db, 'thanh-tra-tinh');
  const firstPin = agency.fingerprint;
  const intake = await newStaff(app, agency, ['intake']);
  const rotating = await newStaff(app, agency, ['investigator'], 'Lan');
  const leaving = await newStaff(app, agency, ['investigator'], 'Minh');
  const [a, b, c] = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])] as [Person, Person, Person];
  const auditor = await newStaff(app, agency, ['auditor']);
  await publishBundleOf(agency, { threshold: 2 });
  const named = await newCase(db, agency, { intake: [intake], custodians: [a, b, c], threshold: 2 }, 'the land was sold twice');
  const onlyLeaving = await newCase(db, agency, { intake: [intake] }, 'the school fund is gone');
  await intake.client.grant(named.caseId, { staffId: rotating.staffId }, intake.keys);
  await intake.client.grant(named.caseId, { staffId: leaving.staffId }, intake.keys);
  await intake.client.grant(onlyLeaving.caseId, { staffId: leaving.staffId }, intake.keys);

  // 1. An investigator rotates: re-sealed on their machine, swapped by the next bundle.
  const next = generateStaffKeys(be);
  t.same(await rotateKeys(rotating.client, rotating.keys, next), { resealed: 1, unstaged: 0 }, 'their one case key re-sealed to the new key');
  agency.enrolled.push(staffKeyFingerprint(be, next.signPublicKey, next.boxPublicKey));
  await publishBundleOf(agency);
  const http = injectHttp(app);
  const lan: Person = { ...rotating, keys: next, client: new StaffClient(http, await login(http, rotating.staffId, next), rotating.trust) };

  // 2. Another leaves: their keys go, the case only they held goes back to intake, who re-grants it.
  const departed = await agency.admin.client.deactivate(leaving.staffId);
  t.same(departed.flagged, [onlyLeaving.caseId], 'the case nobody else holds is flagged');
  await intake.client.grant(onlyLeaving.caseId, { staffId: lan.staffId }, intake.keys);

  // 3. Four custodians join; the agency key signs 3 as the threshold; A and B hand their
  // shares on to A and the four; B and C then leave.
  const fresh = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])];
  await publishBundleOf(agency, { threshold: 3 });
  const newSet = [a, ...fresh];
  await planReshare(agency.admin.client, agency.admin.keys, { from: [a.staffId, b.staffId], to: newSet.map((p) => p.staffId), threshold: 3 });
  for (const old of [a, b]) t.equal(await reshareMyShares(old.client, old.keys), 1, 'an old custodian re-splits their share');
  for (const p of newSet) await acceptReshare(p.client, p.keys);
  for (const gone of [b, c]) await agency.admin.client.deactivate(gone.staffId);
  await publishBundleOf(agency, { threshold: 3 });

  // 4. The signing key hands over to a new one, by a statement both keys sign.
  const k1 = generateAgencyKeys(be);
  const inForce = await agency.admin.client.verifiedBundle();
  const statement = signAgencyKeyTransition(be, {
    agencyId: agency.agencyId, oldPublicKey: agency.agencyKeys.publicKey, newPublicKey: k1.publicKey,
    effectiveSerial: inForce.serial + 1, issuedOn: new Date().toISOString().slice(0, 10),
  }, agency.agencyKeys.secretKey, k1.secretKey);
  await publishBundle(agency.admin.client, k1, { keyTransition: transitionToJson(statement) });

  // Every case opens for the rotated key, pinned still to the first signing key, and for nobody who left.
  const text = async (caseId: string) => new TextDecoder().decode((await lan.client.openCase(caseId, next)).body);
  t.match(await text(named.caseId), 'sold twice', 'the case they held opens with the new key, the client pinned to the first signing key');
  t.match(await text(onlyLeaving.caseId), 'school fund', 'and so does the one re-granted after the departure');
  t.ok(await refused(lan.client.openCase(named.caseId, rotating.keys)), 'not with the old one');
  t.equal((await db.selectFrom('case_keys').select('id').where('staff_id', '=', leaving.staffId).execute()).length, 0, 'no key is left to the one who left');
  t.ok(await refused(login(injectHttp(app), leaving.staffId, leaving.keys)), 'who cannot sign in either');

  // The identity opens with three of the new set, never two; no share of the old set is left.
  const requestId = await requestIdentity(lan.client, named.caseId, 'to hear the witness', next);
  t.equal(await approveIdentity(fresh[0]!.client, requestId, fresh[0]!.keys), 'pending', 'one new custodian approves');
  t.equal(await approveIdentity(fresh[1]!.client, requestId, fresh[1]!.keys), 'pending', 'two of five is not enough');
  t.equal(await approveIdentity(a.client, requestId, a.keys), 'approved', 'the third makes three of five');
  const approved = await identityRequest(lan.client, requestId);
  t.equal(await revealIdentity(approved, next), 'Nguyen Van A, Ha Noi', 'three new shares open a block sealed 2-of-3');
  const two = { ...approved, decisions: approved.decisions.slice(1) };
  t.ok(await revealIdentity(two, next).then(() => false, (e) => e instanceof TiplineCryptoError), 'two fail closed');
  const holders = (await db.selectFrom('identity_shares').select('custodian_id').where('case_id', '=', named.caseId).execute()).map((r) => r.custodian_id);
  t.same(holders.sort(), newSet.map((p) => p.staffId).sort(), 'the shares are the new set\'s, and none of B or C is left');
  t.equal((await db.selectFrom('reshare_sub_shares').select('subject_id').execute()).length, 0, 'nor any sub-share sealed on the way');

  // The auditor, pinned to the first signing key, follows the hand-over and verifies every step.
  const report = await verifyAuditViaApi(auditor.client, { pinnedFingerprint: firstPin });
  t.equal(report.firstBreak, null, 'the audit chain verifies across the hand-over');
  const actions = new Set((await db.selectFrom('audit_log').select('action').execute()).map((r) => r.action));
  for (const action of ['staff.rotation.stage', 'identity.reshare_plan', 'identity.reshare_part', 'agency.key-rotate']) t.ok(actions.has(action), `${action} is audited`);
});
