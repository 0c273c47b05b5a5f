import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

// The OpenAPI document is generated from the same zod schemas that validate requests,
// and each route's security and plugin refusals from the guards that enforce them
// (route-contract.ts), so the published API cannot drift from the one enforced.
// /docs/api renders it (routes/docs).

type JsonObject = Record<string, unknown>;

/**
 * jsonSchemaTransform, then what a response needs beyond its schema: a description (an
 * answer without one gets its status's reason phrase) and, on 429, the Retry-After header.
 */
const transform: typeof jsonSchemaTransform = (input) => {
  const out = jsonSchemaTransform(input);
  const responses = (out.schema as { response?: Record<string, JsonObject> }).response ?? {};
  for (const [status, response] of Object.entries(responses)) {
    const reason = STATUS_CODES[Number(status)] ?? status;
    if (response['content']) response['description'] ??= reason;
    else if (!response['description']) response['x-response-description'] = reason;
    if (status === '429') response['headers'] = { 'retry-after': { type: 'integer', description: 'seconds until the budget renews' } };
  }
  return out;
};

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'tipline API',
          version: '1',
          description: 'Anonymous, end-to-end encrypted tip line. The server only stores and routes ciphertext; see docs/PROTOCOL.md.',
        },
        components: {
          securitySchemes: {
            receipt: { type: 'http', scheme: 'Receipt', description: 'Authorization: Receipt <base64url auth key derived from the receipt code> (PROTOCOL.md §2)' },
            staff: {
              type: 'http', scheme: 'Bearer',
              description: 'a staff session token from POST /v1/staff/login; each requirement names the one role it admits, none admits any staff member',
            },
            pow: {
              type: 'apiKey', in: 'header', name: 'Tipline-PoW',
              description: 'Tipline-PoW: <token>.<solution>, a solved challenge from POST /v1/pow, one per request (PROTOCOL.md §11); not needed while the difficulty is 0',
            },
          },
        },
      },
      transform,
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'tipline-openapi' },
);
