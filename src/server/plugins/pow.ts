import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { fromBase64Url, loadBackend, toBase64Url, verifyPow } from '../../protocol/index.js';
import { purgeSpentPow, serverSecret, spendPowNonce } from '../db/secrets.js';
import { fail } from '../errors.js';

// Proof of work: a cost per request that does not need to know who is asking. The
// challenge is stateless — the server MACs {version, puzzles, difficulty, expiry, nonce} with a key
// kept in server_secrets, so any instance can check a token any other issued — and only
// its single use is recorded (pow_spent, in the database every instance shares).
//
// Token bytes: version(1) = 2 || puzzles(1) || difficulty(1) || expiry seconds (uint32 BE) || nonce(16) || HMAC-SHA256(32)
// Header:      Tipline-PoW: <base64url token>.<base64url of the 8-byte answers, one per puzzle>
// The token bytes themselves are the challenge of the puzzles (PROTOCOL.md §11). Version 1
// (one puzzle, whose solving time had a geometric spread) is no longer issued nor accepted.
//
// The work W = TIPLINE_POW_DIFFICULTY is log2 of the expected hashes in all, split into
// k = 2^min(4, W − 1) puzzles of W − log2 k bits each (`powParameters`): 16 puzzles from
// W = 5 up, so that the time to solve has p90/median ≈ 1.36 instead of ≈ 3.3.
//
// THE rule, in one place (`needsPow`): every request that presents a receipt to a receipt
// route, and every anonymous route that creates something (config.pow: the submission),
// carries a fresh, solved, unspent token. It is checked on request, before the body is
// read, so an unsolved request costs the server one HMAC and no database round trip.
// Stockpiles are bounded: a token expires TIPLINE_POW_TTL_SECONDS after it was issued, is
// spent once, and issuing is budgeted (rate-limit.ts), so at most the challenge budget
// times the TTL in minutes can be outstanding at any moment.

const TOKEN_VERSION = 2;
const BODY_BYTES = 23;
const MAX_HEADER = 256;
const TOKEN_BYTES = BODY_BYTES + 32;
const SECRET_NAME = 'pow-mac-key';
const PURGE_EVERY_MS = 60_000;

export interface PowChallenge { token: string; puzzles: number; difficulty: number; expiresInSeconds: number }

/** The puzzles a work of 2^work expected hashes is split into; no puzzle of 0 bits (0 means no proof). */
export function powParameters(work: number): { puzzles: number; difficulty: number } {
  if (work === 0) return { puzzles: 1, difficulty: 0 };
  const puzzles = 2 ** Math.min(4, work - 1);
  return { puzzles, difficulty: work - Math.log2(puzzles) };
}

/** Whether a route's requests must carry a proof of work: the one rule (see above). */
export function needsPow(config: FastifyContextConfig): boolean {
  return config.pow === true || config.receipt !== undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    issuePow(): PowChallenge;
  }
}

function decodeHeader(value: unknown): { token: Uint8Array; solution: Uint8Array } | undefined {
  if (typeof value !== 'string' || value.length > MAX_HEADER) return undefined;
  const [token, solution, extra] = value.trim().split('.');
  if (!token || !solution || extra !== undefined) return undefined;
  try {
    return { token: fromBase64Url(token), solution: fromBase64Url(solution) };
  } catch {
    return undefined;
  }
}

export default fp(
  async (app) => {
    const be = await loadBackend('sodium');
    const key = await serverSecret(app.db, SECRET_NAME);
    const { powDifficulty: work, powTtlSeconds: ttl } = app.config;
    const { puzzles, difficulty } = powParameters(work);
    const mac = (body: Uint8Array) => createHmac('sha256', key).update(body).digest();
    let lastPurge = 0;

    app.decorate('issuePow', (): PowChallenge => {
      const body = Buffer.alloc(BODY_BYTES);
      body[0] = TOKEN_VERSION;
      body[1] = puzzles;
      body[2] = difficulty;
      body.writeUInt32BE(Math.floor(Date.now() / 1000) + ttl, 3);
      randomBytes(16).copy(body, 7);
      return { token: toBase64Url(Buffer.concat([body, mac(body)])), puzzles, difficulty, expiresInSeconds: ttl };
    });

    interface Proof { nonce: Uint8Array; expiresAt: Date }

    /** The request's proof, checked with one HMAC and at most k hashes; refused unless solved and fresh. */
    function checkProof(request: FastifyRequest): Proof {
      const header = request.headers['tipline-pow'];
      if (header === undefined) return fail('pow_required', 'a proof of work is required: POST /v1/pow');
      const decoded = decodeHeader(header);
      if (!decoded || decoded.token.length !== TOKEN_BYTES) return fail('pow_invalid', 'the proof of work is not valid');
      const token = Buffer.from(decoded.token);
      const body = token.subarray(0, BODY_BYTES);
      const expiry = body.readUInt32BE(3);
      const asked = { challenge: decoded.token, puzzles: body[1]!, difficulty: body[2]! };
      // A token issued before the work was raised is refused; one asking more is fine.
      const valid =
        timingSafeEqual(mac(body), token.subarray(BODY_BYTES)) &&
        body[0] === TOKEN_VERSION &&
        asked.difficulty + Math.log2(asked.puzzles) >= work &&
        expiry * 1000 > Date.now() &&
        verifyPow(be, asked, decoded.solution);
      if (!valid) return fail('pow_invalid', 'the proof of work is not valid or has expired');
      return { nonce: body.subarray(7, 23), expiresAt: new Date(expiry * 1000) };
    }

    /** Single use, across every instance: the spent nonce is recorded in the shared database. */
    async function spend(proof: Proof): Promise<void> {
      if (!(await spendPowNonce(app.db, proof.nonce, proof.expiresAt))) return fail('pow_invalid', 'the proof of work was already used');
      if (Date.now() - lastPurge > PURGE_EVERY_MS) {
        lastPurge = Date.now();
        await purgeSpentPow(app.db);
      }
    }

    // After the rate-limit plugin's own onRequest hook: the caller's own budgets first,
    // then the proof, then the shared budget it unlocks, then the one write (the spend).
    app.addHook('onRequest', async (request, reply) => {
      if (!needsPow(request.routeOptions.config ?? {})) return;
      const proof = work > 0 ? checkProof(request) : undefined;
      await app.chargeProvenBudget(request, reply);
      if (proof) await spend(proof);
    });
  },
  { name: 'tipline-pow', dependencies: ['tipline-rate-limit'] },
);
