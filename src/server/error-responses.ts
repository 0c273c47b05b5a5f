import { z, type ZodType } from 'zod';
import { errorCodes, errorMeanings, type ErrorCode } from './errors.js';

// How a route declares its refusals: `response: { 200: answer, ...errors('not_found', 'conflict') }`.
// Each code goes under its status from the one table in errors.ts, with the one error body;
// the API document lists the codes of every status (as an enum on `error.code` and in
// `x-error-codes`). What the plugins refuse for every route of a kind (validation, body
// parsing, budgets, proof of work, credentials) is added to each route by
// plugins/route-contract.ts, so a route names only the codes its own handler raises.
//
// At run time `error.code` is a string: the enum is the contract, and tests hold the server
// to it (TIPLINE_CHECK_RESPONSES fails an answer whose code its status does not declare)
// rather than a production server turning an undeclared refusal into a 500.

const body = (codes: readonly ErrorCode[]) =>
  z.object({ error: z.object({ code: z.string().meta({ enum: [...codes] }), message: z.string() }).catchall(z.unknown()) });
export type ErrorResponse = ReturnType<typeof body>;

const declared = new WeakMap<ZodType, readonly ErrorCode[]>();
const byCodes = new Map<string, ErrorResponse>();

/** The error body of one status, carrying exactly `codes` (one schema per set, so routes share it). */
export function errorResponse(codes: readonly ErrorCode[]): ErrorResponse {
  const sorted = [...new Set(codes)].sort();
  const key = sorted.join(' ');
  const known = byCodes.get(key);
  if (known) return known;
  const schema = body(sorted)
    .meta({ description: sorted.map((c) => `\`${c}\`: ${errorMeanings[c]}`).join('; '), 'x-error-codes': sorted });
  declared.set(schema, sorted);
  byCodes.set(key, schema);
  return schema;
}

/** The codes an error response schema declares; undefined for any other schema. */
export function declaredCodes(schema: unknown): readonly ErrorCode[] | undefined {
  return declared.get(schema as ZodType);
}

/** Response entries for these codes, each under its status. */
export function errors(...codes: ErrorCode[]): Record<number, ErrorResponse> {
  const grouped = new Map<number, ErrorCode[]>();
  for (const code of codes) grouped.set(errorCodes[code], [...(grouped.get(errorCodes[code]) ?? []), code]);
  return Object.fromEntries([...grouped].map(([status, list]) => [status, errorResponse(list)]));
}
