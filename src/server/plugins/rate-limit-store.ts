import { Redis } from 'ioredis';
import type { Config } from '../config.js';

// Where the global rate-limit counters live. Without REDIS_URL each instance counts
// on its own (in memory); with it, every instance behind the load balancer shares one
// counter, so adding instances does not multiply the limit an attacker gets.

export interface RateLimitStore {
  /** Spread into the @fastify/rate-limit options. */
  options: { redis?: Redis; nameSpace?: string; skipOnError?: boolean };
  close(): Promise<void>;
}

export function rateLimitStore(config: Pick<Config, 'redisUrl'>): RateLimitStore {
  if (!config.redisUrl) return { options: {}, close: async () => {} };
  const redis = new Redis(config.redisUrl, {
    // A slow or absent Redis must cost a request milliseconds, not hang it.
    connectTimeout: 500,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
  });
  // Connection errors are retried by ioredis; an unhandled 'error' event would crash.
  redis.on('error', () => {});
  return {
    options: {
      redis,
      nameSpace: 'tipline-rate-limit:',
      // Fail open while Redis is unreachable: denying every denouncer would do the
      // attacker's work for them, and proof-of-work still guards the anonymous routes.
      skipOnError: true,
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
