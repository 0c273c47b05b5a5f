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

export type { ReceiptCase };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `app.requireReceipt`: the case the presented receipt opens. */
    receiptCase: ReceiptCase | null;
  }
  interface FastifyInstance {
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
    async function openReceipt<T>(request: FastifyRequest, find: (db: Database, verifier: Uint8Array) => Promise<T | undefined>): Promise<T> {
      const authKey = parseReceiptAuthorization(request.headers.authorization);
      if (!authKey) return fail('unauthorized', 'a receipt authorization is required');
      const verifier = receiptVerifier(be, authKey);
      authKey.fill(0);
      return (await find(app.db, verifier)) ?? fail('not_found', 'not found');
    }
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
