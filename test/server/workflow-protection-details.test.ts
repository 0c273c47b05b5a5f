import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { ApiClientError } from '../../src/client/http.js';
import { protectionDetailsContext } from '../../src/client/protection-context.js';
import { approveIdentity, identityRequest, identityRequests, readReasons, refuseIdentity, requestIdentity } from '../../src/client/staff-identity.js';
import { protectionDetailsRequest, protectionDetailsRequests, protectionRequest, readProtectionDetails, requestProtectionDetails } from '../../src/client/staff-protection.js';
import { loadBackend, resealShare, toBase64Url, TiplineCryptoError, unwrapShare } from '../../src/protocol/index.js';
import { purgeCase } from '../../src/server/db/workflow-retention.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, type Agency, type Person, publishBundleOf } from './staff-kit.js';

// A protection request's details, sealed by the denouncer's page to the custodians (2 of
// 3), are released to the supervisor who decides on it exactly as an identity is
// released to an investigator: the supervisor asks, custodians re-seal their shares, and
// the details open on the supervisor's machine only with two genuine shares.

t.setTimeout(300_000);

const DETAILS = { reasons: 'Giám đốc dọa cho tôi nghỉ việc; em gái tôi làm cùng phòng.', measures: 'Giữ nguyên vị trí công tác của tôi và em gái.', urgent: true };

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const server = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const head = await newStaff(app, agency, ['supervisor']);
  const custodians = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])] as [Person, Person, Person];
  await publishBundleOf(agency, { threshold: 2 });
  const { caseId, receipt } = await newCase(database.db, agency, { intake: [intake], custodians, threshold: 2 });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  const be = await loadBackend();
  const bundle = await intake.client.verifiedBundle(agency.agencyId);
  /** The denouncer's page: seals the details to the bundle's custodians and posts them. */
  const askForProtection = async (details: typeof DETAILS) => {
    const page = receiptWorkflow(be, receipt, server);
    await page.requestProtection({ agencyId: agency.agencyId, caseId }, bundle, details);
    page.forget();
    const row = await database.db.selectFrom('protection_requests').select('id').where('case_id', '=', caseId).where('urgent', '=', details.urgent)
      .orderBy('requested_on', 'desc').executeTakeFirstOrThrow();
    return row.id;
  };
  return { app, database, agency, intake, investigator, head, custodians, caseId, askForProtection };
}

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: ApiClientError) => `${e.status} ${e.code}`);

t.test('two custodians of three release the details to the supervisor; one cannot', async (t) => {
  const { database, head, custodians, caseId, askForProtection } = await setup(t);
  const [c1, c2, c3] = custodians;
  const protectionId = await askForProtection(DETAILS);
  const stored = await database.db.selectFrom('protection_requests').select('sealed_details').where('id', '=', protectionId).executeTakeFirstOrThrow();
  t.notOk(Buffer.from(stored.sealed_details!).includes(Buffer.from('Giữ nguyên')), 'the server holds the details sealed');

  const view = await protectionRequest(head.client, protectionId);
  t.same([view.threshold, [...view.custodians].sort()], [2, custodians.map((c) => c.staffId).sort()], 'the supervisor sees who holds the shares');
  const askId = await requestProtectionDetails(head.client, protectionId, 'to arrange the measures with the police', head.keys);

  const inbox = await identityRequests(c1.client);
  const ask = inbox.requests.find((r) => r.identityRequestId === askId)!;
  t.same([ask.subject, ask.protectionRequestId, ask.caseId, ask.urgent, ask.requesterId], ['protection', protectionId, caseId, true, head.staffId], 'the custodian sees what, which case, who asks');
  t.equal((await readReasons(ask, c1.keys)).reason, 'to arrange the measures with the police', 'and reads the reason');

  t.equal(await approveIdentity(c1.client, askId, c1.keys), 'pending');
  const afterOne = await identityRequest(head.client, askId);
  t.equal(afterOne.sealedDetails, null, 'the server withholds the details below the threshold');
  t.equal(await code(readProtectionDetails(head.client, afterOne, head.keys)), '409 not_approved', 'one release is not enough');

  t.equal(await refuseIdentity(c3.client, askId, 'the reason is too vague', c3.keys), 'pending');
  t.equal(await approveIdentity(c2.client, askId, c2.keys), 'approved');
  const [listed] = await protectionDetailsRequests(head.client, protectionId);
  t.same([listed?.identityRequestId, listed?.state, listed?.sealedDetails], [askId, 'approved', null], 'the list says approved but carries no details');
  const approved = await protectionDetailsRequest(head.client, askId);
  t.same(await readProtectionDetails(head.client, approved, head.keys), DETAILS, 'the supervisor reads the exact details');
  t.same((await readReasons(approved, head.keys)).refusals, [{ staffId: c3.staffId, reason: 'the reason is too vague' }]);

  // A modified server response: one genuine share alone, with a forged one, or with a share of the identity.
  const be = await loadBackend();
  const ctx = protectionDetailsContext(approved.agencyId, protectionId);
  const one = { ...approved, decisions: approved.decisions.filter((d) => d.staffId === c1.staffId) };
  await t.rejects(readProtectionDetails(head.client, one, head.keys), TiplineCryptoError, 'one share fails closed');
  const forgedShare = be.randomBytes(33);
  forgedShare[32] = 7;
  const forged = { staffId: c2.staffId, decision: 'approve' as const, resealedShare: toBase64Url(resealShare(be, ctx, forgedShare, head.keys.boxPublicKey)), reason: null, signature: '', decidedAt: '' };
  await t.rejects(readProtectionDetails(head.client, { ...one, decisions: [...one.decisions, forged] }, head.keys), TiplineCryptoError, 'a forged extra share fails closed');
  await t.rejects(readProtectionDetails(head.client, { ...one, decisions: [...one.decisions, ...one.decisions] }, head.keys), TiplineCryptoError, 'the same share twice fails closed');

  const identityShare = await database.db.selectFrom('identity_shares').select('wrapped').where('case_id', '=', caseId).where('custodian_id', '=', c3.staffId).executeTakeFirstOrThrow();
  const pair = { publicKey: c3.keys.boxPublicKey, secretKey: c3.keys.boxSecretKey };
  t.throws(() => unwrapShare(be, ctx, identityShare.wrapped, pair), TiplineCryptoError, "a custodian's identity share does not open as a share of the details");
  const protectionShare = await database.db.selectFrom('protection_shares').select('wrapped').where('request_id', '=', protectionId).where('custodian_id', '=', c3.staffId).executeTakeFirstOrThrow();
  t.throws(() => unwrapShare(be, { agencyId: ctx.agencyId, caseId }, protectionShare.wrapped, pair), TiplineCryptoError, 'nor a share of the details as one of the identity');
  const fromIdentity = { ...forged, resealedShare: toBase64Url(resealShare(be, { agencyId: ctx.agencyId, caseId }, unwrapShare(be, { agencyId: ctx.agencyId, caseId }, identityShare.wrapped, pair), head.keys.boxPublicKey)) };
  await t.rejects(readProtectionDetails(head.client, { ...one, decisions: [...one.decisions, fromIdentity] }, head.keys), TiplineCryptoError, 'an identity share offered as a release fails closed');

  const actions = (await database.db.selectFrom('audit_log').select('action').where('action', 'like', 'protection.details_%').execute()).map((r) => r.action);
  for (const a of ['protection.details_request', 'protection.details_decide', 'protection.details_view', 'protection.details_reveal']) {
    t.ok(actions.includes(a), `audited: ${a}`);
  }
  t.equal(actions.filter((a) => a === 'protection.details_decide').length, 3, 'every decision audited');
});

t.test('urgent asks first in the custodian list, at once', async (t) => {
  const { head, investigator, custodians, caseId, askForProtection } = await setup(t);
  const urgent = await askForProtection(DETAILS);
  const ordinary = await askForProtection({ ...DETAILS, urgent: false });
  const urgentAsk = await requestProtectionDetails(head.client, urgent, 'urgent one', head.keys);
  const ordinaryAsk = await requestProtectionDetails(head.client, ordinary, 'ordinary one', head.keys);
  const identityAsk = await requestIdentity(investigator.client, caseId, 'interview', investigator.keys);
  const order = async (p: Person) => (await identityRequests(p.client)).requests.map((r) => r.identityRequestId);
  t.same(await order(custodians[0]), [urgentAsk, identityAsk, ordinaryAsk], 'the urgent ask leads, then newest first');
  await approveIdentity(custodians[0].client, urgentAsk, custodians[0].keys);
  t.same(await order(custodians[0]), [identityAsk, ordinaryAsk, urgentAsk], 'once decided it takes its place by date');
  t.same(await order(custodians[1]), [urgentAsk, identityAsk, ordinaryAsk], 'still first for a custodian who has not decided');
});

t.test('who may ask, see and decide; purge removes the asks', async (t) => {
  const { app, database, agency, intake, investigator, head, custodians, caseId, askForProtection } = await setup(t);
  const protectionId = await askForProtection(DETAILS);
  const both = await newStaff(app, agency, ['investigator', 'custodian']);
  t.equal(await code(requestProtectionDetails(investigator.client, protectionId, 'x', investigator.keys)), '403 forbidden', 'an investigator cannot ask');
  t.equal(await code(requestProtectionDetails(intake.client, protectionId, 'x', intake.keys)), '403 forbidden', 'an intake officer cannot ask');
  t.equal(await code(requestProtectionDetails(custodians[0].client, protectionId, 'x', custodians[0].keys)), '403 forbidden', 'a custodian cannot ask');
  t.equal(await code(protectionRequest(both.client, protectionId)), '403 forbidden', 'nor see the request as staff');

  const other = await newAgency(app, database.db, 'thanh-tra-khac');
  const otherHead = await newStaff(app, other, ['supervisor']);
  const otherCustodian = await newStaff(app, other, ['custodian']);
  await publishBundleOf(other, { threshold: 1 });
  t.equal(await code(protectionRequest(otherHead.client, protectionId)), '404 not_found', 'another agency: no such request');
  const forged = await head.client.http.post<unknown>(`/v1/staff/protection/${protectionId}/details-requests`, { identityRequestId: crypto.randomUUID(), reason: 'AA', signature: toBase64Url(new Uint8Array(64)), requestKeys: [] })
    .then(() => 'ok', (e: ApiClientError) => `${e.status} ${e.code}`);
  t.equal(forged, '400 validation_failed', 'the request key must reach every custodian');
  t.equal(await code(otherHead.client.http.post(`/v1/staff/protection/${protectionId}/details-requests`, { identityRequestId: crypto.randomUUID(), reason: 'AA', signature: toBase64Url(new Uint8Array(64)), requestKeys: [] })), '404 not_found', 'another agency cannot ask');

  const askId = await requestProtectionDetails(head.client, protectionId, 'measures', head.keys);
  for (const p of [otherHead, otherCustodian, investigator, both]) t.equal(await code(identityRequest(p.client, askId)), '404 not_found', 'nobody else sees the ask');
  t.equal(await code(approveIdentity(otherCustodian.client, askId, otherCustodian.keys)), '404 not_found', "another agency's custodian cannot decide");
  const badSignature = await custodians[0].client.http.post(`/v1/staff/identity-requests/${askId}/decisions`, { decision: 'approve', resealedShare: toBase64Url(new Uint8Array(80)), signature: toBase64Url(new Uint8Array(64)) })
    .then(() => 'ok', (e: ApiClientError) => `${e.status} ${e.code}`);
  t.equal(badSignature, '422 crypto_failed', 'an unsigned release is refused');
  await approveIdentity(custodians[0].client, askId, custodians[0].keys);
  t.equal(await code(approveIdentity(custodians[0].client, askId, custodians[0].keys)), '409 conflict', 'one decision per custodian');

  const onDay = new Date().toISOString().slice(0, 10);
  t.ok(await purgeCase(database.db, caseId, onDay), 'purged');
  const left = async (table: 'identity_requests' | 'identity_request_keys' | 'identity_decisions') =>
    (await database.db.selectFrom(table).select('request_id' as never).where('request_id' as never, '=', askId as never).execute()).length;
  t.equal((await database.db.selectFrom('identity_requests').select('id').where('protection_request_id', '=', protectionId).execute()).length, 0, 'the ask is gone');
  t.same([await left('identity_request_keys'), await left('identity_decisions')], [0, 0], 'with its keys and released shares');
  t.equal(await code(requestProtectionDetails(head.client, protectionId, 'again', head.keys)), '409 conflict', 'purged details cannot be asked for');
});
