import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// POST /v1/pow: a fresh challenge. Solve with the protocol's solvePow over the token's
// bytes and send `Tipline-PoW: <token>.<base64url solution>`; one use per token.

const challenge = z.object({
  token: z.string().describe('base64url; its bytes are the challenge'),
  difficulty: z.number().int().describe('leading zero bits required; 0 means none'),
  expiresInSeconds: z.number().int(),
});

const pow: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/pow',
    { config: { budget: 'challenge' }, schema: { tags: ['denouncer'], summary: 'A proof-of-work challenge', response: { 200: challenge } } },
    async () => app.issuePow(),
  );
};
export default pow;
