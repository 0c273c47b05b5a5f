import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FastifyInstance } from 'fastify';
import type { FetchLike } from '../../src/client/http.js';

// A fetch that goes through app.inject: the SDK runs against the real app with no port.

export function injectFetch(app: FastifyInstance): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(input);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    let payload: string | Buffer | Readable | undefined;
    const body = init.body;
    if (typeof body === 'string') payload = body;
    else if (body instanceof Uint8Array) payload = Buffer.from(body);
    else if (body instanceof ReadableStream) payload = Readable.fromWeb(body as unknown as NodeReadableStream);
    else if (body != null) throw new Error('injectFetch: unsupported body');
    const res = await app.inject({ method: (init.method ?? 'GET') as 'GET', url: url.pathname + url.search, headers, ...(payload !== undefined ? { payload } : {}) });
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    const noBody = res.statusCode === 204 || res.statusCode === 304;
    return new Response(noBody ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: out });
  };
}
