import t, { type Test } from 'tap';
import { proposeBundle, publishBundle } from '../../src/client/staff-bundle.js';
import { readMessages, reply } from '../../src/client/staff-messages.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { staffLabel } from '../../src/cli/workflow/history.js';
import { generateAgencyKeys, loadBackend, signBundle, type BundleContent } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// A database writer relabels colleagues: the intake officer who signed a reply becomes
// "Giám đốc Sở" in the staff table, and the investigator takes the officer's name. The
// signature still checks against the officer's key, so the attack is on the name shown
// beside it. Staff clients take names only from the agency's verified bundles, so the
// relabel shows nowhere; and the admin's next `bundle publish` names it as a change and
// signs nothing until the admin accepts it.

t.setTimeout(300_000);

const LAN = 'Nguyễn Thị Lan';
const MINH = 'Trần Văn Minh';
const FAKE = 'Giám đốc Sở';

async function setup(t: Test) {
  const { app, database } = await createTestApp(t);
  const agency = await newAgency(app, database.db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake'], LAN);
  const investigator = await newStaff(app, agency, ['investigator'], MINH);
  await publishBundleOf(agency);
  const { caseId } = await newCase(database.db, agency, { intake: [intake] });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);
  await reply(intake.client, caseId, 'Chúng tôi đã nhận được tố cáo.', intake.keys);
  const relabel = async () => {
    await database.db.updateTable('staff').set({ display_name: FAKE }).where('id', '=', intake.staffId).execute();
    await database.db.updateTable('staff').set({ display_name: LAN }).where('id', '=', investigator.staffId).execute();
  };
  return { app, db: database.db, agency, intake, investigator, caseId, relabel };
}

const refusal = (p: Promise<unknown>) => p.then(() => 'published', (e: StaffTrustError) => `${e.code}: ${e.message}`);

t.test('a relabel in /v1/staff/colleagues does not change the name shown beside a signature', async (t) => {
  const p = await setup(t);
  await p.relabel();
  const listed = new Map((await p.investigator.client.colleagues()).staff.map((s) => [s.staffId, s.displayName]));
  t.equal(listed.get(p.intake.staffId), FAKE, 'the server now lists the officer under the fake name');
  t.equal(listed.get(p.investigator.staffId), LAN, "and the investigator under the officer's");

  const names = await p.investigator.client.staffNames();
  t.equal(names.get(p.intake.staffId)?.displayName, LAN, 'the officer keeps the name the agency signed');
  t.equal(names.get(p.investigator.staffId)?.displayName, MINH, 'so does the investigator');
  const { contentKey } = await p.investigator.client.openCase(p.caseId, p.investigator.keys);
  const [m] = await readMessages(p.investigator.client, p.caseId, p.agency.agencyId, contentKey);
  t.equal(m?.authenticity, 'signed');
  t.equal(staffLabel(names, m!.authorId!), `${p.intake.staffId} (${LAN})`, 'the reply is shown as signed by the officer, by their signed name');
});

t.test('a member no verified bundle names is shown by staff id, marked unverified', async (t) => {
  const p = await setup(t);
  const newcomer = await newStaff(p.app, p.agency, ['investigator'], 'Lê Hoàng Anh');
  const names = await p.investigator.client.staffNames();
  t.notOk(names.has(newcomer.staffId), 'enrolled, but not yet signed into a bundle: no name');
  t.equal(staffLabel(names, newcomer.staffId), `${newcomer.staffId} (name unverified)`);

  // The server serves a bundle of its own naming the officer "Giám đốc Sở": it does not
  // verify against the pin, and names no one.
  const current = await p.db.selectFrom('key_bundles').select(['serial', 'payload']).where('agency_id', '=', p.agency.agencyId).executeTakeFirstOrThrow();
  const real = JSON.parse(new TextDecoder().decode(current.payload)) as BundleContent;
  const forged: BundleContent = { ...real, serial: 2, staff: real.staff.map((s) => (s.staffId === p.intake.staffId ? { ...s, displayName: FAKE } : s)) };
  const attacker = generateAgencyKeys(await loadBackend());
  const signed = signBundle(await loadBackend(), forged, attacker.secretKey);
  await p.db.updateTable('agencies').set({ signing_public_key: attacker.publicKey }).where('id', '=', p.agency.agencyId).execute();
  await p.db.insertInto('key_bundles').values({ agency_id: p.agency.agencyId, serial: 2, payload: signed.payload, signature: signed.signature }).execute();
  t.match(await refusal(p.investigator.client.staffNames()), /^bundle_invalid: /, 'a bundle not signed by the pinned key gives no names at all');
});

t.test("the admin's next bundle names the relabel as a change and signs nothing until it is accepted", async (t) => {
  const p = await setup(t);
  await p.relabel();
  const proposal = await proposeBundle(p.agency.admin.client);
  t.same(proposal.changed.map((m) => [m.staffId, m.displayName, m.previous?.displayName]).sort(), [
    [p.intake.staffId, FAKE, LAN], [p.investigator.staffId, LAN, MINH],
  ].sort(), 'both renames are changes, beside the names the last bundle signed');
  const refused = await refusal(publishBundle(p.agency.admin.client, p.agency.agencyKeys));
  t.match(refused, /^keys_unconfirmed: /, 'not signed without the admin accepting them');
  t.match(refused, `${FAKE} (${p.intake.staffId}, intake): `, 'naming the relabelled member');
  t.match(refused, `name was "${LAN}"`, 'and the name it replaces');
  t.equal((await p.investigator.client.staffNames()).get(p.intake.staffId)?.displayName, LAN, 'staff clients still show the signed name');
});

t.test('a name no bundle could carry is refused by the server, and by the publisher if the server lists one', async (t) => {
  const p = await setup(t);
  const res = await p.app.inject({
    method: 'POST', url: '/v1/admin/staff', headers: { authorization: `Bearer ${p.agency.admin.client.session.token}` },
    payload: { displayName: 'Nguyễn \u202eThị Lan', roles: ['intake'] },
  });
  t.equal(res.statusCode, 400, 'an invitation under a name with a bidirectional override is refused');
  t.equal(res.json().error.code, 'validation_failed');
  await p.db.updateTable('staff').set({ display_name: `${LAN}\u200b` }).where('id', '=', p.intake.staffId).execute();
  t.match(await refusal(proposeBundle(p.agency.admin.client)), /^name_invalid: .*nothing was signed/, 'a name written into the table behind the server is not signed in');
});
