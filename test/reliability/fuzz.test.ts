import { connect } from 'node:net';
import fc from 'fast-check';
import t from 'tap';
import { createTestApp } from '../helpers/app.js';
import { assertNoHalfWrittenCase } from './invariants.js';
import { documentedOperations, fillPath, pathParams, sampleFor, stringFields, withField, type Operation } from './openapi.js';

// Malformed input for every documented route: never a 5xx, never a crash, never a
// half-written case. Runs per route scale with TIPLINE_FUZZ_RUNS (default 30).

const runs = Number(process.env['TIPLINE_FUZZ_RUNS'] ?? 30);

const oddStrings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.uuid(),
  fc.constantFrom('', '-1', '0', '1e309', 'NaN', '99999999999999999999', '../../etc/passwd', '%00', '\u0000', 'null', '[]', '{}', '👀'.repeat(300)),
  fc.constant('A'.repeat(70000)),
);

const authorization = fc.option(
  fc.oneof(
    fc.constantFrom('Receipt', 'Receipt ', 'Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', `Receipt ${'A'.repeat(43)}`, `Receipt ${'_'.repeat(43)}`, `Bearer ${'A'.repeat(43)}`),
    fc.string().map((s) => `Receipt ${s}`),
    fc.string().map((s) => `Bearer ${s}`),
    fc.base64String().map((s) => `Receipt ${s}`),
  ),
  { nil: undefined },
);

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-16',
    'application/octet-stream',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'garbage/;;;',
  ),
  { nil: undefined },
);

const deepNesting = fc.integer({ min: 100, max: 5000 }).map((n) => '['.repeat(n) + ']'.repeat(n));

function bodyArbitrary(op: Operation): fc.Arbitrary<string | Buffer | undefined> {
  const sample = sampleFor(op.bodySchema);
  const fields = stringFields(op.bodySchema);
  const mutated =
    fields.length > 0
      ? fc.tuple(fc.constantFrom(...fields), fc.oneof(oddStrings, fc.anything())).map(([path, v]) => JSON.stringify(withField(sample, path, v)))
      : fc.constant(JSON.stringify(sample));
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(JSON.stringify(sample)),
    mutated,
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.json().map((s) => s.slice(0, Math.max(0, s.length - 1))),
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
    fc.constant(Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff, 0xfe])),
    deepNesting,
  );
}

function requestArbitrary(op: Operation) {
  const names = pathParams(op);
  const params = fc.record(Object.fromEntries(names.map((n) => [n, oddStrings])) as Record<string, fc.Arbitrary<string>>);
  const query = fc.dictionary(
    fc.oneof(fc.constantFrom(...op.parameters.filter((p) => p.in === 'query').map((p) => p.name), 'x'), fc.string({ maxLength: 8 })),
    oddStrings.map((s) => s.slice(0, 2000)),
    { maxKeys: 3 },
  );
  return fc.record({ params, query, authorization, contentType, body: op.method === 'GET' || op.method === 'DELETE' ? fc.constant(undefined) : bodyArbitrary(op) });
}

t.test('malformed requests to every documented route never cause a 5xx', async (t) => {
  const { app, database } = await createTestApp(t, { rateLimitPerMinute: 1_000_000 });
  const ops = await documentedOperations(app);
  t.ok(ops.length > 0, 'the OpenAPI document lists routes');
  for (const op of ops) {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op), async (r) => {
        const headers: Record<string, string> = {};
        if (r.authorization !== undefined) headers['authorization'] = r.authorization;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        const qs = new URLSearchParams(r.query).toString();
        const res = await app.inject({
          method: op.method as 'GET',
          url: fillPath(op.template, r.params) + (qs ? `?${qs}` : ''),
          headers,
          ...(r.body !== undefined ? { payload: r.body } : {}),
        });
        if (res.statusCode >= 500) throw new Error(`${op.method} ${op.template} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      }),
      { numRuns: runs },
    );
    t.pass(`${op.method} ${op.template}: ${runs} malformed requests, no 5xx`);
  }
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
