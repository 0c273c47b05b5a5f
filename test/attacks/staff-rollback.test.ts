import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { StaffClient } from '../../src/client/staff.js';
import { fileTrustStore, pinAgency, pinnedAgency } from '../../src/client/staff-trust-file.js';
import type { StaffTrustError } from '../../src/client/staff-trust.js';
import { createTestApp } from '../helpers/app.js';
import { injectHttp, newAgency, newCase, newStaff, publishBundleOf } from '../server/staff-kit.js';

// Rollback: an attacker with database write access deletes the newest key bundle, so the
// server again offers an older, genuinely signed one that still lists an officer who has
// since left. A staff client that has seen the newer serial must refuse (bundle_rollback)
// rather than seal a case key to the departed officer — also in a later run of the CLI,
// which remembers the serial in its trust store on disk.

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: StaffTrustError) => e.code ?? String(e));

t.setTimeout(300_000);

t.test('deleting the newest bundle row makes a pinned client refuse', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await newAgency(app, db, 'thanh-tra');
  const intake = await newStaff(app, agency, ['intake']);
  const staying = await newStaff(app, agency, ['investigator']);
  const departing = await newStaff(app, agency, ['investigator']);
  await publishBundleOf(agency);

  const home = mkdtempSync(join(tmpdir(), 'tipline-rollback-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  await pinAgency(home, agency.agencyId, agency.fingerprint);
  // A fresh client per command, as each `tipline` run makes one from TIPLINE_HOME.
  const cli = () => new StaffClient(injectHttp(app), intake.client.session, fileTrustStore(home));

  const first = await newCase(db, agency, { intake: [intake] });
  await cli().grant(first.caseId, { staffId: staying.staffId }, intake.keys);
  t.equal((await pinnedAgency(home, agency.agencyId))?.highestSerial, 1, 'serial 1 remembered');

  await agency.admin.client.deactivate(departing.staffId);
  await publishBundleOf(agency);
  const second = await newCase(db, agency, { intake: [intake] });
  t.equal(await codeOf(cli().grant(second.caseId, { staffId: departing.staffId }, intake.keys)), 'not_in_bundle', 'the current bundle no longer lists the departed officer');
  t.equal((await pinnedAgency(home, agency.agencyId))?.highestSerial, 2, 'serial 2 remembered on disk');
  t.equal(statSync(join(home, 'agency-pins.json')).mode & 0o777, 0o600, 'the trust store is private');

  // The attack: the newest row goes, and the officer's account is made active again.
  await db.deleteFrom('key_bundles').where('agency_id', '=', agency.agencyId).where('serial', '=', 2).execute();
  await db.updateTable('staff').set({ status: 'active' }).where('id', '=', departing.staffId).execute();
  t.equal((await cli().bundle()).serial, 1, 'the server now offers serial 1');

  t.equal(await codeOf(cli().grant(second.caseId, { staffId: departing.staffId }, intake.keys)), 'bundle_rollback', 'the next run refuses the older bundle');
  t.equal(await codeOf(cli().verifiedBundle()), 'bundle_rollback');
  const sealed = await db.selectFrom('case_keys').select('id').where('staff_id', '=', departing.staffId).where('case_id', '=', second.caseId).execute();
  t.same(sealed, [], 'nothing was sealed to the departed officer');
  t.equal((await pinnedAgency(home, agency.agencyId))?.highestSerial, 2, 'and the remembered serial did not go down');
});
