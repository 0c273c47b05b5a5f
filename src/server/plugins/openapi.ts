import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

// The OpenAPI document is generated from the same zod schemas that validate requests,
// so the published API cannot drift from the one enforced.

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
            receipt: { type: 'http', scheme: 'Receipt', description: 'base64url auth key derived from the receipt code' },
            staff: { type: 'http', scheme: 'Bearer', description: 'staff session token from /v1/staff/login' },
          },
        },
      },
      transform: jsonSchemaTransform,
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    // Scalar renders the reference from the JSON above; it is served from this origin
    // (no CDN), so the strict CSP still holds.
    const { default: reference } = await import('@scalar/fastify-api-reference');
    await app.register(reference, { routePrefix: '/docs/api', configuration: { url: '/openapi.json' } } as never);
  },
  { name: 'tipline-openapi' },
);
