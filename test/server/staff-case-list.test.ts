import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { assigneesOf, listCasesForStaff, type CaseListQuery, type CaseViewer } from '../../src/server/db/case-access.js';
import type { Database } from '../../src/server/db/connect.js';
import { createTestDatabase } from '../helpers/db.js';
import { createTestAgency } from '../helpers/fixtures.js';

// Keyset paging of the staff case list, both views, against the order a reader would
// expect: newest day first, then id descending, every case exactly once across pages,
// including many cases on the same day (where the cursor's second column decides).

async function insertCases(db: Database, agencyId: string, days: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const day of days) {
    const id = randomUUID();
    ids.push(id);
    await sql`insert into cases (id, agency_id, public_number, kind, status, has_identity, received_on, bundle_serial, verifier, submission_digest, envelope)
      values (${id}, ${agencyId}, ${`TL-LIST-${id}`}, 'denunciation', 'new', false, ${day}, 1, ${randomBytes(32)}, ${randomBytes(32)}, ${randomBytes(8)})`.execute(db);
  }
  return ids;
}

async function grant(db: Database, caseId: string, staffId: string, grantedBy: string | null = null): Promise<void> {
  await sql`insert into case_keys (id, case_id, recipient, staff_id, wrapped, granted_by) values (${randomUUID()}, ${caseId}, 'staff', ${staffId}, ${new Uint8Array(48)}, ${grantedBy})`.execute(db);
}

async function walk(db: Database, viewer: CaseViewer, q: Omit<CaseListQuery, 'after'>): Promise<string[]> {
  const seen: string[] = [];
  let after: CaseListQuery['after'];
  for (;;) {
    const page = await listCasesForStaff(db, viewer, { ...q, after });
    seen.push(...page.map((c) => c.id));
    if (page.length < q.limit) return seen;
    const last = page[page.length - 1]!;
    after = { receivedOn: last.receivedOn, id: last.id };
  }
}

const newestFirst = (rows: { id: string; day: string }[]) =>
  [...rows].sort((a, b) => (a.day !== b.day ? (a.day < b.day ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((r) => r.id);

t.test('pages cover each case once, newest first, in both views', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  const agency = await createTestAgency(db, { investigators: 1 });
  const other = await createTestAgency(db);
  const days = Array.from({ length: 37 }, (_, i) => `2026-0${1 + (i % 3)}-1${i % 4}`);
  const ids = await insertCases(db, agency.id, days);
  const foreign = await insertCases(db, other.id, ['2026-02-11', '2026-02-11', '2026-03-01']);
  const rows = ids.map((id, i) => ({ id, day: days[i]! }));

  const intake = agency.withRole('intake')[0]!;
  const agencyView = await walk(db, { id: intake.id, agencyId: agency.id, roles: intake.roles }, { scope: 'agency', limit: 5 });
  t.same(agencyView, newestFirst(rows), 'the agency view lists its own cases only, in order');

  const investigator = agency.withRole('investigator')[0]!;
  const granted = rows.filter((_, i) => i % 3 === 0);
  for (const r of granted) await grant(db, r.id, investigator.id);
  await grant(db, granted[0]!.id, investigator.id); // a duplicate grant row
  await grant(db, foreign[1]!, investigator.id); // a case transferred from another agency
  const viewer = { id: investigator.id, agencyId: agency.id, roles: investigator.roles };
  const grantedView = await walk(db, viewer, { scope: 'granted', limit: 4 });
  t.same(grantedView, newestFirst([...granted, { id: foreign[1]!, day: '2026-02-11' }]), 'the granted view lists granted cases once each');
  t.same(await listCasesForStaff(db, viewer, { scope: 'agency', limit: 50 }), [], 'an investigator has no agency view');
});

t.test('the urgent and assigned-to-me filters, and who each case is assigned to', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const db = database.db;
  const agency = await createTestAgency(db, { investigators: 2 });
  const [a, b, c] = await insertCases(db, agency.id, ['2026-03-01', '2026-03-02', '2026-03-03']);
  await sql`update cases set urgent = true where id = ${b!}`.execute(db);
  const intake = agency.withRole('intake')[0]!;
  const [first, second] = agency.withRole('investigator');
  // A key wrapped at submission is the intake officer's, not an assignment.
  await grant(db, a!, intake.id);
  await grant(db, a!, first!.id, intake.id);
  await grant(db, c!, first!.id, intake.id);
  await grant(db, c!, second!.id, intake.id);
  const asIntake = { id: intake.id, agencyId: agency.id, roles: intake.roles };
  const ids = async (q: Partial<CaseListQuery>) => (await listCasesForStaff(db, asIntake, { scope: 'agency', limit: 50, ...q })).map((r) => r.id);
  t.same(await ids({ urgent: true }), [b], 'urgent only');
  t.same(await ids({ urgent: false }), [c, a], 'not urgent only');
  t.same(await ids({ assignedToMe: true }), [], 'nothing was assigned to the intake officer: a submission key is not an assignment');
  const asFirst = { id: first!.id, agencyId: agency.id, roles: first!.roles };
  t.same((await listCasesForStaff(db, asFirst, { scope: 'granted', assignedToMe: true, limit: 50 })).map((r) => r.id), [c, a], 'assigned to the investigator');
  const assignees = await assigneesOf(db, [a!, b!, c!]);
  t.same(assignees.get(a!), [first!.id], 'the intake officer\'s own submission key is not listed');
  t.same(assignees.get(b!), [], 'an unassigned case has no assignee');
  t.same([...assignees.get(c!)!].sort(), [first!.id, second!.id].sort(), 'both investigators');
});
