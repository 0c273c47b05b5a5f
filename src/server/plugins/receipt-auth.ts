import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { fromBase64Url, loadBackend, receiptVerifier } from '../../protocol/index.js';
import { findCaseByVerifier, type ReceiptCase } from '../db/cases.js';
import type { Database } from '../db/connect.js';
import { fail } from '../errors.js';

// The denouncer's only credential: `Authorization: Receipt <base64url auth key>`, derived
// from the receipt on their device. The server hashes it into the verifier and looks the
// case up by that index. It never sees the receipt, and it keeps neither key nor header
// (the logger redacts authorization).
//
// A key that opens no case gets 404 `not_found` with the same body as any other missing
// thing, through one indexed look-up, so a wrong receipt and a purged case are the same
// answer in the same time. Only a header that cannot be a key at all is 401.
//
// Every receipt route declares `config.receipt` (rate-limit.ts): that one flag gives it the
// receipt's budgets and the proof of work every receipt request needs (pow.ts). A route
// that opens a receipt without it fails closed, so none can slip past the rule.

export type { ReceiptCase };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `app.requireReceipt`: the case the presented receipt opens. */
    receiptCase: ReceiptCase | null;
  }
  interface FastifyInstance {
    /** The verifier of the receipt authorization presented, hashed once per request; undefined without one. */
    receiptVerifierOf(request: FastifyRequest): Uint8Array | undefined;
    /** preHandler for routes the receipt holder may call. */
    requireReceipt: preHandlerAsyncHookHandler;
    /**
     * What the presented receipt opens, found by `find` in one look-up by verifier, for a
     * route that needs more than the case itself; 401 and 404 exactly as `requireReceipt`.
     */
    openReceipt<T>(request: FastifyRequest, find: (db: Database, verifier: Uint8Array) => Promise<T | undefined>): Promise<T>;
  }
}

const SCHEME = /^Receipt ([A-Za-z0-9_-]{43})$/;

/** The auth key in the header, or undefined when the header is absent or malformed. */
export function parseReceiptAuthorization(header: string | undefined): Uint8Array | undefined {
  if (typeof header !== 'string') return undefined;
  const match = SCHEME.exec(header.trim());
  if (!match?.[1]) return undefined;
  try {
    const key = fromBase64Url(match[1]);
    return key.length === 32 ? key : undefined;
  } catch {
    return undefined;
  }
}

export default fp(
  async (app) => {
    const be = await loadBackend('sodium');
    app.decorateRequest('receiptCase', null);
    const verifiers = new WeakMap<FastifyRequest, Uint8Array | null>();
    function receiptVerifierOf(request: FastifyRequest): Uint8Array | undefined {
      let verifier = verifiers.get(request);
      if (verifier === undefined) {
        const authKey = parseReceiptAuthorization(request.headers.authorization);
        verifier = authKey ? receiptVerifier(be, authKey) : null;
        authKey?.fill(0);
        verifiers.set(request, verifier);
      }
      return verifier ?? undefined;
    }
    async function openReceipt<T>(request: FastifyRequest, find: (db: Database, verifier: Uint8Array) => Promise<T | undefined>): Promise<T> {
      if (!request.routeOptions.config?.receipt) throw new Error('a receipt route must declare config.receipt');
      const verifier = receiptVerifierOf(request);
      if (!verifier) return fail('unauthorized', 'a receipt authorization is required');
      return (await find(app.db, verifier)) ?? fail('not_found', 'not found');
    }
    app.decorate('receiptVerifierOf', receiptVerifierOf);
    app.decorate('openReceipt', openReceipt);
    app.decorate('requireReceipt', async function requireReceipt(request: FastifyRequest, _reply: FastifyReply) {
      request.receiptCase = await openReceipt(request, findCaseByVerifier);
    });
  },
  { name: 'tipline-receipt-auth' },
);

/** The receipt's case inside a handler behind `requireReceipt` (never null there). */
export function receiptCaseOf(request: FastifyRequest): ReceiptCase {
  if (!request.receiptCase) return fail('unauthorized', 'a receipt authorization is required');
  return request.receiptCase;
}
