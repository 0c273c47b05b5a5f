import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import t from 'tap';
import type { Database } from '../../src/server/db/connect.js';
import { createSession } from '../../src/server/db/sessions.js';
import { createTestApp, unlimited } from '../helpers/app.js';
import { createTestAgency, sealTestCase } from '../helpers/fixtures.js';
import { assertNoHalfWrittenCase } from './invariants.js';
import {
  documentedOperations, encodeHostile, fieldAt, fieldsOf, fillPath, pathParams, sampleFor, undeclared, withField, type JsonSchema, type Operation, type Parameter,
} from './openapi.js';

// Hostile input for every documented route, generated from the route's own schema in
// /openapi.json and sent with a live session of every role (and a receipt): never a
// 5xx, never a crash, never a half-written case, and every answer one the route declares
// (status, media type, error code). Seeded, so a failure replays; runs per
// route scale with TIPLINE_FUZZ_RUNS (default 20), the seed with TIPLINE_FUZZ_SEED.

const runs = Number(process.env['TIPLINE_FUZZ_RUNS'] ?? 20);
const seed = Number(process.env['TIPLINE_FUZZ_SEED'] ?? 1414);

// The classes of input that once reached the database or the date arithmetic and came
// back as a 500: each generator below is one class, drawn for every field of every
// route's own schema.
const nulText = fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`);
const loneSurrogate = fc.constantFrom('\uD800', 'a\uDBFFb', '\uDC00z', `${'x'.repeat(10)}\uDFFF`);
const badBase64 = fc.constantFrom('A', 'AAAAA', 'AB', 'AAB', 'AAA=', 'AA==', '+/+/', 'A A', 'Zm9v\n', '=');
const hugeDay = fc.constantFrom('9999-12-31', '0000-01-01', '1969-12-31', '2024-02-30', '275760-09-13', '+010000-01-01', '2024-1-1', '2024-13-01');
const hugeNumber = fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, 0.5, -0.0001);
const oddStrings = fc.oneof(
  nulText, loneSurrogate, badBase64, hugeDay,
  fc.string(), fc.string({ unit: 'binary', maxLength: 40 }), fc.uuid(),
  fc.constantFrom('', '-1', '1e309', 'NaN', '99999999999999999999', '../../etc/passwd', '%00', 'null', '[]', '👀'.repeat(300)),
  fc.constant('A'.repeat(70000)),
);
const wrongType = fc.oneof(fc.constant(null), fc.boolean(), hugeNumber, fc.constant({}), fc.constant([]), fc.constant({ '0': 'x' }), fc.string({ maxLength: 5 }));

interface Ids { uuids: string[]; days: string[] }

/** A value for one field, from the classes that fit what the field is. */
function valueFor(schema: JsonSchema, ids: Ids, current: unknown): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  const knownId = fc.constantFrom(...ids.uuids);
  if (type === 'array') {
    const first = Array.isArray(current) ? current[0] : null;
    return fc.oneof(
      fc.constant([]),
      fc.constant(Array.from({ length: 2 }, () => first)), // the same id twice
      fc.integer({ min: 257, max: 5000 }).map((n) => Array.from({ length: n }, () => first)),
      wrongType,
    );
  }
  if (type === 'integer' || type === 'number') return fc.oneof(hugeNumber, fc.integer(), wrongType, fc.constantFrom('1', '1e3'));
  if (type === 'string') {
    if (schema.format === 'uuid') return fc.oneof(knownId, fc.uuid(), fc.constant(String(current).toUpperCase()), nulText, wrongType);
    return fc.oneof(oddStrings, knownId, wrongType);
  }
  return fc.oneof(wrongType, oddStrings);
}

/** The route's sample body with one to three fields replaced by an input class. */
function mutatedBody(op: Operation, ids: Ids): fc.Arbitrary<string> {
  const sample = sampleFor(op.bodySchema);
  const fields = fieldsOf(op.bodySchema);
  if (fields.length === 0) return fc.constant(JSON.stringify(sample));
  const edit = fc.constantFrom(...fields).chain((f) => valueFor(f.schema, ids, fieldAt(sample, f.path)).map((v) => [f.path, v] as const));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => JSON.stringify(edits.reduce((body, [path, v]) => withField(body, path, v), sample)));
}

function bodyArbitrary(op: Operation, ids: Ids): fc.Arbitrary<string | Buffer | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedBody(op, ids) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(sampleFor(op.bodySchema))) },
    { weight: 1, arbitrary: fc.oneof(
      fc.constant(undefined),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
      fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
      fc.constant(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe])),
      fc.integer({ min: 100, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
    ) },
  );
}

function paramArbitrary(p: Parameter, ids: Ids): fc.Arbitrary<string> {
  const s = p.schema ?? {};
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (s.enum?.length) return fc.oneof(fc.constantFrom(...s.enum.map(String)), oddStrings);
  if (s.format === 'uuid' || /id$/i.test(p.name)) return fc.oneof(fc.constantFrom(...ids.uuids), fc.uuid(), oddStrings);
  if (/day|asof|from|to|by$/i.test(p.name)) return fc.oneof(fc.constantFrom(...ids.days), hugeDay, oddStrings);
  if (type === 'integer' || type === 'number') return fc.oneof(hugeNumber.map(String), oddStrings);
  return oddStrings;
}

function requestArbitrary(op: Operation, ids: Ids, credentials: string[]) {
  const byName = new Map(op.parameters.map((p) => [p.name, p] as const));
  const params = fc.record(Object.fromEntries(pathParams(op).map((n) => [n, paramArbitrary(byName.get(n) ?? { name: n, in: 'path' }, ids)])) as Record<string, fc.Arbitrary<string>>);
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const query = fc.array(
    fc.oneof(...queryParams.map((p) => paramArbitrary(p, ids).map((v) => [p.name, v.slice(0, 2000)] as const)), fc.tuple(fc.constant('x'), fc.string({ maxLength: 4 }))),
    { maxLength: 3 },
  );
  const authorization = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...credentials) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'Receipt', 'Bearer ', `Receipt ${'A'.repeat(43)}`, `Bearer ${'A'.repeat(43)}`, 'Receipt AAA=', 'Bearer \u0000') },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant(op.bodyTypes[0] ?? 'application/json') },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'application/json; charset=utf-16', 'text/plain', 'garbage/;;;', 'application/octet-stream') },
  );
  const body = op.method === 'GET' || op.method === 'DELETE' ? fc.constant(undefined) : bodyArbitrary(op, ids);
  return fc.record({ params, query, authorization, contentType, body });
}

/** An agency with every role logged in and a case with its receipt: the fuzz reaches past authentication. */
async function population(app: Awaited<ReturnType<typeof createTestApp>>['app'], db: Database) {
  const agency = await createTestAgency(db, { custodians: 2, investigators: 1, extraStaff: [['admin'], ['supervisor'], ['auditor']] });
  const submission = await sealTestCase(agency, 'the mayor takes bribes', { identity: 'Nguyen Van A' });
  const created = await app.inject({ method: 'POST', url: '/v1/cases', payload: submission.body });
  if (created.statusCode !== 201) throw new Error(`the fuzz case was not created: ${created.body}`);
  await db.insertInto('case_keys').values(agency.staff.filter((s) => !s.roles.includes('intake')).map((s) => ({
    id: randomUUID(), case_id: submission.caseId, recipient: 'staff' as const, staff_id: s.id, wrapped: randomBytes(114),
  }))).execute();
  /** Fresh sessions for everyone, reactivated: a fuzzed deactivate or logout must not blind the routes after it. */
  const sessions = async () => {
    await db.updateTable('staff').set({ status: 'active' }).where('agency_id', '=', agency.id).execute();
    const tokens = await Promise.all(agency.staff.map((s) => createSession(db, s.id, { idleSeconds: 3600, maxSeconds: 7200 })));
    return [...tokens.map((x) => `Bearer ${x.token}`), submission.authorization];
  };
  const ids: Ids = {
    uuids: [agency.id, submission.caseId, ...agency.staff.map((s) => s.id)],
    days: ['2026-01-01', new Date().toISOString().slice(0, 10)],
  };
  return { sessions, ids };
}

t.test('every documented route, with every role, never answers a 5xx to hostile input', async (t) => {
  const { app, database } = await createTestApp(t, unlimited);
  const ops = await documentedOperations(app);
  t.ok(ops.length > 40, `the OpenAPI document lists the routes (${ops.length})`);
  const { sessions, ids } = await population(app, database.db);
  const statuses = new Map<number, number>();
  for (const [i, op] of ops.entries()) {
    const credentials = await sessions();
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op, ids, credentials), async (r) => {
        const headers: Record<string, string> = {};
        if (r.authorization !== undefined) headers['authorization'] = r.authorization;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        const qs = r.query.map(([k, v]) => `${encodeHostile(k)}=${encodeHostile(v)}`).join('&');
        const res = await app.inject({
          method: op.method as 'GET',
          url: fillPath(op.template, r.params) + (qs ? `?${qs}` : ''),
          headers,
          ...(r.body !== undefined ? { payload: r.body } : {}),
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${op.method} ${op.template} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
        // An empty path segment names no route: the answer is then the not-found handler's.
        const routed = Object.values(r.params).every((v) => v !== '');
        const problem = routed && undeclared(op, res.statusCode, res.headers['content-type'] as string | undefined, res.body);
        if (problem) throw new Error(problem);
      }),
      { numRuns: runs, seed: seed + i, endOnFailure: true },
    );
    t.pass(`${op.method} ${op.template}: ${runs} hostile requests, no 5xx`);
  }
  const past = [...statuses.entries()].filter(([s]) => s !== 401 && s !== 403).reduce((n, [, c]) => n + c, 0);
  t.ok(past > (ops.length * runs) / 4, `most requests got past authentication (${past} of ${ops.length * runs}; ${JSON.stringify(Object.fromEntries(statuses))})`);
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'the app still answers');
  await assertNoHalfWrittenCase(t, database.db);
});

t.test('malformed HTTP framing on a real socket is refused, never a 5xx', async (t) => {
  const { app } = await createTestApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const raw = [
    'POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n{}',
    'POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}',
    'POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    'POST /v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nX: \u0000\r\n\r\n',
    'GET /%%%% HTTP/1.1\r\nHost: x\r\n\r\n',
    `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    'BREW /healthz HTCPCP/1.0\r\n\r\n',
  ];
  for (const request of raw) {
    const status = await rawStatus(port, request);
    t.ok(status === 0 || (status >= 400 && status < 500), `${JSON.stringify(request.slice(0, 60))} → ${status || 'closed'}`);
  }
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'the server survives');
});

/** Status of the first response line, 0 when the server closes without answering. */
function rawStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const finish = () => {
      socket.destroy();
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0));
    };
    socket.setTimeout(3000, finish);
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (text.includes('\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(request);
  });
}
