import autocannon from 'autocannon';
import { progress, done } from './progress.js';

// A bounded HTTP load (a fixed number of requests, a time cap) with N concurrent
// clients, measured by autocannon. Each request is built by `next()` so every
// submission carries its own pre-sealed payload and every look-up its own receipt.

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Responses outside 2xx plus socket errors and timeouts. */
  failures: number;
  statuses: Record<string, number>;
}

export interface LoadSpec {
  label: string;
  baseUrl: string;
  connections: number;
  amount: number;
  next: (i: number) => LoadRequest;
  /** Hard stop, seconds: a stuck server must not hang the run. */
  maxSeconds?: number;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let issued = 0;
  let answered = 0;
  const statuses: Record<string, number> = {};
  // Without a callback autocannon returns its tracker, an event emitter that is also
  // thenable; the typings only show the promise side.
  const instance = autocannon({
    url: spec.baseUrl,
    connections: spec.connections,
    amount: spec.amount,
    duration: spec.maxSeconds ?? 300,
    timeout: 30,
    requests: [
      {
        setupRequest: (req) => {
          const r = spec.next(issued++);
          return { ...req, method: r.method, path: r.path, headers: { ...r.headers }, body: r.body };
        },
      },
    ],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  let lastAnsweredAt = 0;
  instance.on('response', (_client, status) => {
    answered++;
    lastAnsweredAt = performance.now();
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const startedAt = performance.now();
  const timer = setInterval(() => progress(`${spec.label}: ${answered}/${spec.amount} requests`), 250);
  try {
    const result = await instance;
    // autocannon ends a run on its next one-second tick, not at the last response, and
    // rounds its duration: time the run from start to the last answer instead.
    const seconds = ((lastAnsweredAt || performance.now()) - startedAt) / 1000;
    const non2xx = result.non2xx ?? 0;
    const out: LoadResult = {
      requests: result.requests.total,
      perSecond: result.requests.total / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failures: non2xx + result.errors + result.timeouts,
      statuses,
    };
    done(`${spec.label}: ${out.perSecond.toFixed(0)} req/s, p50 ${out.p50} ms, p99 ${out.p99} ms, failures ${out.failures}`);
    return out;
  } finally {
    clearInterval(timer);
  }
}

/** Sequential-ish latency sampling with a few clients, for percentiles autocannon lacks (p95). */
export async function sampleLatency(
  label: string,
  count: number,
  concurrency: number,
  request: () => Promise<number>,
): Promise<{ p50: number; p95: number; p99: number; failures: number }> {
  const times: number[] = [];
  let failures = 0;
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      const t0 = performance.now();
      const status = await request().catch(() => 0);
      times.push(performance.now() - t0);
      if (status < 200 || status >= 300) failures++;
      if (times.length % 20 === 0) progress(`${label}: ${times.length}/${count}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  const r = { p50: at(0.5), p95: at(0.95), p99: at(0.99), failures };
  done(`${label}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, failures ${failures}`);
  return r;
}
