import type { FastifyInstance } from 'fastify';

// Every operation the app documents, read from its own /openapi.json, so a route added
// tomorrow is fuzzed and probed tomorrow without touching these tests.

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  examples?: unknown[];
  $ref?: string;
  'x-error-codes'?: string[];
};

export interface Parameter { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: JsonSchema }

export interface Response { description?: string; content?: Record<string, { schema?: JsonSchema }> }

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. /v1/attachments/{attachmentId}/chunks/{from} */
  template: string;
  parameters: Parameter[];
  bodySchema: JsonSchema | undefined;
  bodyTypes: string[];
  /** Alternatives, each naming the schemes it needs and their scopes (the staff roles). */
  security: Record<string, string[]>[];
  responses: Record<string, Response>;
  summary: string | undefined;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

export async function documentedOperations(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`/openapi.json answered ${res.statusCode}`);
  const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
  const ops: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of methods) {
      const op = item[method] as {
        parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
        security?: Record<string, string[]>[]; responses?: Record<string, Response>; summary?: string;
      } | undefined;
      if (!op) continue;
      const content = op.requestBody?.content ?? {};
      const bodyTypes = Object.keys(content);
      ops.push({
        method: method.toUpperCase(),
        template,
        parameters: op.parameters ?? [],
        bodySchema: content['application/json']?.schema ?? Object.values(content)[0]?.schema,
        bodyTypes,
        security: op.security ?? [],
        responses: op.responses ?? {},
        summary: op.summary,
      });
    }
  }
  return ops;
}

/**
 * Why an answer breaks the operation's document, or null when it keeps it: its status is
 * declared, a 2xx comes in a declared media type, and a refusal's code is one its status lists.
 */
export function undeclared(op: Operation, status: number, contentType: string | undefined, body: string): string | null {
  const where = `${op.method} ${op.template} answered ${status}`;
  const declared = op.responses[String(status)];
  if (!declared) return `${where}, which it does not declare`;
  const media = (contentType ?? '').split(';')[0]!.trim();
  if (status < 300 && body.length > 0 && !(media in (declared.content ?? {}))) return `${where} as ${media}, which it does not declare`;
  const codes = declared.content?.['application/json']?.schema?.['x-error-codes'];
  if (!codes) return null;
  let code: unknown;
  try {
    code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
  } catch {
    return `${where} with a body that is not JSON`;
  }
  return codes.includes(String(code)) ? null : `${where} with code ${String(code)}, which that status does not list`;
}

/** Fills an OpenAPI path template; values are URL-encoded as a client would send them. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeHostile(values[name] ?? 'x'));
}

/**
 * encodeURIComponent, except that an unpaired surrogate (which it refuses) is sent as
 * its three WTF-8 bytes: the invalid UTF-8 a hostile client can put in a URL.
 */
export function encodeHostile(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (unit) => {
    const c = unit.charCodeAt(0);
    if (unit.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
    return encodeURIComponent(unit);
  });
}

export function pathParams(op: Operation): string[] {
  return [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** A value that satisfies the schema in the simplest way, to get past validation. */
export function sampleFor(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.enum?.length) return schema.enum[0];
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return sampleFor(alt.find((s) => s.type !== 'null') ?? alt[0], depth + 1);
  if (schema.allOf?.length) return sampleFor(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sampleFor(v, depth + 1);
      return out;
    }
    case 'array':
      return [sampleFor(schema.items, depth + 1)];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 0, 0);
    case 'boolean':
      return false;
    case 'string':
      return sampleString(schema);
    default:
      return null;
  }
}

function sampleString(schema: JsonSchema): string {
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (schema.format === 'date') return '2024-01-01';
  if (schema.format === 'date-time') return '2024-01-01T00:00:00Z';
  const length = Math.max(schema.minLength ?? 1, 1);
  // base64url is the API's usual byte encoding; 'A' repeated is valid base64url.
  return 'A'.repeat(Math.min(length, 4096));
}

/** Every string-typed field path of a schema, e.g. [['identity', 'threshold']]. */
export function stringFields(schema: JsonSchema | undefined, prefix: string[] = [], depth = 0): string[][] {
  if (!schema || depth > 6) return [];
  const alt = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (alt?.length) return stringFields(alt.find((s) => s.type !== 'null') ?? alt[0], prefix, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'string') return [prefix];
  if (type === 'object') {
    return Object.entries(schema.properties ?? {}).flatMap(([k, v]) => stringFields(v, [...prefix, k], depth + 1));
  }
  if (type === 'array') return stringFields(schema.items, [...prefix, '0'], depth + 1);
  return [];
}

/** Returns a deep copy of `value` with the field at `path` replaced. */
export function withField(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[Number(head)] = withField(copy[Number(head)], rest, replacement);
    return copy;
  }
  const obj = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return { ...obj, [head]: withField(obj[head], rest, replacement) };
}

export interface Field { path: string[]; schema: JsonSchema }

/** Every field of a schema — objects, arrays and leaves — with the schema that governs it. */
export function fieldsOf(schema: JsonSchema | undefined, prefix: string[] = [], depth = 0): Field[] {
  if (!schema || depth > 6) return [];
  const alt = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (alt?.length) return fieldsOf(alt.find((s) => s.type !== 'null') ?? alt[0], prefix, depth + 1);
  const here = prefix.length > 0 ? [{ path: prefix, schema }] : [];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object') {
    return [...here, ...Object.entries(schema.properties ?? {}).flatMap(([k, v]) => fieldsOf(v, [...prefix, k], depth + 1))];
  }
  if (type === 'array') return [...here, ...fieldsOf(schema.items, [...prefix, '0'], depth + 1)];
  return here;
}

/** The value at `path`, or undefined. */
export function fieldAt(value: unknown, path: string[]): unknown {
  let v = value;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}
