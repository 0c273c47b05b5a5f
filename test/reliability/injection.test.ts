import { sql } from 'kysely';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { databaseFingerprint, writeCounter } from './invariants.js';
import { documentedOperations, fillPath, pathParams, sampleFor, stringFields, withField, type Operation } from './openapi.js';

// Every text parameter of every documented route, probed with SQL-injection payloads.
// A refused request must leave the database exactly as it was; an accepted one may
// only have written its own row. Whatever happens, no table is lost and the canary
// row planted beside the schema survives untouched.

const allPayloads = [
  "'",
  "''; --",
  "' or '1'='1",
  "' or 1=1 --",
  '" or ""="',
  "'; drop table cases; --",
  "'; delete from staff; --",
  "1; update staff set roles = '{admin}'",
  "' union select null, null, null --",
  "'); insert into injection_canary values ('pwned'); --",
  "\\'; select pg_sleep(5); --",
  '$1',
  '$$; drop table agencies; $$',
  '%27%20or%201%3D1',
  "00000000-0000-4000-8000-000000000000' or '1'='1",
  "\u0000' or '1'='1",
];
// A representative handful by default keeps `npm test` quick; TIPLINE_INJECTION_FULL=1 sends all.
const payloads = process.env['TIPLINE_INJECTION_FULL'] === '1' ? allPayloads : allPayloads.filter((_, i) => [0, 2, 5, 9, 12, 15].includes(i));

// Tables a refused request may still touch by design (spent challenges, sessions' last use).
const volatile = ['pow_spent', 'login_challenges', 'staff_sessions', 'rate_limits'];

interface Probe { label: string; url: string; headers: Record<string, string>; body: unknown }

function probesFor(op: Operation, payload: string): Probe[] {
  const names = pathParams(op);
  const base = Object.fromEntries(names.map((n) => [n, '00000000-0000-4000-8000-000000000000']));
  const body = op.bodySchema ? sampleFor(op.bodySchema) : undefined;
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  const probes: Probe[] = [];
  for (const n of names) probes.push({ label: `path ${n}`, url: fillPath(op.template, { ...base, [n]: payload }), headers, body });
  const url = fillPath(op.template, base);
  for (const q of op.parameters.filter((p) => p.in === 'query')) {
    probes.push({ label: `query ${q.name}`, url: `${url}?${new URLSearchParams({ [q.name]: payload })}`, headers, body });
  }
  probes.push({ label: 'authorization', url, headers: { ...headers, authorization: `Receipt ${payload}` }, body });
  probes.push({ label: 'bearer', url, headers: { ...headers, authorization: `Bearer ${payload}` }, body });
  for (const path of stringFields(op.bodySchema)) {
    probes.push({ label: `body ${path.join('.') || '(root)'}`, url, headers, body: withField(body, path, payload) });
  }
  return probes;
}

t.test('SQL-injection payloads in every text parameter change nothing', async (t) => {
  const { app, database } = await createTestApp(t, { rateLimitPerMinute: 1_000_000 });
  const db = database.db;
  await sql`create table injection_canary (note text not null)`.execute(db);
  await sql`insert into injection_canary values ('intact')`.execute(db);
  const writes = await writeCounter(db, volatile);
  const unmoved = await writes();
  await sql`update injection_canary set note = note`.execute(db);
  t.not(await writes(), unmoved, 'the write counter sees a write');
  const tablesBefore = await tableNames(db);
  const ignored = [...volatile, 'test_write_count'];
  let fingerprint = await databaseFingerprint(db, ignored);
  let written = await writes();
  let probes = 0;
  for (const op of await documentedOperations(app)) {
    for (const payload of payloads) {
      for (const probe of probesFor(op, payload)) {
        probes++;
        const res = await app.inject({
          method: op.method as 'GET',
          url: probe.url,
          headers: probe.headers,
          ...(probe.body !== undefined ? { payload: JSON.stringify(probe.body) } : {}),
        });
        const where = `${op.method} ${op.template} ${probe.label} ${JSON.stringify(payload)}`;
        if (res.statusCode >= 500) t.fail(`${where}: ${res.statusCode}`);
        // Only a probe that wrote something can have changed the content.
        const now = await writes();
        if (now === written) continue;
        written = now;
        const after = await databaseFingerprint(db, ignored);
        if (res.statusCode >= 400) {
          if (after !== fingerprint) t.fail(`${where}: refused (${res.statusCode}) yet the database changed`);
        }
        fingerprint = after;
      }
    }
  }
  t.ok(probes > 0, `${probes} probes sent`);
  t.same(await tableNames(db), tablesBefore, 'no table was dropped or created');
  const canary = await sql<{ note: string }>`select note from injection_canary`.execute(db);
  t.same(canary.rows, [{ note: 'intact' }], 'the canary row is untouched');
});

async function tableNames(db: import('../../src/server/db/connect.js').Database): Promise<string[]> {
  const r = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'public' order by 1`.execute(db);
  return r.rows.map((x) => x.name);
}
