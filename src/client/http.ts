// The SDK's transport: a thin layer over `fetch` that runs the same in browsers and in
// Node ≥ 20. It knows the API's conventions (JSON bodies, octet-stream uploads and
// downloads, the `{error:{code,message}}` error body) and nothing about the domain.

/** Everything that can go wrong talking to a tipline server, with the server's stable code. */
export class ApiClientError extends Error {
  constructor(
    /** HTTP status; 0 when no response arrived (network failure, aborted). */
    readonly status: number,
    /** The server's error code (src/server/errors.ts), or `network` / `bad_response`. */
    readonly code: string,
    message: string,
    /** Seconds the server asked us to wait (429 / 503), when it said so. */
    readonly retryAfterSeconds?: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }

  /** Worth retrying as-is: no answer, or a transient server condition. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** What an upload may carry: whole bytes, a Blob (browser File), or a stream of pieces. */
export type UploadBody = Uint8Array | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface HttpClientOptions {
  /** The server's base URL, e.g. `https://tips.example.org`; paths are appended to it. */
  baseUrl: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** Sent with every request (e.g. `authorization`). */
  headers?: Record<string, string>;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class HttpClient {
  readonly baseUrl: string;
  /** The transport, without this client's headers: for a client that talks to the same server as someone else. */
  readonly fetchImpl: FetchLike;
  private readonly headers: Record<string, string>;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    if (!options.fetch && typeof globalThis.fetch !== 'function') throw new Error('no fetch implementation available');
    // Called through globalThis: some browsers throw "Illegal invocation" on a detached fetch.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.headers = { ...(options.headers ?? {}) };
  }

  /** The same server with extra default headers (the receipt's or a session's authorization). */
  withHeaders(headers: Record<string, string>): HttpClient {
    return new HttpClient({ baseUrl: this.baseUrl, fetch: this.fetchImpl, headers: { ...this.headers, ...headers } });
  }

  /** A JSON request; `body` undefined sends none. Resolves to the parsed JSON answer. */
  async json<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (options.signal) init.signal = options.signal;
    const response = await this.send(path, init);
    return readJson<T>(response);
  }

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.json<T>('GET', path, undefined, options);
  }

  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.json<T>('POST', path, body ?? {}, options);
  }

  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.json<T>('PUT', path, body ?? {}, options);
  }

  delete<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.json<T>('DELETE', path, undefined, options);
  }

  /** Sends raw bytes as `application/octet-stream`; streams when given a stream. Answer is JSON. */
  async upload<T>(method: string, path: string, body: UploadBody, options: RequestOptions = {}): Promise<T> {
    const headers = { accept: 'application/json', 'content-type': 'application/octet-stream', ...(options.headers ?? {}) };
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (body instanceof Uint8Array || isBlob(body)) {
      init.body = body as BodyInit;
    } else {
      // Streaming request bodies need `duplex: 'half'` (Node's fetch and Chromium).
      init.body = toReadableStream(body);
      init.duplex = 'half';
    }
    if (options.signal) init.signal = options.signal;
    return readJson<T>(await this.send(path, init));
  }

  /** Streams an octet-stream answer; the caller reads it piece by piece. */
  async download(path: string, options: RequestOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const init: RequestInit = { method: 'GET', headers: { accept: 'application/octet-stream', ...(options.headers ?? {}) } };
    if (options.signal) init.signal = options.signal;
    const response = await this.send(path, init);
    if (!response.body) throw new ApiClientError(response.status, 'bad_response', 'the server sent no body');
    return response.body;
  }

  /** One request; any non-2xx answer becomes an ApiClientError. */
  async send(path: string, init: RequestInit): Promise<Response> {
    const headers = { ...this.headers, ...((init.headers as Record<string, string> | undefined) ?? {}) };
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, { ...init, headers });
    } catch (err) {
      throw new ApiClientError(0, 'network', `could not reach the server: ${(err as Error).message}`);
    }
    if (!response.ok) throw await toError(response);
    return response;
  }
}

async function readJson<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiClientError(response.status, 'bad_response', 'the server sent an unreadable answer');
  }
}

async function toError(response: Response): Promise<ApiClientError> {
  const retry = Number(response.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && typeof error.code === 'string') {
    const { code, message, ...details } = error as Record<string, unknown>;
    const text = typeof message === 'string' ? message : String(code);
    return new ApiClientError(response.status, String(code), text, retryAfter, details);
  }
  return new ApiClientError(response.status, `http_${response.status}`, `the server answered ${response.status}`, retryAfter);
}

function isBlob(v: unknown): v is Blob {
  return typeof Blob !== 'undefined' && v instanceof Blob;
}

function toReadableStream(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  if (typeof (body as ReadableStream).getReader === 'function') return body as ReadableStream<Uint8Array>;
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Reads a byte stream as an async iterable (browsers lack ReadableStream's own iterator). */
export async function* streamPieces(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value && value.byteLength > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
