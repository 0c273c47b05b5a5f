import t from 'tap';
import { requestIdentity } from '../../src/client/staff-identity.js';
import type { StaffRole } from '../../src/protocol/index.js';
import { createAttachment, finishAttachment, findAttachment, storeChunks } from '../../src/server/db/attachments.js';
import { insertProtectionRequest } from '../../src/server/db/workflow-protection.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, type Person } from './staff-kit.js';

// Every staff and admin route (routes/staff, routes/admin and the workflow's under
// routes/workflow) × every role × own / other agency. 'ok' = the request passed
// authorisation (any status but 401/403/404); a number = that exact status. Payloads
// must pass the route's schema: Fastify validates before the preHandler, so a bad body
// would be 400 for everyone, the anonymous caller included, and the row would fail.

const roles: StaffRole[] = ['admin', 'intake', 'investigator', 'custodian', 'supervisor', 'auditor'];
type Who = `${'own' | 'other'}:${StaffRole}`;
type Expect = 'ok' | 401 | 403 | 404;
const sig = 'A'.repeat(86);

t.test('authorisation matrix', async (t) => {
  const { app, database } = await createTestApp(t);
  const A = await newAgency(app, database.db, 'agency-a');
  const B = await newAgency(app, database.db, 'agency-b');
  const people = {} as Record<Who, Person>;
  for (const [side, agency] of [['own', A], ['other', B]] as const) {
    for (const role of roles) people[`${side}:${role}`] = role === 'admin' ? agency.admin : await newStaff(app, agency, [role]);
  }
  const victim = await newStaff(app, A, ['investigator'], 'victim');
  const doomed = await newStaff(app, A, ['auditor'], 'doomed');
  await A.admin.client.publishBundle(A.agencyKeys);
  const { caseId } = await newCase(database.db, A, { intake: [people['own:intake']], custodians: [people['own:custodian']], threshold: 1 });
  await people['own:intake'].client.grant(caseId, { staffId: people['own:investigator'].staffId }, people['own:intake'].keys);
  await people['own:intake'].client.grant(caseId, { staffId: victim.staffId }, people['own:intake'].keys);
  const requestId = await requestIdentity(people['own:investigator'].client, caseId, 'why', people['own:investigator'].keys);
  const protectionId = crypto.randomUUID();
  await insertProtectionRequest(database.db, {
    id: protectionId, caseId, agencyId: A.agencyId, urgent: true, requestedOn: '2026-01-05', dueOn: '2026-01-08', sealedDetails: new Uint8Array(200),
    threshold: 1, denouncerKey: new Uint8Array(80), shares: [{ custodianId: people['own:custodian'].staffId, wrapped: new Uint8Array(80) }],
  });
  // One short chunk is a whole sealed file to the server, which never opens it.
  const attachmentId = crypto.randomUUID();
  // 104 plaintext bytes: a padded length (PROTOCOL.md §1.3), so the upload can finish.
  const oneChunk = async function* () { yield new Uint8Array(120); };
  await storeChunks(database.db, (await createAttachment(database.db, { id: attachmentId, caseId, uploader: 'denouncer' }))!, 0, oneChunk(), 1);
  await finishAttachment(database.db, (await findAttachment(database.db, attachmentId))!, 1, 1024);

  const only = (allowed: Partial<Record<Who, Expect>>, deny: Expect = 403): Record<Who, Expect> => {
    const out = {} as Record<Who, Expect>;
    for (const side of ['own', 'other'] as const) for (const r of roles) out[`${side}:${r}`] = allowed[`${side}:${r}`] ?? deny;
    return out;
  };
  const everyone = only({}, 'ok');
  const caseRoute = (extra: Partial<Record<Who, Expect>>, roleOk: StaffRole[]) =>
    only({ ...Object.fromEntries(roles.filter((r) => roleOk.includes(r)).flatMap((r) => [[`own:${r}`, 404], [`other:${r}`, 404]])), ...extra });
  const c = `/v1/staff/cases/${caseId}`;

  const matrix: [string, string, unknown, Record<Who, Expect>][] = [
    ['GET', '/v1/staff/me', undefined, everyone],
    ['GET', '/v1/staff/sessions', undefined, everyone],
    ['GET', '/v1/staff/colleagues', undefined, everyone],
    // Someone else's session is unknown to every caller, admins included: an admin ends sessions by deactivating.
    ['DELETE', `/v1/staff/sessions/${doomed.client.session.sessionId}`, undefined, only({}, 404)],
    ['GET', `/v1/staff/agencies/${A.agencyId}/bundle`, undefined, everyone],
    ['GET', `/v1/staff/agencies/${A.agencyId}/bundles`, undefined, everyone],
    ['GET', '/v1/staff/cases', undefined, only({ 'own:intake': 'ok', 'own:investigator': 'ok', 'own:supervisor': 'ok', 'other:intake': 'ok', 'other:investigator': 'ok', 'other:supervisor': 'ok' })],
    ['GET', c, undefined, only({ 'own:intake': 'ok', 'own:investigator': 'ok', 'own:supervisor': 'ok' }, 404)],
    ['POST', `${c}/grants`, { staffId: victim.staffId, wrapped: 'AAAA', signature: sig }, caseRoute({ 'own:intake': 'ok' }, ['intake'])],
    ['GET', `${c}/messages`, undefined, caseRoute({ 'own:intake': 'ok', 'own:investigator': 'ok' }, ['intake', 'investigator'])],
    ['POST', `${c}/messages`, { messageId: crypto.randomUUID(), ciphertext: 'AAAA', signature: sig }, caseRoute({ 'own:intake': 'ok', 'own:investigator': 'ok' }, ['intake', 'investigator'])],
    ['GET', `${c}/attachments`, undefined, caseRoute({ 'own:intake': 'ok', 'own:investigator': 'ok' }, ['intake', 'investigator'])],
    ['GET', `${c}/attachments/${attachmentId}/content`, undefined, caseRoute({ 'own:intake': 'ok', 'own:investigator': 'ok' }, ['intake', 'investigator'])],
    ['POST', `${c}/identity-requests`, { requestId: crypto.randomUUID(), reason: 'AAAA', signature: sig, requestKeys: [] }, caseRoute({ 'own:investigator': 'ok' }, ['investigator'])],
    ['GET', '/v1/staff/identity-requests', undefined, only({ 'own:investigator': 'ok', 'own:custodian': 'ok', 'own:supervisor': 'ok', 'other:investigator': 'ok', 'other:custodian': 'ok', 'other:supervisor': 'ok' })],
    ['GET', `/v1/staff/identity-requests/${requestId}`, undefined, caseRoute({ 'own:investigator': 'ok', 'own:custodian': 'ok' }, ['investigator', 'custodian', 'supervisor'])],
    ['GET', `/v1/staff/protection/${protectionId}`, undefined, caseRoute({ 'own:supervisor': 'ok' }, ['supervisor'])],
    ['POST', `/v1/staff/protection/${protectionId}/details-requests`, { requestId: crypto.randomUUID(), reason: 'AAAA', signature: sig, requestKeys: [] }, caseRoute({ 'own:supervisor': 'ok' }, ['supervisor'])],
    ['POST', `/v1/staff/identity-requests/${requestId}/decisions`, { decision: 'approve', resealedShare: 'AAAA', signature: sig }, caseRoute({ 'own:custodian': 'ok' }, ['custodian'])],

    // The statutory workflow. The case stays RECEIVED throughout: a refusal on its state
    // (409) still comes after the role and reach checks, and nothing here moves it.
    ['GET', `${c}/workflow`, undefined, caseRoute({ 'own:intake': 'ok', 'own:investigator': 'ok', 'own:supervisor': 'ok' }, ['intake', 'investigator', 'supervisor'])],
    // Who may move a case depends on the action (the profile's roles, on this case), so
    // two actions: one of intake's, one of the investigator's. A wrong role on a case in reach is 403.
    ['POST', `${c}/transitions`, { action: 'accept', reason: 'AAAA', signature: sig }, caseRoute({ 'own:intake': 'ok', 'own:supervisor': 'ok', 'own:investigator': 403 }, ['intake', 'investigator', 'supervisor'])],
    ['POST', `${c}/transitions`, { action: 'conclude', finding: 'true', reason: 'AAAA', signature: sig }, caseRoute({ 'own:investigator': 'ok', 'own:supervisor': 'ok', 'own:intake': 403 }, ['intake', 'investigator', 'supervisor'])],
    ['GET', '/v1/staff/deadlines', undefined, only({ 'own:supervisor': 'ok', 'other:supervisor': 'ok' })],
    // Another agency's figures are unknown to the caller, not forbidden.
    ['GET', `/v1/staff/reports?from=2026-01-01&to=2026-12-31&agency=${A.agencyId}`, undefined, only({ 'own:supervisor': 'ok', 'own:auditor': 'ok', 'other:supervisor': 404, 'other:auditor': 404 })],
    // Each supervisor edits their own agency's calendar; the removal undoes the addition above it.
    ['GET', '/v1/staff/holidays', undefined, everyone],
    ['POST', '/v1/staff/holidays', { day: '2026-03-09', name: 'Nghỉ theo Quyết định 123/QĐ-UBND' }, only({ 'own:supervisor': 'ok', 'other:supervisor': 'ok' })],
    ['POST', '/v1/staff/holidays/2026-09-01/not-observed', { note: 'Thủ tướng chọn 2/9 và 3/9' }, only({ 'own:supervisor': 'ok', 'other:supervisor': 'ok' })],
    ['DELETE', '/v1/staff/holidays/2026-03-09', undefined, only({ 'own:supervisor': 'ok', 'other:supervisor': 'ok' })],
    ['GET', '/v1/staff/protection', undefined, only({ 'own:supervisor': 'ok', 'other:supervisor': 'ok' })],
    // After the rows that read the protection request: deciding it is final.
    ['POST', `/v1/staff/protection/${protectionId}/decision`, { decision: 'refused', reason: 'AAAA', notice: { messageId: crypto.randomUUID(), ciphertext: 'AAAA', signature: sig }, signature: sig }, caseRoute({ 'own:supervisor': 'ok' }, ['supervisor'])],
    ['GET', '/v1/staff/publications', undefined, only({ 'own:supervisor': 'ok', 'own:auditor': 'ok', 'other:supervisor': 'ok', 'other:auditor': 'ok' })],
    // Any session passes the route; the profile's rule is checked on the case: out of reach 404, intake or investigator 403.
    ['POST', `${c}/publication`, { summary: 'A conclusion for the public, naming nobody.', acknowledgePublic: true }, only({ 'own:supervisor': 'ok', 'own:intake': 403, 'own:investigator': 403 }, 404)],
    ['POST', `${c}/publication/withdraw`, undefined, only({ 'own:supervisor': 'ok', 'own:intake': 403, 'own:investigator': 403 }, 404)],
    ['GET', '/v1/staff/retention', undefined, only({ 'own:supervisor': 'ok', 'other:supervisor': 'ok' })],
    ['PUT', `${c}/legal-hold`, { basis: 'court order 12/2026' }, caseRoute({ 'own:supervisor': 'ok' }, ['supervisor'])],
    // After the hold is placed: releasing a case with none is 404, which would read as a denial.
    ['DELETE', `${c}/legal-hold`, undefined, caseRoute({ 'own:supervisor': 'ok' }, ['supervisor'])],
    // An open case is never purgeable (409), so this purges nothing the rows below use.
    ['POST', `${c}/purge`, undefined, caseRoute({ 'own:supervisor': 'ok' }, ['supervisor'])],

    ['GET', '/v1/staff/audit', undefined, only({ 'own:auditor': 'ok', 'other:auditor': 'ok' })],
    ['GET', '/v1/admin/staff', undefined, only({ 'own:admin': 'ok', 'other:admin': 'ok' })],
    ['POST', '/v1/admin/staff', { displayName: 'New', roles: ['intake'] }, only({ 'own:admin': 'ok', 'other:admin': 'ok' })],
    ['POST', '/v1/admin/bundles', { payload: 'AAAA', signature: sig }, only({ 'own:admin': 'ok', 'other:admin': 'ok' })],
    ['POST', `/v1/admin/staff/${doomed.staffId}/deactivate`, undefined, only({ 'own:admin': 'ok', 'other:admin': 404 })],
    ['DELETE', `${c}/grants/${victim.staffId}`, undefined, caseRoute({ 'own:intake': 'ok' }, ['intake'])],
    // Last: it ends each caller's session.
    ['POST', '/v1/staff/logout', undefined, everyone],
  ];

  for (const [method, url, payload, expected] of matrix) {
    const anon = await app.inject({ method: method as 'GET', url, ...(payload ? { payload: payload as object } : {}) });
    t.equal(anon.statusCode, 401, `${method} ${url} without a session`);
    // The allowed callers go last, so a destructive route is denied to everyone else first.
    const order = (Object.keys(expected) as Who[]).sort((a, b) => Number(expected[a] === 'ok') - Number(expected[b] === 'ok'));
    for (const who of order) {
      const res = await app.inject({
        method: method as 'GET', url, headers: { authorization: `Bearer ${people[who].client.session.token}` },
        ...(payload ? { payload: payload as object } : {}),
      });
      const want = expected[who];
      const got = res.statusCode;
      if (want === 'ok') t.notOk([401, 403, 404].includes(got), `${method} ${url} as ${who}: allowed (got ${got})`);
      else t.equal(got, want, `${method} ${url} as ${who}: ${want}`);
    }
  }
});
