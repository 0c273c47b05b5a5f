import t from 'tap';
import { z } from 'zod';
import { responseSerializerCompiler } from '../../src/server/plugins/response-serializer.js';

// Answers are written by fast-json-stringify from each route's zod schema: only declared
// properties reach the wire, a missing required one fails, and with checking on (as in
// every test app) zod must agree byte for byte.

const answer = z.object({
  caseId: z.string().uuid(),
  due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  agency: z.object({ name: z.string() }),
  timeline: z.array(z.object({ event: z.string(), status: z.string().nullable() })),
  note: z.string().optional(),
});
const writerFor = (check: boolean, schema: z.ZodType = answer) =>
  responseSerializerCompiler({ check })({ schema, method: 'GET', url: '/v1/example', httpStatus: '200' } as never);
const good = { caseId: '0b7e5b8e-8d5e-4a51-9a8e-2f0b7c1d2e3f', due: null, agency: { name: 'Thanh tra tỉnh' }, timeline: [{ event: 'received', status: 'RECEIVED' }] };

t.test('only what the schema declares is written, at any depth', async (t) => {
  for (const check of [false, true]) {
    const write = writerFor(check);
    const leaky = { ...good, verifier: 'secret', agency: { ...good.agency, signingKey: 'secret' }, timeline: [{ ...good.timeline[0], wrapped: 'secret' }] };
    const text = write(leaky);
    t.notMatch(text, /secret|verifier|signingKey|wrapped/, `check ${check}: undeclared properties are dropped`);
    t.same(JSON.parse(text), good, `check ${check}: the declared ones are all there`);
    t.equal(text, JSON.stringify(answer.parse(leaky)), `check ${check}: the same bytes zod writes`);
  }
});

t.test('a missing required property fails the answer', async (t) => {
  const { caseId: _, ...missing } = good;
  for (const check of [false, true]) t.throws(() => writerFor(check)(missing), `check ${check}`);
});

t.test('with checking on, a value zod refuses fails the answer', async (t) => {
  const wrong = { ...good, caseId: 'not-a-uuid' };
  t.doesNotThrow(() => writerFor(false)(wrong), 'production writes what the handler returned');
  t.throws(() => writerFor(true)(wrong), 'the tests catch it');
});

t.test('a schema JSON Schema cannot express is written by zod', async (t) => {
  const withDate = z.object({ at: z.date() });
  for (const check of [false, true]) {
    const write = writerFor(check, withDate);
    t.equal(write({ at: new Date(0), extra: 1 }), JSON.stringify({ at: new Date(0) }), `check ${check}`);
  }
});
