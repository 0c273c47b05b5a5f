import { Redis } from 'ioredis';
import type { Config } from '../config.js';

// Where the budget counters live (rate-limit.ts decides what is counted). Without
// REDIS_URL each instance counts on its own, in memory; with it, every instance behind
// the load balancer shares one counter, so adding instances does not multiply the
// budget an attacker gets.
//
// Counters are fixed windows aligned to the clock (a minute, an hour, a day), and every
// counter of a window expires at the window's end, not a window after its first hit: a
// copy of the store shows at most "active in this window", never when within it.

export interface RateLimitStore {
  /**
   * Counts one hit on `key` in the window ending at `windowEnd` (ms since the epoch) and
   * answers the count so far; undefined when the store could not be reached.
   */
  hit(key: string, windowEnd: number): Promise<number | undefined>;
  close(): Promise<void>;
}

/** Upper bound on live counters in memory; beyond it the oldest window's go first. */
const MEMORY_KEYS = 200_000;

function memoryStore(clock: () => number): RateLimitStore {
  const counters = new Map<string, { count: number; windowEnd: number }>();
  return {
    async hit(key, windowEnd) {
      const now = clock();
      let entry = counters.get(key);
      if (!entry || entry.windowEnd <= now) {
        if (counters.size >= MEMORY_KEYS) sweep(counters, now);
        entry = { count: 0, windowEnd };
        counters.set(key, entry);
      }
      entry.count += 1;
      return entry.count;
    },
    close: async () => counters.clear(),
  };
}

function sweep(counters: Map<string, { windowEnd: number }>, now: number): void {
  for (const [key, entry] of counters) if (entry.windowEnd <= now) counters.delete(key);
  // Still full of live counters (a flood of fresh keys): drop the oldest inserted. A
  // dropped key starts over, which only ever favours the caller, never locks one out.
  for (const key of counters.keys()) {
    if (counters.size < MEMORY_KEYS) break;
    counters.delete(key);
  }
}

// INCR, and on the first hit expire the key at the window's end (PEXPIREAT).
const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIREAT', KEYS[1], ARGV[1]) end
return n`;

function redisStore(url: string): RateLimitStore {
  const redis = new Redis(url, {
    // A slow or absent Redis must cost a request milliseconds, not hang it.
    connectTimeout: 500,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
  });
  // Connection errors are retried by ioredis; an unhandled 'error' event would crash.
  redis.on('error', () => {});
  return {
    async hit(key, windowEnd) {
      try {
        return Number(await redis.eval(HIT, 1, `tipline-rate-limit:${key}`, String(windowEnd)));
      } catch {
        // Fail open while Redis is unreachable: denying every denouncer would do the
        // attacker's work for them, and proof of work still guards the costly routes.
        return undefined;
      }
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

export function rateLimitStore(config: Pick<Config, 'redisUrl'>, clock: () => number = Date.now): RateLimitStore {
  return config.redisUrl ? redisStore(config.redisUrl) : memoryStore(clock);
}
