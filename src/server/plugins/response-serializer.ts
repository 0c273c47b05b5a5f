import fastJson from 'fast-json-stringify';
import type { FastifySchema, FastifySerializerCompiler } from 'fastify';
import { ResponseSerializationError, serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { safeEncode, toJSONSchema, type ZodType } from 'zod';
import { $ZodType } from 'zod/v4/core';
import { declaredCodes } from '../error-responses.js';

// How answers are written. zod encodes every answer: it checks each value against the
// route's schema and writes only what the schema declares, and an answer it refuses is a
// 500 that says nothing.
//
// The two busiest anonymous answers (a case's status, a submission's receipt) mark their
// schema with `writtenFast`. Those are written by fast-json-stringify from the schema
// turned into JSON Schema, which writes only declared properties too and fails when a
// required one is missing, but does not check values: a format or pattern is not tested,
// an enum not enforced, and a value of the wrong type is coerced (null in a string field
// is written ""). zod's encoding was about 5 µs of the 80 µs of server time a status
// look-up takes. Their handlers build those answers field by field from typed columns.
//
// With `check` (TIPLINE_CHECK_RESPONSES; every app and server the tests build has it), zod
// also encodes each fast answer, and the request fails if zod refuses it or the two
// writers differ by a byte: the whole test suite holds the fast writer to zod's output.
// It also fails a refusal whose code its status does not declare (error-responses.ts).

const fast = new WeakSet<ZodType>();

/** Marks a response schema to be written by fast-json-stringify (see above); returns it. */
export function writtenFast<T extends ZodType>(schema: T): T {
  fast.add(schema);
  return schema;
}

type RouteSchema = Parameters<FastifySerializerCompiler<FastifySchema>>[0];

/** The zod schema of a response, bare or in fastify-type-provider-zod's `properties` form. */
function zodSchemaOf(schema: unknown): ZodType | undefined {
  if (schema instanceof $ZodType) return schema as ZodType;
  const inner = (schema as { properties?: unknown } | null)?.properties;
  return inner instanceof $ZodType ? (inner as ZodType) : undefined;
}

type JsonSchema = { [key: string]: unknown };

/**
 * zod writes `.nullable()` as anyOf [X, null]. fast-json-stringify picks an anyOf branch
 * by validating against each, so an object branch with an extra property would match
 * neither and fail where zod strips it. Folded into X with type [X.type, 'null'], the
 * value is written like X, or as null.
 */
function foldNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(foldNullable);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) out[k] = foldNullable(v);
  const { anyOf, ...rest } = out;
  const annotationsOnly = Object.keys(rest).every((k) => k === 'description' || k === 'title');
  if (!Array.isArray(anyOf) || anyOf.length !== 2 || !annotationsOnly) return out;
  const isNull = (s: unknown) => (s as JsonSchema)['type'] === 'null' && Object.keys(s as object).length === 1;
  const other = anyOf.find((s) => !isNull(s)) as JsonSchema | undefined;
  if (!other || !anyOf.some(isNull) || typeof other['type'] !== 'string') return out;
  return { ...other, ...rest, type: [other['type'], 'null'] };
}

/** The fast writer for a schema, or undefined where JSON Schema cannot say what zod writes. */
function fastWriter(schema: ZodType): ((data: unknown) => string) | undefined {
  try {
    // zod encodes towards the schema's input side; where that differs from the output
    // side other than in accepting extra properties (codecs, defaults, pipes), keep zod.
    const input = toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw' });
    const output = toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
    const closed = (key: string, value: unknown) => (key === 'additionalProperties' ? undefined : value);
    if (JSON.stringify(input, closed) !== JSON.stringify(output, closed)) return undefined;
    return fastJson(foldNullable(output) as never);
  } catch {
    return undefined;
  }
}

/** Where two texts first differ: enough to find the field, without echoing either body. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at character ${i} of ${a.length} (zod wrote ${b.length})`;
}

export function responseSerializerCompiler(options: { check: boolean }): FastifySerializerCompiler<FastifySchema> {
  return (route: RouteSchema) => {
    const schema = zodSchemaOf(route.schema);
    // Compiled when the route is, so a schema it cannot take keeps zod from the start.
    const write = schema && fast.has(schema) ? fastWriter(schema) : undefined;
    const codes = options.check ? declaredCodes(schema) : undefined;
    if (codes) {
      const zod = zodSerializerCompiler(route as never);
      return (data: unknown) => {
        const code = (data as { error?: { code?: unknown } } | null)?.error?.code;
        if (!codes.includes(code as never)) throw new Error(`${route.method} ${route.url}: ${String(code)} is not a declared code of ${route.httpStatus}`);
        return zod(data);
      };
    }
    if (!schema || !write) return zodSerializerCompiler(route as never);
    if (!options.check) return write;
    return (data: unknown) => {
      const encoded = safeEncode(schema, data);
      if (encoded.error) throw new ResponseSerializationError(route.method, route.url, { cause: encoded.error });
      const text = write(data);
      const expected = JSON.stringify(encoded.data);
      if (text !== expected) throw new Error(`${route.method} ${route.url}: the fast writer differs from zod ${firstDifference(text, expected)}`);
      return text;
    };
  };
}
