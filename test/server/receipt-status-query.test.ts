import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import t from 'tap';
import { loadBackend, receiptVerifier, fromBase64Url } from '../../src/protocol/index.js';
import { createTestApp } from '../helpers/app.js';
import { grant, makeAgency, makeCase, makeStaff, transition } from './workflow-fixtures.js';

// The status look-up by receipt is one query, receipt_status_rows() (src/server/db/sql/):
// PostgreSQL calls it as a named prepared statement, inlined into the call; the embedded
// database through the PL/pgSQL wrapper receipt_status() (src/server/db/cases.ts). Both
// calls run here, on either database: they must answer alike, column for column,
// whatever the case's history, and the SQL function must stay one the planner inlines.

t.test('receipt_status() and receipt_status_rows() give the same rows', async (t) => {
  const { app, database } = await createTestApp(t);
  const db = database.db;
  const be = await loadBackend('sodium');
  const agency = await makeAgency(db);
  const intake = await makeStaff(db, agency, ['intake']);
  const holder = await makeStaff(db, agency, ['investigator']);
  const head = await makeStaff(db, agency, ['supervisor']);

  const fresh = await makeCase(db, agency, '2026-01-05');
  const worked = await makeCase(db, agency, '2026-01-05');
  await grant(db, worked.id, holder.id);
  for (const [auth, body] of [
    [intake.auth, { action: 'triage', onDay: '2026-01-06' }],
    [intake.auth, { action: 'accept', onDay: '2026-01-12' }],
    [holder.auth, { action: 'start_verification', onDay: '2026-01-15' }],
    [head.auth, { action: 'suspend', onDay: '2026-02-02' }],
  ] as const) {
    t.equal((await transition(app, auth, worked.id, body)).status, 201, String(body.action));
  }

  const verifierOf = (receipt: string) => receiptVerifier(be, fromBase64Url(receipt.replace(/^Receipt /, '')));
  const viaFunction = async (v: Uint8Array) => (await sql`select * from receipt_status(${v})`.execute(db)).rows;
  const viaQuery = async (v: Uint8Array) => (await sql<{ timeline: { event: string }[] }>`select * from receipt_status_rows(${v})`.execute(db)).rows;

  for (const [name, v] of [['fresh case', verifierOf(fresh.receipt)], ['worked case', verifierOf(worked.receipt)], ['unknown receipt', new Uint8Array(randomBytes(32))]] as const) {
    const a = await viaFunction(v);
    const b = await viaQuery(v);
    t.same(b, a, `${name}: same rows`);
    t.equal(a.length, name === 'unknown receipt' ? 0 : 1, `${name}: row count`);
  }
  const [worked1] = await viaQuery(verifierOf(worked.receipt));
  t.same(worked1?.timeline.map((e) => e.event), ['triage', 'accept', 'start_verification', 'suspend'], 'the timeline is in order');
  const [fresh1] = await viaQuery(verifierOf(fresh.receipt));
  t.same(fresh1?.timeline, [], 'no events: an empty timeline, not null');

  const res = await app.inject({ url: '/v1/case', headers: { authorization: worked.receipt } });
  t.equal(res.statusCode, 200);
  t.same(res.json().timeline.map((e: { event: string }) => e.event), ['triage', 'accept', 'start_verification', 'suspend'], 'the route answers from it');
});

t.test('receipt_status_rows() is inlined: its caller runs the query itself, with no function scan', async (t) => {
  const { database } = await createTestApp(t);
  const nodes = (plan: { 'Node Type': string; Plans?: unknown[] }): string[] =>
    [plan['Node Type'], ...((plan.Plans ?? []) as (typeof plan)[]).flatMap(nodes)];
  const explain = async (call: string) => {
    const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: { 'Node Type': string } }] }>`explain (format json) select * from ${sql.raw(call)}(${new Uint8Array(32)})`.execute(database.db);
    return nodes(rows[0]!['QUERY PLAN'][0].Plan);
  };
  const inlined = await explain('receipt_status_rows');
  t.notOk(inlined.includes('Function Scan'), `no function scan (${inlined.join(', ')})`);
  t.ok(inlined.includes('Index Scan'), 'the verifier index is probed');
  t.ok((await explain('receipt_status')).includes('Function Scan'), 'the PL/pgSQL wrapper is a function scan (control)');
});
