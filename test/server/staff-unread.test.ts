import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { ApiClientError } from '../../src/client/http.js';
import { reply } from '../../src/client/staff-messages.js';
import type { ListedCase } from '../../src/client/staff.js';
import { listCasesForStaff } from '../../src/server/db/case-access.js';
import { postMessage } from '../../src/server/db/messages.js';
import type { Database } from '../../src/server/db/connect.js';
import { createTestApp, unlimited } from '../helpers/app.js';
import { newAgency, newCase, newStaff, publishBundleOf, type Person } from './staff-kit.js';

// The inbox's unread flag: a denouncer message beyond the point a staff member marked
// read (POST /v1/staff/cases/:caseId/read), per staff member, moved only forward, and
// refused to whoever may not read the thread exactly as reading it is refused.

async function fromDenouncer(db: Database, caseId: string): Promise<string> {
  const id = randomUUID();
  const posted = await postMessage(db, { id, caseId, direction: 'from_denouncer', authorId: null, ciphertext: new Uint8Array(296), signature: null });
  if (posted.outcome !== 'created') throw new Error('message not stored');
  return id;
}

const listed = async (p: Person, caseId: string, q: Record<string, string> = {}): Promise<ListedCase | undefined> =>
  (await p.client.cases({ limit: 200, ...q })).cases.find((c) => c.caseId === caseId);

const unreadOf = async (p: Person, caseId: string) => (await listed(p, caseId))?.unread;

async function refusal(p: Person, path: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; body: unknown }> {
  try {
    await (method === 'GET' ? p.client.http.get(path) : p.client.http.post(path, body));
    return { status: 200, body: null };
  } catch (err) {
    if (!(err instanceof ApiClientError)) throw err;
    return { status: err.status, body: { code: err.code, message: err.message } };
  }
}

t.test('the unread flag follows the denouncer and each reader\'s own point', async (t) => {
  const { app, database } = await createTestApp(t, unlimited);
  const db = database.db;
  const A = await newAgency(app, db, 'agency-a');
  const intake = await newStaff(app, A, ['intake']);
  const investigator = await newStaff(app, A, ['investigator']);
  const supervisor = await newStaff(app, A, ['supervisor']);
  await publishBundleOf(A);
  const { caseId } = await newCase(db, A, { intake: [intake] });
  const { caseId: quiet } = await newCase(db, A, { intake: [intake] });
  await intake.client.grant(caseId, { staffId: investigator.staffId }, intake.keys);

  t.equal(await unreadOf(intake, caseId), false, 'no message: nothing unread');
  const first = await fromDenouncer(db, caseId);
  t.equal(await unreadOf(intake, caseId), true, 'the denouncer wrote: unread to the intake officer');
  t.equal(await unreadOf(investigator, caseId), true, 'and to the investigator');
  t.equal(await unreadOf(supervisor, caseId), false, 'a supervisor reads no thread, so nothing is unread to them');
  t.same((await intake.client.cases({ unread: 'true' })).cases.map((c) => c.caseId), [caseId], 'unread=true lists the case alone');
  t.same((await intake.client.cases({ unread: 'false' })).cases.map((c) => c.caseId), [quiet], 'unread=false the other');
  t.same((await supervisor.client.cases({ unread: 'true' })).cases, [], 'nothing is unread to a supervisor');

  await intake.client.markRead(caseId, first);
  t.equal(await unreadOf(intake, caseId), false, 'marked read by the intake officer');
  t.equal(await unreadOf(investigator, caseId), true, 'still unread to the investigator: the point is each one\'s own');

  const second = await fromDenouncer(db, caseId);
  t.equal(await unreadOf(intake, caseId), true, 'the denouncer wrote again: unread again');
  await intake.client.markRead(caseId, second);
  await intake.client.markRead(caseId, first);
  t.equal(await unreadOf(intake, caseId), false, 'marking an older message does not move the point back');
  await reply(investigator.client, caseId, 'we are looking into it', investigator.keys);
  t.equal(await unreadOf(intake, caseId), false, 'a colleague\'s reply is not unread news from the denouncer');
  await investigator.client.markRead(caseId, second);
  t.equal(await unreadOf(investigator, caseId), false, 'the investigator marks read up to the denouncer\'s message');

  const marks = await db.selectFrom('audit_log').select(['staff_id', 'detail']).where('action', '=', 'message.mark_read').orderBy('seq').execute();
  t.same(marks.map((m) => [m.staff_id, (m.detail as { messageId: string }).messageId]),
    [[intake.staffId, first], [intake.staffId, second], [investigator.staffId, second]], 'each move of a point is audited, a mark that moves nothing is not');
  const stored = await db.selectFrom('message_reads').selectAll().where('case_id', '=', caseId).execute();
  t.same(Object.keys(stored[0]!).sort(), ['case_id', 'read_seq', 'staff_id'], 'a read point holds no time');
});

t.test('marking read: a message of the case only, and the refusals of reading the thread', async (t) => {
  const { app, database } = await createTestApp(t, unlimited);
  const db = database.db;
  const A = await newAgency(app, db, 'agency-a');
  const B = await newAgency(app, db, 'agency-b');
  const intake = await newStaff(app, A, ['intake']);
  const outsider = await newStaff(app, A, ['investigator'], 'not granted');
  const supervisor = await newStaff(app, A, ['supervisor']);
  const foreign = await newStaff(app, B, ['intake']);
  await publishBundleOf(A);
  const { caseId } = await newCase(db, A, { intake: [intake] });
  const { caseId: otherCase } = await newCase(db, A, { intake: [intake] });
  const message = await fromDenouncer(db, caseId);
  const elsewhere = await fromDenouncer(db, otherCase);

  const wrong = await refusal(intake, `/v1/staff/cases/${caseId}/read`, 'POST', { messageId: elsewhere });
  t.same(wrong, { status: 400, body: { code: 'validation_failed', message: 'no message of this case has this id' } }, 'another case\'s message is refused');
  t.equal((await refusal(intake, `/v1/staff/cases/${caseId}/read`, 'POST', { messageId: randomUUID() })).status, 400, 'so is an unknown id');
  t.equal(await unreadOf(intake, caseId), true, 'and neither moved the point');

  for (const [who, p] of [['an investigator without a grant', outsider], ['another agency\'s intake officer', foreign], ['a supervisor', supervisor]] as const) {
    const reading = await refusal(p, `/v1/staff/cases/${caseId}/messages`, 'GET');
    const marking = await refusal(p, `/v1/staff/cases/${caseId}/read`, 'POST', { messageId: message });
    t.not(reading.status, 200, `${who} may not read the thread`);
    t.same(marking, reading, `${who} gets the refusal reading the thread gets`);
  }
  t.equal(await unreadOf(outsider, caseId), undefined, 'the case is not in the list of someone without a grant');
  t.same(await db.selectFrom('message_reads').selectAll().execute(), [], 'no refused call wrote a point');
});

t.test('unread=true finds unread cases beyond the bounded walk, in list order', async (t) => {
  const { app, database } = await createTestApp(t, unlimited);
  const db = database.db;
  const A = await newAgency(app, db, 'agency-a');
  const intake = await newStaff(app, A, ['intake']);
  // 2,100 cases, one a day back from 2026-06-30, each sealed to the intake officer.
  await sql`
    insert into cases (id, agency_id, public_number, kind, status, has_identity, received_on, bundle_serial, verifier, submission_digest, envelope)
    select gen_random_uuid(), ${A.agencyId}, 'TL-UNREAD-' || i, 'denunciation', 'new', false, date '2026-06-30' - i, 1,
           sha256(convert_to(gen_random_uuid()::text, 'UTF8')), sha256(convert_to(i::text, 'UTF8')), '\\x00'::bytea
    from generate_series(0, 2099) as i`.execute(db);
  await sql`insert into case_keys (id, case_id, recipient, staff_id, wrapped) select gen_random_uuid(), id, 'staff', ${intake.staffId}, '\\x00'::bytea from cases`.execute(db);
  const nth = async (i: number) => (await sql<{ id: string }>`select id from cases where public_number = ${`TL-UNREAD-${i}`}`.execute(db)).rows[0]!.id;
  const early = await nth(10);
  const late = [await nth(2050), await nth(2090)];
  for (const c of [early, ...late]) await fromDenouncer(db, c);

  const viewer = { id: intake.staffId, agencyId: A.agencyId, roles: intake.roles };
  const page = (limit: number, after?: { receivedOn: string; id: string }) => listCasesForStaff(db, viewer, { scope: 'agency', unread: true, limit, after });
  t.same((await page(50)).map((c) => c.id), [early, ...late], 'one inside the walk, two past it, newest first');
  const first = await page(2);
  t.same(first.map((c) => c.id), [early, late[0]], 'a page of two');
  const last = first[1]!;
  t.same((await page(2, { receivedOn: last.receivedOn, id: last.id })).map((c) => c.id), [late[1]], 'the cursor goes on past the walk');
  t.ok((await page(50)).every((c) => c.unread), 'each is flagged unread');
});
