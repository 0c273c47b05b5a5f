import t from 'tap';
import { z } from 'zod';
import { errorResponse } from '../../src/server/error-responses.js';
import { responseSerializerCompiler, writtenFast } from '../../src/server/plugins/response-serializer.js';

// Answers are encoded by zod, except those whose schema is marked `writtenFast`, which
// fast-json-stringify writes: only declared properties reach the wire, a missing required
// one fails, and with checking on (as in every test app) zod must agree byte for byte.

const shape = () =>
  z.object({
    caseId: z.string().uuid(),
    due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    agency: z.object({ name: z.string() }),
    identity: z.object({ block: z.string() }).nullable(),
    timeline: z.array(z.object({ event: z.string(), status: z.string().nullable() })),
    note: z.string().optional(),
  });
const fastSchema = writtenFast(shape());
const zodSchema = shape();
const writerFor = (check: boolean, schema: z.ZodType = fastSchema) =>
  responseSerializerCompiler({ check })({ schema, method: 'GET', url: '/v1/example', httpStatus: '200' } as never);
const good = {
  caseId: '0b7e5b8e-8d5e-4a51-9a8e-2f0b7c1d2e3f', due: null, agency: { name: 'Thanh tra tỉnh' },
  identity: { block: 'sealed' }, timeline: [{ event: 'received', status: 'RECEIVED' }],
};

t.test('only what the schema declares is written, at any depth, nullable objects included', async (t) => {
  for (const check of [false, true]) {
    for (const schema of [fastSchema, zodSchema]) {
      const write = writerFor(check, schema);
      const leaky = {
        ...good, verifier: 'secret', agency: { ...good.agency, signingKey: 'secret' },
        identity: { ...good.identity, shares: 'secret' }, timeline: [{ ...good.timeline[0], wrapped: 'secret' }],
      };
      const what = `check ${check}, ${schema === fastSchema ? 'fast' : 'zod'}`;
      const text = write(leaky);
      t.notMatch(text, /secret|verifier|signingKey|wrapped|shares/, `${what}: undeclared properties are dropped`);
      t.same(JSON.parse(text), good, `${what}: the declared ones are all there`);
      t.equal(text, JSON.stringify(zodSchema.parse(leaky)), `${what}: the same bytes zod writes`);
      t.equal(write({ ...good, identity: null, due: '2026-12-01' }), JSON.stringify({ ...good, identity: null, due: '2026-12-01' }), `${what}: nulls and values of nullable fields`);
    }
  }
});

t.test('a missing required property fails the answer', async (t) => {
  const { caseId: _, ...missing } = good;
  for (const check of [false, true]) for (const schema of [fastSchema, zodSchema]) t.throws(() => writerFor(check, schema)(missing));
});

t.test('values: zod checks them; the fast writer only with checking on', async (t) => {
  const wrong = { ...good, caseId: 'not-a-uuid' };
  t.throws(() => writerFor(false, zodSchema)(wrong), 'an unmarked schema refuses it in production');
  t.doesNotThrow(() => writerFor(false)(wrong), 'a fast one writes what the handler returned');
  t.throws(() => writerFor(true)(wrong), 'the tests catch it');
});

t.test('with checking on, a difference from zod fails the answer without echoing it', async (t) => {
  // Coerced by the fast writer ("" for null), refused by zod.
  const err = t.throws(() => writerFor(true)({ ...good, agency: { name: null } })) as Error | undefined;
  t.ok(err);
  t.notMatch(String(err?.message), /Thanh tra|received/, 'no body in the message');
});

t.test('a schema JSON Schema cannot express is encoded by zod, marked or not', async (t) => {
  const withDate = writtenFast(z.object({ at: z.date() }));
  const withDefault = writtenFast(z.object({ n: z.number().default(1) }));
  for (const check of [false, true]) {
    t.equal(writerFor(check, withDate)({ at: new Date(0), extra: 1 }), JSON.stringify({ at: new Date(0) }), `check ${check}: a date`);
    t.throws(() => writerFor(check, withDefault)({}), `check ${check}: a default is zod's to handle`);
  }
});

t.test('a refusal keeps every field it carries; with checking on, its code must be one its status declares', async (t) => {
  const schema = errorResponse(['not_found', 'conflict']);
  const body = { error: { code: 'conflict', message: 'taken', allowed: ['accept'], earliestTakeDown: '2026-02-01' } };
  for (const check of [false, true]) t.same(JSON.parse(writerFor(check, schema)(body)), body, `check ${check}: written as sent`);
  const other = { error: { code: 'forbidden', message: 'no' } };
  t.doesNotThrow(() => writerFor(false, schema)(other), 'without checking, an undeclared code is still written');
  t.throws(() => writerFor(true, schema)(other), /forbidden is not a declared code/, 'with checking, it fails the answer');
});
