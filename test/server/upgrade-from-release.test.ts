import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import t from 'tap';
import { migrations } from '../../migrations/index.js';
import { verifyAuditViaApi } from '../../src/client/staff-audit.js';
import type { Database } from '../../src/server/db/connect.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { createTestApp } from '../helpers/app.js';
import { testServerUrl } from '../helpers/db.js';
import { dataFingerprint, loadReleaseDatabase, schemaFingerprint } from '../upgrade/load-release.js';
import { observe, readExpected, readSecrets, RELEASE, staffOn } from '../upgrade/release-fixture.js';

// Upgrades (docs/OPERATIONS.md): the previous release's database, with its data, as that
// release left it (test/fixtures/release-0.1.0, made by test/upgrade/make-fixture.ts),
// loaded into a database no migration of this checkout has touched, then upgraded: every
// receipt resolves to the same status, every case, message, file and released identity
// opens to the same bytes, the audit chain verifies and every report figure is unchanged.
// And an upgrade that fails first leaves that database exactly as it was.

const secrets = readSecrets();
const expected = readExpected();

// One load of the fixture for the file: the failed upgrades first (they change nothing),
// then the real one, then everything is read back.
const database = await loadReleaseDatabase(testServerUrl);
t.teardown(() => database.drop());

const executed = async (db: Database) =>
  (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);

/** A migration after every real one that does real work, then fails the way `how` says. */
const failing = (how: 'throws' | 'statement fails'): Migration => ({
  async up(db) {
    await db.schema.createTable('upgrade_probe').addColumn('id', 'integer', (c) => c.primaryKey()).execute();
    await db.schema.alterTable('staff').addColumn('upgrade_probe', 'text').execute();
    await sql`insert into upgrade_probe values (1)`.execute(db);
    await sql`update staff set display_name = 'changed by a failed upgrade'`.execute(db);
    await sql`delete from staff_sessions`.execute(db);
    if (how === 'throws') throw new Error('halfway');
    await sql`select 1 / 0`.execute(db);
  },
});

t.test(`a failed upgrade of the ${RELEASE} database leaves its schema, data and migration table as they were; the real one then runs`, async (t) => {
  const db = database.db;
  t.equal((await executed(db)).at(-1), expected.lastMigration, `the fixture starts at ${expected.lastMigration}`);
  const before = { schema: await schemaFingerprint(db), data: await dataFingerprint(db), executed: await executed(db) };
  t.ok(Number(before.data['staff']!.split(' ')[0]) > 0 && Number(before.data['staff_sessions']!.split(' ')[0]) > 0, 'the failing step has rows to change');

  for (const how of ['throws', 'statement fails'] as const) {
    // The batch holds this checkout's migrations after the release's too: they go back with it.
    const known = { ...migrations, '9999_fails_halfway': failing(how) };
    await t.rejects(migrateToLatest(db, undefined, known), how === 'throws' ? /migration 9999_fails_halfway failed: Error: halfway/ : /migration 9999_fails_halfway failed: .*division by zero/, `the upgrade fails (${how})`);
    t.same(await schemaFingerprint(db), before.schema, `the schema is as it was (${how})`);
    t.same(await dataFingerprint(db), before.data, `every table holds the same rows (${how})`);
    t.same(await executed(db), before.executed, `no migration is recorded as done (${how})`);
  }
  const { applied } = await migrateToLatest(db);
  t.comment(`applied ${applied.length ? applied.join(', ') : 'no migration'} on ${testServerUrl ? 'PostgreSQL' : 'PGlite'}`);
  t.same(applied, Object.keys(migrations).sort().filter((m) => !before.executed.includes(m)), 'and the real upgrade runs afterwards');
});

t.test(`the upgraded ${RELEASE} database: everything in it opens and counts as before`, async (t) => {
  t.same(await executed(database.db), Object.keys(migrations).sort(), 'every migration of this checkout is recorded');
  // The file's database outlives the app: it is dropped when the file ends.
  const { app } = await createTestApp(t, {}, { ...database, drop: async () => {} });
  const view = await observe(app, database.db, secrets);
  t.same(view.receipts, expected.view.receipts, 'every receipt resolves to the same status and timeline');
  for (const [i, c] of view.cases.entries()) {
    t.same(c, expected.view.cases[i], `${secrets.cases[i]!.publicNumber} opens as before, to its denouncer and to the officer: body, identity, messages, files`);
  }
  t.equal(view.released, expected.view.released, 'the identity two custodians released still opens for the head');
  // A later release may add figures (the conclusions' recommended sums came after 0.1.0);
  // every figure the release reported must be there, unchanged.
  t.has(view.report, expected.view.report, 'every figure of the yearly report is unchanged');
  t.same(Object.keys(expected.view.report as object).filter((k) => !(k in (view.report as object))), [], 'and none is gone');
  t.same(view.series, expected.view.series, "and every figure of the report's charts");

  const audit = await verifyAuditViaApi(await staffOn(app, secrets, secrets.staff.auditor), { pinnedFingerprint: secrets.agency.fingerprint });
  t.equal(audit.firstBreak, null, 'the audit chain verifies after the upgrade');
  t.ok(audit.checked >= expected.auditRows, `with every row from the release (${audit.checked} ≥ ${expected.auditRows})`);
});
