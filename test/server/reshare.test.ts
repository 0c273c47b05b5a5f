import type { AddressInfo } from 'node:net';
import t from 'tap';
import { ApiClientError } from '../../src/client/http.js';
import { approveIdentity, identityRequest, requestIdentity, revealIdentity } from '../../src/client/staff-identity.js';
import { protectionDetailsRequest, readProtectionDetails, requestProtectionDetails } from '../../src/client/staff-protection.js';
import { acceptReshare, currentReshare, planReshare, reshareMyShares, verifyPlan } from '../../src/client/staff-reshare.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import { StaffTrustError } from '../../src/client/staff-trust.js';
import { loadBackend, resharePlanSigningBytes, signDetached, TiplineCryptoError, toBase64Url } from '../../src/protocol/index.js';
import { purgeCase } from '../../src/server/db/workflow-retention.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf, type Person } from './staff-kit.js';

// Custodian turnover by resharing (PROTOCOL.md §6.2), scripted through the SDK against the
// real server: two of three custodians are replaced and the threshold goes from 2-of-3 to
// 3-of-5. Every identity block and the protection details open with three new shares,
// never with two, and no share of the old set is left in the database.

t.setTimeout(600_000);

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: ApiClientError | StaffTrustError) => (e instanceof ApiClientError ? `${e.status} ${e.code}` : e.code));

t.test("2-of-3 → 3-of-5 with two custodians replaced: m' new shares open every subject, m' − 1 do not, the old shares are gone", async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agency = await newAgency(app, db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const head = await newStaff(app, agency, ['supervisor']);
  const auditor = await newStaff(app, agency, ['auditor']);
  const [a, b, c] = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])] as [Person, Person, Person];
  await publishBundleOf(agency, { threshold: 2 });
  const cases = [
    await newCase(db, agency, { intake: [intake], custodians: [a, b, c], threshold: 2 }),
    await newCase(db, agency, { intake: [intake], custodians: [a, b, c], threshold: 2 }),
  ];
  const purged = await newCase(db, agency, { intake: [intake], custodians: [a, b, c], threshold: 2 });
  for (const { caseId } of cases) await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  const be = await loadBackend();
  const page = receiptWorkflow(be, cases[0]!.receipt, server);
  const details = { reasons: 'bị đe dọa', measures: 'giữ bí mật', urgent: false };
  await page.requestProtection({ agencyId: agency.agencyId, caseId: cases[0]!.caseId }, await intake.client.verifiedBundle(), details);
  page.forget();
  const protectionId = (await db.selectFrom('protection_requests').select('id').executeTakeFirstOrThrow()).id;

  // The new custodians join; the bundle lists them, then the admin plans: A and B re-split to A, D, E, F, G at 3.
  const fresh = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])];
  await publishBundleOf(agency, { threshold: 3 });
  const newSet = [a, ...fresh];
  t.equal(await code(planReshare(a.client, a.keys, { from: [a.staffId, b.staffId], to: newSet.map((p) => p.staffId), threshold: 3 })), '403 forbidden', 'only an admin plans');
  const plan = await planReshare(agency.admin.client, agency.admin.keys, { from: [a.staffId, b.staffId], to: newSet.map((p) => p.staffId), threshold: 3 });
  t.same([plan.subjects, plan.done, plan.finished], [4, 0, false], 'three identity blocks and one protection request are covered');
  // What an online admin key signs is checked against what the agency key signs now.
  const resigned = (p: typeof plan) => ({ ...p, signature: toBase64Url(signDetached(be, 'reshare-plan', resharePlanSigningBytes({ ...p, onDay: p.day }), agency.admin.keys.signSecretKey)) });
  t.equal(await code(planReshare(agency.admin.client, agency.admin.keys, { from: [a.staffId, b.staffId], threshold: 2 })), 'signature_invalid', "the admin's client plans no threshold the bundle in force does not sign");
  t.equal(await code(verifyPlan(a.client, resigned({ ...plan, threshold: 1 }))), 'signature_invalid', "a plan lowering m' below the agency key's threshold is refused, though the admin signed it");
  t.equal(await code(verifyPlan(a.client, resigned({ ...plan, day: '2099-01-01' }))), 'signature_invalid', 'and one dated in the future');
  t.equal(await code(verifyPlan(a.client, resigned({ ...plan, bundleSerial: 1 }))), 'not_in_bundle', "and one re-splitting to a bundle whose custodians are not the new set");
  t.ok(await purgeCase(db, purged.caseId, '2026-06-01'), 'one case is purged under retention while the reshare runs');
  t.equal(await code(reshareMyShares(c.client, c.keys)), 'not_in_bundle', 'a custodian outside the plan has no part');
  const sub = 'A'.repeat(155);
  const posted = c.client.http.post(`/v1/staff/reshares/${plan.reshareId}/parts`, { parts: [{ subjectId: cases[0]!.caseId, wrapped: Array(5).fill(sub), signature: 'A'.repeat(86) }] });
  t.equal(await code(posted), '403 forbidden', 'and the server takes none from them');
  t.equal(await code(acceptReshare(fresh[0]!.client, fresh[0]!.keys)), 'ok', 'nothing to sum before the old custodians are done');

  const progress: number[] = [];
  t.equal(await code(reshareMyShares(b.client, b.keys, { confirm: () => false })), 'cancelled', 'an old custodian who does not confirm hands nothing on');
  t.equal(await reshareMyShares(b.client, b.keys, { confirm: ({ newSet }) => newSet.length === 5, onProgress: (n) => progress.push(n) }), 3);
  t.same(progress, [3], 'progress per batch');
  const half = await currentReshare(a.client);
  t.same([half.fromDone, half.toDone], [[0, 3], [0, 0, 0, 0, 0]], "each old custodian's part is counted apart: B has re-split, A not yet");
  t.equal(await reshareMyShares(a.client, a.keys), 3);

  // A sub-share moved by the server to another slot breaks its part's signature: refused before any sum.
  const row = await db.selectFrom('reshare_sub_shares').selectAll().where('from_id', '=', b.staffId).where('position', '=', 1).limit(1).executeTakeFirstOrThrow();
  const other = await db.selectFrom('reshare_sub_shares').select('wrapped').where('subject_id', '=', row.subject_id).where('from_id', '=', b.staffId).where('position', '=', 2).executeTakeFirstOrThrow();
  await db.updateTable('reshare_sub_shares').set({ wrapped: other.wrapped }).where('subject_id', '=', row.subject_id).where('from_id', '=', b.staffId).where('position', '=', 1).execute();
  t.equal(await code(acceptReshare(fresh[0]!.client, fresh[0]!.keys)), 'signature_invalid', 'a tampered part is refused');
  await db.updateTable('reshare_sub_shares').set({ wrapped: row.wrapped }).where('subject_id', '=', row.subject_id).where('from_id', '=', b.staffId).where('position', '=', 1).execute();

  for (const p of newSet.slice(0, 4)) t.same(await acceptReshare(p.client, p.keys), { posted: 3, completed: 0 });
  t.same((await currentReshare(a.client)).toDone, [3, 3, 3, 3, 0], 'and each new custodian\'s: the last has taken nothing yet');
  const held = async () => [
    ...(await db.selectFrom('identity_shares').select('custodian_id').execute()),
    ...(await db.selectFrom('protection_shares').select('custodian_id').execute()),
  ].map((r) => r.custodian_id);
  t.ok((await held()).includes(c.staffId), 'until the last new share is in, the old shares stay');
  t.same(await acceptReshare(fresh[3]!.client, fresh[3]!.keys), { posted: 3, completed: 3 });
  const after = await held();
  t.equal(after.length, 15, 'five shares of each of the three subjects');
  t.notOk(after.includes(b.staffId) || after.includes(c.staffId), 'no share of a replaced custodian remains');
  t.same([...new Set(after)].sort(), newSet.map((p) => p.staffId).sort());
  t.equal((await db.selectFrom('reshare_sub_shares').select('subject_id').execute()).length, 0, 'the sealed sub-shares are gone too');
  const finished = await currentReshare(a.client);
  t.same([finished.finished, finished.fromDone, finished.toDone], [true, [3, 3], [3, 3, 3, 3, 3]], 'the purged case does not hold the reshare open; a swapped subject counts for everyone');
  t.equal((await db.selectFrom('identity_shares').select('case_id').where('case_id', '=', purged.caseId).execute()).length, 0, 'nor gets shares back');

  // The replaced custodians leave; the bundle now lists the new set at 3.
  await agency.admin.client.deactivate(b.staffId);
  await agency.admin.client.deactivate(c.staffId);
  await publishBundleOf(agency, { threshold: 3 });

  for (const { caseId } of cases) {
    const requestId = await requestIdentity(investigator.client, caseId, 'cần xác minh', investigator.keys);
    await approveIdentity(fresh[0]!.client, requestId, fresh[0]!.keys);
    t.equal(await approveIdentity(fresh[1]!.client, requestId, fresh[1]!.keys), 'pending', 'two of five is not enough');
    t.equal(await approveIdentity(a.client, requestId, a.keys), 'approved');
    const approved = await identityRequest(investigator.client, requestId);
    t.equal(await revealIdentity(approved, investigator.keys), 'Nguyen Van A, Ha Noi', 'three new shares open a block sealed 2-of-3');
    const two = { ...approved, decisions: approved.decisions.slice(1) };
    t.ok(await revealIdentity(two, investigator.keys).then(() => false, (e) => e instanceof TiplineCryptoError), "m' − 1 = 2 new shares fail closed");
  }
  const askId = await requestProtectionDetails(head.client, protectionId, 'để bố trí biện pháp', head.keys);
  for (const p of [fresh[2]!, fresh[3]!, a]) await approveIdentity(p.client, askId, p.keys);
  t.same(await readProtectionDetails(head.client, await protectionDetailsRequest(head.client, askId), head.keys), details, 'the protection details reshare the same way');

  const report = await verifyAuditViaApi(auditor.client, { pinnedFingerprint: agency.fingerprint });
  t.equal(report.firstBreak, null, 'the audit chain verifies with every reshare signature');
  const actions = await db.selectFrom('audit_log').select('action').where('action', 'like', 'identity.reshare%').execute();
  const count = (a: string) => actions.filter((r) => r.action === a).length;
  t.same([count('identity.reshare_plan'), count('identity.reshare_part'), count('identity.reshare_share')], [1, 6, 15], 'every step is audited');
});
