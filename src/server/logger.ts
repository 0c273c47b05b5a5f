import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';

// What a log line may say about a request: its method, the route pattern (not the URL:
// paths can carry ids, query strings can carry anything) and the status. Never the IP,
// port, headers, user agent or body — a seized log must not locate or identify anyone.

interface RequestLike { method?: string; routeOptions?: { url?: string } }
interface ReplyLike { statusCode?: number }

export const requestSerializer = (req: RequestLike) => ({
  method: req.method,
  route: req.routeOptions?.url ?? 'unmatched',
});
export const replySerializer = (res: ReplyLike) => ({ statusCode: res.statusCode });

export function loggerOptions(config: Pick<Config, 'logLevel'>, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    // Exact times of denouncer actions are metadata the server must not keep.
    timestamp: false,
    base: null,
    redact: { paths: ['req.headers', 'headers', 'authorization', '*.authorization'], remove: true },
    serializers: { req: requestSerializer as never, res: replySerializer as never },
    ...(stream ? { stream } : {}),
  };
}
