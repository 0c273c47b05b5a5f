import { randomBytes, randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import t from 'tap';
import { toBase64Url } from '../../src/protocol/index.js';
import { engineOf, type Database } from '../../src/server/db/connect.js';
import { storeCases } from '../../src/server/db/submission-statement.js';
import { submissionDigest } from '../../src/server/db/submissions.js';
import { createTestApp, unlimited } from '../helpers/app.js';
import { createTestAgency, sealTestCase, submissionOf, type TestSubmission } from '../helpers/fixtures.js';
import { withdrawalLetter } from '../server/workflow-fixtures.js';

// The database's log dates every error it raises, with the statement's values when
// log_min_error_statement allows: a denouncer who can make the database raise (a unique
// violation on a retried submission, a taken id) gets a dated line written beside their
// action. Every denouncer route is driven here with duplicate and bad input while every
// error the database driver receives is recorded; none may reach the database.
// (Attachment uploads are covered with their own routes.)

t.setTimeout(600_000);

const seen: string[] = [];
const record = <T>(result: T): T => {
  if (result instanceof Promise) result.catch((e: { code?: string; message?: string }) => seen.push(`${e.code ?? '?'} ${e.message ?? ''}`));
  return result;
};
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  return record((pgQuery as (...a: unknown[]) => unknown).apply(this, args));
} as typeof pgQuery;
const pgliteQuery = PGlite.prototype.query;
PGlite.prototype.query = function (this: PGlite, ...args: Parameters<typeof pgliteQuery>) {
  return record(pgliteQuery.apply(this, args));
} as typeof pgliteQuery;
const pgliteTransaction = PGlite.prototype.transaction;
PGlite.prototype.transaction = function (this: PGlite, fn: Parameters<typeof pgliteTransaction>[0]) {
  return record(pgliteTransaction.call(this, (tx) => {
    const txQuery = tx.query.bind(tx);
    tx.query = ((...a: Parameters<typeof txQuery>) => record(txQuery(...a))) as typeof tx.query;
    return fn(tx);
  }));
} as typeof pgliteTransaction;

t.test('no denouncer input makes the database raise an error', async (t) => {
  // Budgets out of reach: one receipt's daily urgent budget would otherwise be spent by
  // the protection requests, and the retaliation reports never reach the database.
  const { app, database } = await createTestApp(t, unlimited);
  const db = database.db;
  await sql`select 1 / 0`.execute(db).catch(() => {});
  t.equal(seen.length, 1, 'the recorder sees an error the database raises (control)');
  seen.length = 0;

  const agency = await createTestAgency(db, { custodians: 2, threshold: 2 });
  const timed = await timedRowCounts(db);
  const [c1, c2] = agency.withRole('custodian');
  const post = (url: string, payload: object, authorization?: string) =>
    app.inject({ method: 'POST', url, payload, ...(authorization ? { headers: { authorization } } : {}) });
  const statuses: number[] = [];
  const drive = async (url: string, payload: object, authorization?: string) => statuses.push((await post(url, payload, authorization)).statusCode);

  const sub = await sealTestCase(agency, 'the mayor takes bribes', { identity: 'Nguyen Van A' });
  await drive('/v1/cases', sub.body);
  await drive('/v1/cases', sub.body); // a retry after a lost answer
  const other = await sealTestCase(agency, 'another case');
  await drive('/v1/cases', { ...other.body, caseId: sub.caseId }); // a taken case id, other bytes
  await drive('/v1/cases', { ...other.body, verifier: sub.body['verifier'] }); // a taken verifier
  await drive('/v1/cases', { ...other.body, agencyId: randomUUID() });
  await drive('/v1/cases', { ...other.body, recipientKeys: [{ staffId: randomUUID(), wrapped: toBase64Url(randomBytes(114)) }] });

  const receipt = sub.authorization;
  const message = { messageId: randomUUID(), ciphertext: toBase64Url(randomBytes(40 + 256)) };
  await drive('/v1/case/messages', message, receipt);
  await drive('/v1/case/messages', message, receipt); // the same message again
  await drive('/v1/case/messages', { ...message, ciphertext: toBase64Url(randomBytes(40 + 512)) }, receipt); // its id, other bytes
  for (const after of ['999999999999999999', '0']) {
    statuses.push((await app.inject({ url: `/v1/case/messages?after=${after}`, headers: { authorization: receipt } })).statusCode);
  }
  for (const url of ['/v1/case', '/v1/case/sealed', '/v1/case/timeline']) {
    statuses.push((await app.inject({ url, headers: { authorization: receipt } })).statusCode);
    statuses.push((await app.inject({ url, headers: { authorization: `Receipt ${toBase64Url(randomBytes(32))}` } })).statusCode);
  }

  const shares = [c1!, c2!].map((c) => ({ staffId: c.id, wrapped: toBase64Url(randomBytes(115)) }));
  const protection = { protectionRequestId: randomUUID(), urgent: false, sealedDetails: toBase64Url(randomBytes(200)), threshold: 2, denouncerKey: toBase64Url(randomBytes(114)), shares };
  await drive('/v1/case/protection', protection, receipt);
  await drive('/v1/case/protection', { ...protection, shares: [shares[0], shares[0]] }, receipt);
  await drive('/v1/case/protection', { ...protection, shares: [shares[0], { ...shares[1], staffId: randomUUID() }] }, receipt);

  const retaliation = await sealTestCase(agency, 'they moved me to the archive');
  const report = { ...retaliation.body, bundleSerial: 1 };
  delete (report as Record<string, unknown>)['agencyId'];
  delete (report as Record<string, unknown>)['kind'];
  await drive('/v1/case/retaliation', report, receipt);
  await drive('/v1/case/retaliation', report, receipt); // the same report again
  await drive('/v1/case/retaliation', { ...report, caseId: sub.caseId }, receipt); // a taken case id
  await drive('/v1/case/retaliation', { ...report, caseId: randomUUID(), verifier: sub.body['verifier'] }, receipt); // a taken verifier

  const letter = { scope: 'all', letter: withdrawalLetter() };
  await drive('/v1/case/withdraw', letter, receipt);
  await drive('/v1/case/withdraw', letter, receipt); // the same letter again
  await drive('/v1/case/withdraw', { ...letter, letter: withdrawalLetter() }, receipt); // already withdrawn
  statuses.push((await app.inject({ url: '/v1/agencies/no-such-agency' })).statusCode);
  statuses.push((await app.inject({ url: `/v1/publications?agency=${agency.slug}` })).statusCode);

  t.ok(statuses.every((s) => s < 500), `every answer is below 500 (${statuses.join(' ')})`);
  t.ok(statuses.filter((s) => s === 409).length >= 3, 'the duplicates were answered as conflicts');
  t.same(seen, [], 'the database raised no error');
  const after = await timedRowCounts(db);
  const grown = Object.keys(after).filter((table) => after[table] !== timed[table] && table !== 'pow_spent');
  t.same(grown, [], 'no row with a time of day was written by a denouncer action (only days)');
});

// Two submissions of one case at the same moment: the same bytes twice (a client that
// retried before its first answer came back), or the same case id with other bytes. On
// either database they meet in one batch of the submission queue; on PostgreSQL, two
// instances' statements also meet in the database, the second starting before the
// first commits. Neither may raise a unique violation.
t.test('two submissions racing for one case id make the database raise no error', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const agency = await createTestAgency(db, { custodians: 1, threshold: 1 });
  const post = (url: string, payload: object, authorization?: string) =>
    app.inject({ method: 'POST', url, payload, ...(authorization ? { headers: { authorization } } : {}) });
  seen.length = 0;

  await t.test('through the routes, at once', async (t) => {
    const twice = await sealTestCase(agency, 'sent twice at once');
    const same = await Promise.all([post('/v1/cases', twice.body), post('/v1/cases', twice.body)]);
    t.same(same.map((r) => r.statusCode).sort(), [200, 201], 'one is stored, the other answered as its retry');
    t.equal(same[0]!.json().publicNumber, same[1]!.json().publicNumber, 'with the same number');
    const clash = await sealTestCase(agency, 'the same id, other bytes');
    const clashed = await Promise.all([post('/v1/cases', clash.body), post('/v1/cases', { ...clash.body, kind: 'petition' })]);
    t.same(clashed.map((r) => r.statusCode).sort(), [201, 409], 'one is stored, the other is a conflict');
    const report = await sealTestCase(agency, 'they moved me to the archive, twice');
    const body = { ...report.body, bundleSerial: agency.bundle.serial };
    delete (body as Record<string, unknown>)['agencyId'];
    delete (body as Record<string, unknown>)['kind'];
    const reports = await Promise.all([post('/v1/case/retaliation', body, twice.authorization), post('/v1/case/retaliation', body, twice.authorization)]);
    t.same(reports.map((r) => r.statusCode), [201, 201], 'a retaliation report sent twice is stored once');
    t.equal(reports[0]!.json().publicNumber, reports[1]!.json().publicNumber);
    t.same(seen, [], 'the database raised no error');
  });

  // PostgreSQL: the second statement runs on its own connection and waits on the first's
  // lock. PGlite: one connection, held by the open transaction, so the second waits for it.
  const secondWaits = (racing: Promise<unknown>) => engineOf(db).name === 'postgres'
    ? untilWaitingOnALock(db)
    : Promise.race([racing.then(() => false), new Promise<boolean>((done) => setTimeout(() => done(true), 300))]);
  await t.test('in the database: the second statement starts before the first commits', async (t) => {
    for (const [name, second, status] of [['the same bytes', (s: TestSubmission) => s.body, 200], ['other bytes', (s: TestSubmission) => ({ ...s.body, kind: 'petition' }), 409]] as const) {
      const sub = await sealTestCase(agency, `raced: ${name}`);
      let racing: ReturnType<typeof post> | undefined;
      await db.transaction().execute(async (trx) => {
        // The first instance's statement: stored, not yet committed.
        const pending = { submission: submissionOf(sub), digest: submissionDigest(submissionOf(sub)), checkedAgainst: undefined };
        t.same((await storeCases(trx, [pending])).rows.map((r) => r.outcome), ['created'], `${name}: the first is stored`);
        racing = post('/v1/cases', second(sub));
        t.ok(await secondWaits(racing), `${name}: the second statement waits for the first`);
      });
      const answer = await racing!;
      t.equal(answer.statusCode, status, `${name}: answered ${status} once the first committed`);
    }
    t.same(seen, [], 'the database raised no error');
  });
});

/** Whether a session of this database comes to wait on a lock (polled; false if none ever does). */
async function untilWaitingOnALock(db: Database): Promise<boolean> {
  return until(async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    return rows[0]!.n > 0;
  });
}

async function until(condition: () => boolean | Promise<boolean>, tries = 2000): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await condition()) return true;
    await new Promise((done) => setTimeout(done, 10));
  }
  return false;
}

/** Row counts of every table with a time-of-day column (pow_spent keeps only a day boundary). */
async function timedRowCounts(db: Database): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select distinct table_name from information_schema.columns
    where table_schema = current_schema() and data_type like 'timestamp%' order by table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { table_name: name } of tables.rows) {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(name)}`.execute(db);
    counts[name] = Number(r.rows[0]!.n);
  }
  return counts;
}
