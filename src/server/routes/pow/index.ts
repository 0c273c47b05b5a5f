import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// POST /v1/pow: a fresh challenge. Solve its puzzles with the protocol's solvePow over the
// token's bytes and send `Tipline-PoW: <token>.<base64url answers>`; one use per token.

const challenge = z.object({
  token: z.string().describe('base64url; its bytes are the challenge'),
  puzzles: z.number().int().min(1).max(16).describe('how many puzzles: one 8-byte answer each, in order'),
  difficulty: z.number().int().describe('leading zero bits each puzzle needs; 0 means no proof is needed'),
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
