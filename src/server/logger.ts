import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino, { type Logger } from 'pino';
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

/**
 * Where every line goes: standard output written asynchronously, in writes of at least
 * 4 KiB. A busy server makes one write per few dozen lines instead of one per request (a
 * write was about 2.5 µs of a status look-up's 120), and never blocks the request that
 * logged. A quiet server's lines go out within a second. pino writes what is pending when
 * the process exits, so only a kill -9 or the machine failing loses the last second.
 */
export function logDestination(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 1000 });
}

const base = (config: Pick<Config, 'logLevel'>) => ({
  level: config.logLevel,
  // Exact times of denouncer actions are metadata the server must not keep.
  timestamp: false,
  base: null,
});

/** The application's logger: anything may be handed to it, so headers are cut out of every line. */
export function loggerOptions(config: Pick<Config, 'logLevel'>, stream: pino.DestinationStream): FastifyServerOptions['logger'] {
  return {
    ...base(config),
    redact: { paths: ['req.headers', 'headers', 'authorization', '*.authorization'], remove: true },
    serializers: { req: requestSerializer as never, res: replySerializer as never },
    stream,
  };
}

/**
 * One line per request, written when the response is sent (method, route, status,
 * duration), instead of Fastify's two: the line at arrival says nothing the line at
 * the end does not, and each line is work on the hottest anonymous routes. The line is
 * built here from the four fields it may hold, so it goes through a logger on the same
 * stream without the redaction pass (a third of a line's cost, and there is nothing in
 * it to redact). A failed request's line carries the error and takes the guarded logger.
 * That logger has the app's level: no route sets a level of its own.
 */
export class RequestLogController extends LogController {
  private readonly lines: Logger;

  constructor(config: Pick<Config, 'logLevel'>, stream: pino.DestinationStream) {
    super();
    this.lines = pino(base(config), stream);
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: requestSerializer(request), res: replySerializer(reply), responseTime: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else this.lines.info(line, 'request completed');
  }

  /** Fastify's own line names the URL, query string included. */
  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ req: request }, 'route not found');
  }
}
