import fastJson from 'fast-json-stringify';
import type { FastifySchema, FastifySerializerCompiler } from 'fastify';
import { ResponseSerializationError, serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { safeEncode, toJSONSchema, type ZodType } from 'zod';
import { $ZodType } from 'zod/v4/core';

// How answers are written. Each route's zod response schema, turned into JSON Schema, is
// compiled by fast-json-stringify (what Fastify itself uses): the writer emits only the
// properties the schema declares, so nothing a handler holds beyond them reaches the
// wire, and it fails (a 500 that says nothing) when a required one is missing. Encoding
// every answer through zod instead validated and copied it first: about 5 µs of the
// 80 µs of server time a status look-up takes. What production gives up is the check of
// each value's format on the way out (a uuid's digits, a day's pattern).
//
// With `check` (TIPLINE_CHECK_RESPONSES; every app the tests build has it), each answer is
// also encoded by zod, and anything zod refuses, or any byte where the two writers
// differ, fails the request: the whole test suite proves the fast writer says exactly
// what zod would. A schema JSON Schema cannot express keeps zod's encoder. Writers are
// compiled on a route's first answer, not at start-up.

type RouteSchema = Parameters<FastifySerializerCompiler<FastifySchema>>[0];

/** The zod schema of a response, bare or in fastify-type-provider-zod's `properties` form. */
function zodSchemaOf(schema: unknown): ZodType | undefined {
  if (schema instanceof $ZodType) return schema as ZodType;
  const inner = (schema as { properties?: unknown } | null)?.properties;
  return inner instanceof $ZodType ? (inner as ZodType) : undefined;
}

function jsonSchemaOf(schema: ZodType): object | undefined {
  try {
    return toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  } catch {
    return undefined;
  }
}

export function responseSerializerCompiler(options: { check: boolean }): FastifySerializerCompiler<FastifySchema> {
  return (route: RouteSchema) => {
    const schema = zodSchemaOf(route.schema);
    const jsonSchema = schema && jsonSchemaOf(schema);
    if (!schema || !jsonSchema) return zodSerializerCompiler(route as never);
    let compiled: ((data: unknown) => string) | undefined;
    const write = (data: unknown) => (compiled ??= fastJson(jsonSchema))(data);
    if (!options.check) return write;
    return (data: unknown) => {
      const encoded = safeEncode(schema, data);
      if (encoded.error) throw new ResponseSerializationError(route.method, route.url, { cause: encoded.error });
      const text = write(data);
      if (text !== JSON.stringify(encoded.data)) {
        throw new Error(`${route.method} ${route.url}: the fast writer wrote ${text}, zod ${JSON.stringify(encoded.data)}`);
      }
      return text;
    };
  };
}
