import t from 'tap';
import { ApiClientError } from '../../src/client/http.js';
import { login } from '../../src/client/staff.js';
import { publishBundle } from '../../src/client/staff-bundle.js';
import { createTestApp } from '../helpers/app.js';
import { injectHttp, newAgency, newCase, newStaff, publishBundleOf } from './staff-kit.js';

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ApiClientError ? `${e.status} ${e.code}` : String(e)));

t.test('agency bootstrap, enrolment, login, bundle, open and assign a case', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const other = await newStaff(app, agency, ['investigator']);
  const published = await publishBundleOf(agency);
  t.equal(published.serial, 1);
  const { caseId } = await newCase(database.db, agency, { intake: [intake] });

  const listed = await intake.client.cases();
  t.same(listed.cases.map((c) => c.caseId), [caseId], 'intake sees the new case');
  const opened = await intake.client.openCase(caseId, intake.keys);
  t.equal(new TextDecoder().decode(opened.body), 'the mayor takes bribes', 'decrypted on the client');

  t.equal(await code(investigator.client.caseDetail(caseId)), '404 not_found', 'no grant: 404, not 403');
  t.same((await investigator.client.cases()).cases, []);
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  const theirs = await investigator.client.openCase(caseId, investigator.keys);
  t.equal(new TextDecoder().decode(theirs.body), 'the mayor takes bribes', 'the investigator opens the granted case');
  t.equal(await code(other.client.caseDetail(caseId)), '404 not_found', 'another investigator still cannot');
  t.equal(await code(intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys)), '409 conflict');

  await intake.client.revoke(caseId, investigator.staffId);
  t.equal(await code(investigator.client.caseDetail(caseId)), '404 not_found', 'revoked grant: gone');
});

t.test('a bundle with a stale serial or a bad signature is refused', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'a1');
  await publishBundleOf(agency);
  const wrongKey = (await newAgency(app, database.db, 'a2')).agencyKeys;
  t.equal(await code(publishBundle(agency.admin.client, wrongKey)), '422 bundle_invalid', 'signed by another key');
  const res = await app.inject({
    method: 'POST', url: '/v1/admin/bundles',
    headers: { authorization: `Bearer ${agency.admin.client.session.token}` },
    payload: { payload: (await agency.admin.client.bundle()).payload, signature: (await agency.admin.client.bundle()).signature },
  });
  t.equal(res.statusCode, 422, 'the same serial again is refused');
  t.equal((await publishBundleOf(agency)).serial, 2, 'the next serial is accepted');
});

t.test('login is single-use, origin-bound and refused to deactivated staff', async (t) => {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'a1');
  const intake = await newStaff(app, agency, ['intake']);
  const http = injectHttp(app);
  t.equal(await code(login(http, intake.staffId, agency.admin.keys)), '401 unauthorized', 'someone else\'s key');
  const other = await newStaff(app, agency, ['auditor']);
  t.equal((await other.client.sessions()).sessions.length, 1);
  await agency.admin.client.deactivate(intake.staffId);
  t.equal(await code(intake.client.cases()), '401 unauthorized', 'the live session stops at once');
  t.equal(await code(login(http, intake.staffId, intake.keys)), '401 unauthorized', 'and no new login');
  await other.client.logout();
  t.equal(await code(other.client.sessions()), '401 unauthorized', 'logged out');
});

t.test('the bootstrap code works once', async (t) => {
  const { app, database } = await createTestApp(t);
  const { issueBootstrapCode } = await import('../../src/server/db/agencies.js');
  const codeText = (await issueBootstrapCode(database.db))!;
  t.ok(codeText, 'a fresh server issues a code');
  const body = { bootstrapCode: codeText, slug: 'one', name: 'One', signingPublicKey: 'A'.repeat(43), admin: { displayName: 'A' } };
  t.equal((await app.inject({ method: 'POST', url: '/v1/admin/agencies', payload: body })).statusCode, 201);
  t.equal((await app.inject({ method: 'POST', url: '/v1/admin/agencies', payload: { ...body, slug: 'two' } })).statusCode, 401);
  t.equal(await issueBootstrapCode(database.db), null, 'no new code once an agency exists');
});
