import type { AddressInfo } from 'node:net';
import t from 'tap';
import { ApiClientError, submitCase } from '../../src/client/denouncer.js';
import { recoverCases } from '../../src/client/staff-recovery.js';
import {
  TiplineCryptoError, loadBackend, makeRecoveryKey, openRecoveryKey, parseRecoveryShare, toBase64Url, type BundleRecovery,
} from '../../src/protocol/index.js';
import { receiptWorkflow } from '../../src/web/workflow-client.js';
import { createTestApp } from '../helpers/app.js';
import { injectFetch } from '../client/inject-fetch.js';
import { newAgency, newStaff, publishBundleOf } from './staff-kit.js';

// The recovery drill (PROTOCOL.md §9.1): an agency that listed a recovery recipient
// loses every intake key; m holders of paper shares rebuild the recovery key beside a
// new intake officer, who re-grants every case to a new investigator, who opens them.

const server = 'http://tipline.test';
const code = (e: unknown) => (e instanceof ApiClientError || e instanceof TiplineCryptoError ? e.code : String(e));

t.test('with m of n paper shares every case is re-granted and opens; with m − 1 none', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const be = await loadBackend();
  const fetch = injectFetch(app);
  const agency = await newAgency(app, db, 'thanh-tra');
  const lost = await newStaff(app, agency, ['intake']);
  const custodians = [await newStaff(app, agency, ['custodian']), await newStaff(app, agency, ['custodian'])];
  const made = await makeRecoveryKey(be, 2, 3);
  const recovery: BundleRecovery = { boxPublicKey: toBase64Url(made.publicKey), threshold: 2, shares: 3 };
  await publishBundleOf(agency, { recovery });

  const submit = (body: string, identity = false) => submitCase({
    server, fetch, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body,
    ...(identity ? { identity: { name: 'Nguyễn Văn A', address: 'Hà Nội', contact: '0912 000 000' } } : {}),
  });
  const first = await submit('first report');
  const cases: { caseId: string; publicNumber: string }[] = [first, await submit('second report', true), await submit('third report')];
  // A retaliation report is a new case too, sealed by the page's workflow client over a live port.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const page = receiptWorkflow(be, first.receipt, `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  const report = await page.reportRetaliation(first.caseId, await lost.client.verifiedBundle(), 'a retaliation report');
  page.forget();
  cases.push({ caseId: (await db.selectFrom('cases').select('id').where('public_number', '=', report.publicNumber).executeTakeFirstOrThrow()).id, publicNumber: report.publicNumber });
  const rows = await db.selectFrom('case_keys').select(['case_id', 'recipient', 'staff_id']).where('recipient', '=', 'recovery').execute();
  t.same(rows.map((r) => r.case_id).sort(), cases.map((c) => c.caseId).sort(), 'every case carries one recovery wrap');
  const shares = await db.selectFrom('identity_shares').select('custodian_id').execute();
  t.same(shares.map((s) => s.custodian_id).sort(), custodians.map((c) => c.staffId).sort(), 'the identity is split among custodians only');

  // Every intake key is lost: the officer leaves; a new one and a new investigator are signed in.
  await agency.admin.client.deactivate(lost.staffId);
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const next = await publishBundleOf(agency);
  t.same(next.content.recovery, recovery, 'the next bundle carries the recovery recipient over');

  const typed = made.shares.map((s) => s.toLowerCase().replaceAll(' ', '-'));
  const one = [parseRecoveryShare(be, typed[2]!)];
  await t.rejects(openRecoveryKey(be, one, made.publicKey), { code: 'open_failed' }, 'm − 1 shares rebuild nothing');
  const pair = await openRecoveryKey(be, [parseRecoveryShare(be, typed[0]!), parseRecoveryShare(be, typed[2]!)], made.publicKey);

  t.equal(code(await investigator.client.openCase(cases[0]!.caseId, investigator.keys).catch((e) => e)), 'not_found', 'not granted yet');
  const seen: number[] = [];
  const done = await recoverCases(intake.client, {
    recovery: pair, recipientStaffId: investigator.staffId, keys: intake.keys, onProgress: (p) => seen.push(p.done),
  });
  t.same(done.map((d) => d.outcome), ['granted', 'granted', 'granted', 'granted']);
  t.same(seen, [1, 2, 3, 4], 'progress per case');
  for (const c of cases) {
    const opened = await investigator.client.openCase(c.caseId, investigator.keys);
    t.match(new TextDecoder().decode(opened.body), /report/, `the investigator opens ${c.publicNumber}`);
  }
  const again = await recoverCases(intake.client, { recovery: pair, recipientStaffId: investigator.staffId, keys: intake.keys, only: [cases[1]!.publicNumber] });
  t.same(again.map((d) => d.outcome), ['held'], 'a drill run twice grants nothing twice; one case by its number');

  const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'in', ['case.grant', 'recovery.keys']).execute();
  t.equal(audit.filter((a) => a.action === 'case.grant' && (a.detail as { recovery?: boolean }).recovery === true).length, 4, 'each re-grant audited, signed');
  t.ok(audit.some((a) => a.action === 'recovery.keys'), 'reading the recovery keys is audited');

  const refusal = await investigator.client.http.get('/v1/staff/recovery/keys').catch((e: unknown) => e);
  t.equal(code(refusal), 'forbidden', 'only intake reads the recovery keys');
});

/** A case sealed by the SDK for the agency's verified bundle, as it would be posted (not posted). */
async function sealedFor(fetch: ReturnType<typeof injectFetch>, agency: { slug: string; fingerprint: string }): Promise<Record<string, unknown>> {
  let captured: Record<string, unknown> = {};
  await submitCase({
    server, fetch, agency: agency.slug, pinnedFingerprint: agency.fingerprint, body: 'a report',
    deliver: async (payload) => { captured = payload; return { publicNumber: 'TL-0', receivedOn: '2026-01-01' }; },
  });
  return captured;
}

t.test('a bundle without recovery gets no recovery wrap; the server holds each case to its bundle', async (t) => {
  const { app, database } = await createTestApp(t);
  const be = await loadBackend();
  const fetch = injectFetch(app);
  const agency = await newAgency(app, database.db, 'no-recovery');
  const intake = await newStaff(app, agency, ['intake']);
  await publishBundleOf(agency);
  const record = async (payload: Record<string, unknown>) => {
    const r = await app.inject({
      method: 'POST', url: '/v1/staff/intake', headers: { authorization: `Bearer ${intake.client.session.token}` }, payload: { ...payload, channel: 'letter' },
    });
    return r.statusCode === 201 ? 'created' : `${r.statusCode} ${r.json().error.code}`;
  };

  const plain = await sealedFor(fetch, agency);
  t.notOk('recoveryKey' in plain, 'the SDK wraps to no recovery key the bundle does not list');
  t.equal(await record({ ...(await sealedFor(fetch, agency)), recoveryKey: toBase64Url(be.randomBytes(114)) }), '400 validation_failed', 'a recovery wrap the bundle does not list is refused');
  t.equal(await record(plain), 'created');
  const { keys } = await intake.client.http.get<{ keys: unknown[] }>('/v1/staff/recovery/keys');
  t.same(keys, [], 'nothing to recover');

  const made = await makeRecoveryKey(be, 2, 2);
  await publishBundleOf(agency, { recovery: { boxPublicKey: toBase64Url(made.publicKey), threshold: 2, shares: 2 } });
  const { recoveryKey, ...without } = await sealedFor(fetch, agency);
  t.type(recoveryKey, 'string', 'once listed, the SDK wraps to it');
  t.equal(await record(without), '400 validation_failed', 'a case without the wrap the bundle lists is refused');
  await publishBundleOf(agency, { recovery: null });
  t.equal((await intake.client.verifiedBundle()).recovery, undefined, 'the next bundle can list none again');
});
