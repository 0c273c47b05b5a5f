import t, { type Test } from 'tap';
import { ApiClientError } from '../../src/client/http.js';
import { approveIdentity, identityRequest, identityRequests, readReasons, refuseIdentity, requestIdentity, revealIdentity } from '../../src/client/staff-identity.js';
import { fromBase64Url, loadBackend, resealShare, signDetached, toBase64Url, TiplineCryptoError, unwrapShare } from '../../src/protocol/index.js';
import { identityDecisionSigningBytes } from '../../src/protocol/signing-bytes.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from './staff-kit.js';

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const custodians = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])];
  await publishBundleOf(agency, { threshold: 2 });
  const { caseId } = await newCase(database.db, agency, { intake: [intake], custodians, threshold: 2 });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  return { app, database, agency, intake, investigator, custodians, caseId };
}

t.setTimeout(300_000);

t.test('two custodians of three reveal an identity; one cannot', async (t) => {
  const { investigator, custodians, caseId } = await setup(t);
  const [c1, c2, c3] = custodians as [typeof custodians[0], typeof custodians[0], typeof custodians[0]];
  const requestId = await requestIdentity(investigator.client, caseId, 'need to call the witness', investigator.keys);

  const pending = await identityRequests(c1.client);
  t.equal(pending.requests.length, 1, 'the custodian sees the pending request');
  t.equal((await readReasons(pending.requests[0]!, c1.keys)).reason, 'need to call the witness', 'and reads its reason');

  t.equal(await approveIdentity(c1.client, requestId, c1.keys), 'pending');
  const afterOne = await identityRequest(investigator.client, requestId);
  t.equal(afterOne.identityBlock, null, 'the server withholds the block below the threshold');
  await t.rejects(revealIdentity(afterOne, investigator.keys), ApiClientError);

  t.equal(await refuseIdentity(c3.client, requestId, 'not justified', c3.keys), 'pending');
  t.equal(await approveIdentity(c2.client, requestId, c2.keys), 'approved');
  const approved = await identityRequest(investigator.client, requestId);
  t.equal(await revealIdentity(approved, investigator.keys), 'Nguyen Van A, Ha Noi', 'two shares open the identity');
  t.same((await readReasons(approved, investigator.keys)).refusals, [{ staffId: c3.staffId, reason: 'not justified' }]);

  // A modified server response: only one genuine share, or one genuine plus a forged one.
  const be = await loadBackend();
  const one = { ...approved, decisions: approved.decisions.filter((d) => d.staffId === c1.staffId) };
  await t.rejects(revealIdentity(one, investigator.keys), TiplineCryptoError, 'one share fails closed');
  const forgedShare = be.randomBytes(33);
  forgedShare[32] = 7;
  const forged = resealShare(be, { agencyId: approved.agencyId, caseId }, forgedShare, investigator.keys.boxPublicKey);
  const withForgery = { ...one, decisions: [...one.decisions, { staffId: c2.staffId, decision: 'approve' as const, resealedShare: toBase64Url(forged), reason: null, signature: '', decidedAt: '' }] };
  await t.rejects(revealIdentity(withForgery, investigator.keys), TiplineCryptoError, 'a forged extra share fails closed');
  const duplicated = { ...one, decisions: [...one.decisions, ...one.decisions] };
  await t.rejects(revealIdentity(duplicated, investigator.keys), TiplineCryptoError, 'the same share twice fails closed');
  t.ok(fromBase64Url(approved.identityBlock!).length > 0);
});

t.test('who may ask, see and decide', async (t) => {
  const { app, agency, intake, investigator, custodians, caseId } = await setup(t);
  const stranger = await newStaff(app, agency, ['investigator']);
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: ApiClientError) => `${e.status} ${e.code}`);
  t.equal(await code(requestIdentity(stranger.client, caseId, 'curious', stranger.keys)), '404 not_found', 'no grant, no request');
  t.equal(await code(requestIdentity(intake.client, caseId, 'x', intake.keys)), '403 forbidden', 'intake cannot ask');
  const requestId = await requestIdentity(investigator.client, caseId, 'reason', investigator.keys);
  t.equal(await code(identityRequest(stranger.client, requestId)), '404 not_found', 'others do not see the request');
  await approveIdentity(custodians[0]!.client, requestId, custodians[0]!.keys);
  t.equal(await code(approveIdentity(custodians[0]!.client, requestId, custodians[0]!.keys)), '409 conflict', 'one decision per custodian');
});

t.test('a custodian who asked cannot approve their own request', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const both = await newStaff(app, agency, ['investigator', 'custodian']);
  const others = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])];
  await publishBundleOf(agency, { threshold: 2 });
  const { caseId } = await newCase(database.db, agency, { intake: [intake], custodians: others, threshold: 2 });
  await intake.client.grant(caseId, { staffId: both.staffId }, intake.keys);
  const requestId = await requestIdentity(both.client, caseId, 'my own witness', both.keys);
  // Custodian turnover later re-seals a share of the identity to the requester.
  const be = await loadBackend();
  const ctx = { agencyId: agency.agencyId, caseId };
  const share = be.randomBytes(33);
  share[32] = 3;
  const wrapped = resealShare(be, ctx, share, both.keys.boxPublicKey);
  await database.db.insertInto('identity_shares').values({ case_id: caseId, custodian_id: both.staffId, wrapped }).execute();
  const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: ApiClientError) => `${e.status} ${e.code}`);
  t.equal(await code(approveIdentity(both.client, requestId, both.keys)), '403 own_request', 'the SDK keeps the requester\'s share on their machine');

  // A client without that check signs a genuine approval: the server refuses it.
  const r = await identityRequest(both.client, requestId);
  t.ok(r.myShare, 'the requester now holds a share of the subject');
  const resealed = resealShare(be, ctx, unwrapShare(be, ctx, fromBase64Url(r.myShare!), { publicKey: both.keys.boxPublicKey, secretKey: both.keys.boxSecretKey }), both.keys.boxPublicKey);
  const signature = signDetached(be, 'identity-decision', identityDecisionSigningBytes(requestId, true, resealed, be), both.keys.signSecretKey);
  const posted = both.client.http.post(`/v1/staff/identity-requests/${requestId}/decisions`, { decision: 'approve', resealedShare: toBase64Url(resealed), signature: toBase64Url(signature) });
  t.equal(await code(posted), '403 forbidden', 'the server refuses an approval by the requester');
  t.equal(await approveIdentity(others[0]!.client, requestId, others[0]!.keys), 'pending', 'another custodian may approve; one of two is not enough');
});
