import t from 'tap';
import { StaffClient } from '../../src/client/staff.js';
import { publishBundle } from '../../src/client/staff-bundle.js';
import { MemoryTrustStore, type StaffTrustError } from '../../src/client/staff-trust.js';
import { ApiClientError } from '../../src/client/http.js';
import { submitCase } from '../../src/client/denouncer.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import {
  agencyFingerprint, agencyKeyTransitionBytes, generateAgencyKeys, loadBackend, signAgencyKeyTransition, signBundle, signDetached, toBase64Url,
  transitionToJson, type AgencyKeys, type BundleContent,
} from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { injectHttp, newAgency, newCase, newStaff, publishBundleOf, type Agency } from '../server/staff-kit.js';

// Agency signing-key rotation (PROTOCOL.md §9.2). The agency's key K0 hands over to K1 by
// a statement both sign, published with K1's first bundle: clients pinned to K0 follow it
// and remember K1; a forged statement, a bundle K0 signs after the hand-over, and — once
// a leaked key is revoked by a re-pin — anything that key signs, are refused. The server
// records the statement, with both signatures, in the audit log.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError | ApiClientError) => e.code ?? String(e));

t.setTimeout(300_000);

async function rotate(agency: Agency, to: AgencyKeys, serial: number) {
  const be = await loadBackend();
  const statement = signAgencyKeyTransition(be, {
    agencyId: agency.agencyId, oldPublicKey: agency.agencyKeys.publicKey, newPublicKey: to.publicKey, effectiveSerial: serial, issuedOn: '2026-12-04',
  }, agency.agencyKeys.secretKey, to.secretKey);
  const published = await publishBundle(agency.admin.client, to, { keyTransition: transitionToJson(statement) });
  agency.agencyKeys = to;
  agency.fingerprint = agencyFingerprint(be, to.publicKey);
  return published;
}

/** A bundle like the current one at `serial`, signed by `by`, put straight into the database. */
async function insertSignedBy(db: Parameters<typeof newCase>[0], content: BundleContent, serial: number, by: AgencyKeys) {
  const signed = signBundle(await loadBackend(), { ...content, serial }, by.secretKey);
  await db.insertInto('key_bundles').values({ agency_id: content.agencyId, serial, payload: signed.payload, signature: signed.signature }).execute();
}

t.test('a pinned staff client follows a rotation and refuses what the old or a revoked key signs', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const be = await loadBackend();
  const agency = await newAgency(app, db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const investigator = await newStaff(app, agency, ['investigator']);
  const auditor = await newStaff(app, agency, ['auditor']);
  await publishBundleOf(agency);
  const k0 = agency.agencyKeys;
  const k0Print = agency.fingerprint;
  const k1 = generateAgencyKeys(be);
  const kase = await newCase(db, agency, { intake: [intake] });

  await t.test('the server refuses a statement that is not the current key handing over', async (t) => {
    const stranger = generateAgencyKeys(be);
    const fields = { agencyId: agency.agencyId, oldPublicKey: stranger.publicKey, newPublicKey: k1.publicKey, effectiveSerial: 2, issuedOn: '2026-12-04' };
    const notCurrent = transitionToJson(signAgencyKeyTransition(be, fields, stranger.secretKey, k1.secretKey));
    t.equal(await codeOf(publishBundle(agency.admin.client, k1, { keyTransition: notCurrent })), 'bundle_invalid', 'the admin client refuses a statement not from its pin');
    const current = { ...fields, oldPublicKey: k0.publicKey };
    const unsigned = { ...transitionToJson(signAgencyKeyTransition(be, current, k0.secretKey, k1.secretKey)), oldSignature: toBase64Url(signDetached(be, 'agency-key-transition', agencyKeyTransitionBytes(current), stranger.secretKey)) };
    const bundle = signBundle(be, { ...(await agency.admin.client.verifiedBundle()), serial: 2 }, k1.secretKey);
    for (const keyTransition of [notCurrent, unsigned, { ...transitionToJson(signAgencyKeyTransition(be, { ...current, effectiveSerial: 3 }, k0.secretKey, k1.secretKey)) }]) {
      const res = await app.inject({
        method: 'POST', url: '/v1/admin/bundles', headers: { authorization: `Bearer ${agency.admin.client.session.token}` },
        payload: { payload: toBase64Url(bundle.payload), signature: toBase64Url(bundle.signature), keyTransition },
      });
      t.equal(res.statusCode, 422);
      t.equal(res.json().error.code, 'bundle_invalid');
    }
    t.equal((await db.selectFrom('agency_key_transitions').selectAll().execute()).length, 0, 'nothing recorded');
  });

  const published = await rotate(agency, k1, 2);
  t.equal(published.serial, 2, 'K1 signs serial 2, published with the statement');
  const stored = await db.selectFrom('agencies').select('signing_public_key').where('id', '=', agency.agencyId).executeTakeFirstOrThrow();
  t.same(new Uint8Array(stored.signing_public_key), k1.publicKey, "K1 is now the agency's key");
  const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'agency.key-rotate').execute();
  t.equal(audit.length, 1, 'the rotation is audited');
  const detail = (typeof audit[0]!.detail === 'string' ? JSON.parse(audit[0]!.detail) : audit[0]!.detail) as { keyTransition: Record<string, unknown> };
  t.match(detail.keyTransition, { effectiveSerial: 2, oldFingerprint: k0Print, newFingerprint: agency.fingerprint, oldSignature: String, newSignature: String }, 'with both signatures');

  await t.test('a client pinned to K0 follows K0→K1 and remembers K1', async (t) => {
    t.equal((await intake.trust.pinned(agency.agencyId))?.fingerprint, k0Print);
    await intake.client.grant(kase.caseId, { staffId: investigator.staffId }, intake.keys);
    t.equal((await intake.trust.pinned(agency.agencyId))?.fingerprint, agency.fingerprint, 'the pin is now K1');
    t.same((await intake.client.verifiedBundles()).map((b) => b.serial), [1, 2], "K0's bundle 1 still verifies for history, vouched by the statement");
    t.equal((await investigator.client.openCase(kase.caseId, investigator.keys)).detail.caseId, kase.caseId, 'the granted case opens');
  });

  await t.test('audit verify, pinned to K0, checks the log across the hand-over', async (t) => {
    const report = await verifyAuditViaApi(auditor.client, { pinnedFingerprint: k0Print });
    t.equal(report.firstBreak, null, 'no row refused');
    t.equal(report.verified, report.checked, 'every row verified, the rotation among them');
  });

  await t.test('a forged statement is refused', async (t) => {
    const fresh = new StaffClient(injectHttp(app), investigator.client.session, new MemoryTrustStore({ [agency.agencyId]: k0Print }));
    const row = await db.selectFrom('agency_key_transitions').selectAll().executeTakeFirstOrThrow();
    const forged = signDetached(be, 'agency-key-transition', new Uint8Array(32), generateAgencyKeys(be).secretKey);
    await db.updateTable('agency_key_transitions').set({ old_signature: forged }).execute();
    t.equal(await codeOf(fresh.verifiedBundle()), 'bundle_invalid', 'K1 is not followed without a valid K0 signature');
    t.equal((await fresh.trust.pinned(agency.agencyId))?.fingerprint, k0Print, 'the pin stays K0');
    await db.updateTable('agency_key_transitions').set({ old_signature: row.old_signature }).execute();
    t.equal((await fresh.verifiedBundle()).serial, 2, 'restored, it follows');
  });

  await t.test('after the hand-over, a bundle K0 signs is refused', async (t) => {
    await insertSignedBy(db, await intake.client.verifiedBundle(), 3, k0);
    t.equal(await codeOf(intake.client.verifiedBundle()), 'bundle_invalid', 'serial 3 signed by K0');
    const pinnedK0 = new StaffClient(injectHttp(app), investigator.client.session, new MemoryTrustStore({ [agency.agencyId]: k0Print }));
    t.equal(await codeOf(pinnedK0.verifiedBundle()), 'bundle_invalid', 'also for a client still pinned to K0');
    await db.deleteFrom('key_bundles').where('serial', '=', 3).execute();
  });

  await t.test('the denouncer client pinned to K0 follows the chain to seal', async (t) => {
    const http = injectHttp(app);
    const seen: string[] = [];
    const done = await submitCase({
      server: http.baseUrl, fetch: http.fetchImpl, agency: agency.slug, pinnedFingerprint: k0Print, minSerial: 1, requirePin: true, body: 'a tip',
      onProgress: (p) => { if (p.stage === 'verified') seen.push(p.signer); },
      deliver: async () => ({ publicNumber: 'X', receivedOn: '2026-12-04' }),
    });
    t.equal(done.publicNumber, 'X');
    t.same(seen, [agency.fingerprint], 'verified under K1, reached from K0');
    const refused = await submitCase({
      server: http.baseUrl, fetch: http.fetchImpl, agency: agency.slug, pinnedFingerprint: k0Print, revokedFingerprints: [agency.fingerprint], body: 'a tip',
      deliver: async () => ({ publicNumber: 'X', receivedOn: '2026-12-04' }),
    }).then(() => 'sent', (e: { code: string }) => e.code);
    t.equal(refused, 'bundle_invalid', 'with K1 revoked, nothing is sealed');
  });

  await t.test('a leaked K1: the re-pin to K2 refuses what K1 signs', async (t) => {
    const k1Print = agency.fingerprint;
    const k2 = generateAgencyKeys(be);
    await rotate(agency, k2, 3);
    // The re-pin, out of band: K2's fingerprint read out, K1 revoked.
    const repinned = new MemoryTrustStore();
    repinned.pin(agency.agencyId, agency.fingerprint, 3, [k1Print]);
    const client = new StaffClient(injectHttp(app), investigator.client.session, repinned);
    t.equal((await client.verifiedBundle()).serial, 3, "K2's bundle verifies");
    // Whoever holds K1 signs a bundle of its own with a higher serial...
    await insertSignedBy(db, await client.verifiedBundle(), 4, k1);
    t.equal(await codeOf(client.verifiedBundle()), 'bundle_invalid', 'a bundle K1 signs is refused');
    await db.deleteFrom('key_bundles').where('serial', '=', 4).execute();
    t.equal(await codeOf(client.verifiedBundles()), 'bundle_invalid', "history through the revoked key fails closed (K1's bundle 2)");
    // ...or, writing the database, puts its own hand-over from K1 in place of the agency's.
    const thief = generateAgencyKeys(be);
    const stolen = signAgencyKeyTransition(be, { agencyId: agency.agencyId, oldPublicKey: k1.publicKey, newPublicKey: thief.publicKey, effectiveSerial: 3, issuedOn: '2026-12-05' }, k1.secretKey, thief.secretKey);
    await db.updateTable('agency_key_transitions').set({ new_public_key: stolen.newPublicKey, issued_on: stolen.issuedOn, old_signature: stolen.oldSignature, new_signature: stolen.newSignature })
      .where('effective_serial', '=', 3).execute();
    await db.updateTable('agencies').set({ signing_public_key: thief.publicKey }).where('id', '=', agency.agencyId).execute();
    await db.deleteFrom('key_bundles').where('serial', '=', 3).execute();
    await insertSignedBy(db, await intake.client.verifiedBundles().then((b) => b[1]!), 3, thief);
    t.equal(await codeOf(client.verifiedBundle()), 'bundle_invalid', 'the re-pinned client refuses the thief\'s chain');
    const notRepinned = new StaffClient(injectHttp(app), investigator.client.session, new MemoryTrustStore({ [agency.agencyId]: k1Print }));
    t.equal((await notRepinned.verifiedBundle()).serial, 3, 'a client not yet re-pinned follows it: what the re-pin is for');
    t.throws(() => repinned.pin(agency.agencyId, k1Print, 3, [k1Print]), 'a revoked key is never pinned again');
    await t.rejects(repinned.followKey(agency.agencyId, k1Print), { code: 'key_revoked' }, 'nor followed');
  });
});
