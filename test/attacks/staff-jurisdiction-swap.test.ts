import t, { type Test } from 'tap';
import { proposeBundle } from '../../src/client/staff-bundle.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { checkedWorkflow } from '../../src/client/staff-workflow.js';
import { loadBackend, signDetached, toBase64Url, verifyBundle } from '../../src/protocol/index.js';
import { utf8 } from '../../src/protocol/bytes.js';
import { insertBundle } from '../../src/server/db/bundles.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// A database writer changes the law an agency's cases are checked by: the agency applies
// Vietnam's rules, and `agencies.profile` is rewritten to the EU's, where other roles take
// other steps. Staff clients take the jurisdiction from the agency's signed bundle, so the
// swap changes nothing they check; a bundle that signs none is refused for workflow
// checks, the admin's next publish will not sign the server's new word, and the server
// will not take a bundle naming a law other than the one it applies.

t.setTimeout(300_000);

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake'], 'Nguyễn Thị Lan');
  await publishBundleOf(agency);
  const { caseId } = await newCase(database.db, agency, { intake: [intake] });
  const swap = () => database.db.updateTable('agencies').set({ profile: 'EU' }).where('id', '=', agency.agencyId).execute();
  return { app, db: database.db, agency, intake, caseId, swap };
}

const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError) => `${e.code}: ${e.message}`);

t.test('the jurisdiction the server lists is not the one clients check by', async (t) => {
  const p = await setup(t);
  t.equal((await checkedWorkflow(p.intake.client, p.caseId)).jurisdiction.id, 'VN', 'before: the signed VN');
  await p.swap();
  const { agencies } = await p.intake.client.http.get<{ agencies: { agencyId: string; profile: string }[] }>('/v1/agencies');
  t.equal(agencies.find((a) => a.agencyId === p.agency.agencyId)?.profile, 'EU', 'the server now lists the agency under the EU');
  const checked = await checkedWorkflow(p.intake.client, p.caseId);
  t.equal(checked.jurisdiction.id, 'VN', 'the client still checks the workflow by the law the bundle signs');
  t.equal(checked.profile.id.startsWith('VN'), true, "and takes today's step under a VN rule set");
});

t.test('a bundle that names no jurisdiction: the workflow is not checked, so nothing is signed on it', async (t) => {
  const p = await setup(t);
  const be = await loadBackend();
  // The agency's own signature over a bundle of the old form (no jurisdiction), as the newest serial.
  const current = verifyBundle(be, await p.agency.admin.client.bundle().then((b) => ({
    payload: Buffer.from(b.payload!, 'base64url'), signature: Buffer.from(b.signature!, 'base64url'),
  })), { agencyPublicKey: p.agency.agencyKeys.publicKey });
  const { jurisdiction: _, ...old } = { ...current, serial: current.serial + 1 };
  const payload = utf8(JSON.stringify(old));
  await insertBundle(p.db, { agencyId: p.agency.agencyId, serial: old.serial, payload, signature: signDetached(be, 'bundle', payload, p.agency.agencyKeys.secretKey) });
  t.match(await refusal(checkedWorkflow(p.intake.client, p.caseId)), /^jurisdiction_unsigned: .*names no jurisdiction/, 'refused, saying the admin must publish a new bundle');
});

t.test("the admin's next bundle does not take the server's new word for the law", async (t) => {
  const p = await setup(t);
  await p.swap();
  t.match(await refusal(proposeBundle(p.agency.admin.client)), /^jurisdiction_changed: .*says the agency applies EU; its signed bundle says VN/, 'nothing is proposed, so nothing is signed');
});

t.test('the server refuses a bundle naming a law other than the one it applies', async (t) => {
  const p = await setup(t);
  const be = await loadBackend();
  const listed = await p.agency.admin.client.bundle();
  const current = verifyBundle(be, { payload: Buffer.from(listed.payload!, 'base64url'), signature: Buffer.from(listed.signature!, 'base64url') }, { agencyPublicKey: p.agency.agencyKeys.publicKey });
  const payload = utf8(JSON.stringify({ ...current, jurisdiction: 'EU', serial: current.serial + 1 }));
  const res = await p.app.inject({
    method: 'POST', url: '/v1/admin/bundles', headers: { authorization: `Bearer ${p.agency.admin.client.session.token}` },
    payload: { payload: toBase64Url(payload), signature: toBase64Url(signDetached(be, 'bundle', payload, p.agency.agencyKeys.secretKey)) },
  });
  t.equal(res.statusCode, 422, 'bundle_invalid is 422 (the error catalogue)');
  t.match(res.json(), { error: { code: 'bundle_invalid', message: /jurisdiction, VN/ } });
});
