import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { ApiError, errorCodes, errorMeanings, internalErrorBody, type ErrorCode } from '../errors.js';

// One error handler for the whole app: stable codes for 4xx, a fixed body for 5xx.

const unavailableBody = Object.freeze({ error: { code: 'unavailable', message: errorMeanings.unavailable } });

function fromFastify(error: { statusCode?: number; code?: string }): ErrorCode | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'bad_request';
  }
  if (error.statusCode === 413) return 'payload_too_large';
  if (error.statusCode === 429) return 'rate_limited';
  if (error.statusCode === 415) return 'unsupported_media_type';
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return 'bad_request';
  return undefined;
}

/**
 * Fastify's answer to a URL it cannot route (a component that does not decode, a parameter
 * over the router's length) comes before any hook and echoes the path. This one is the
 * app's: a fixed `bad_request`, with the headers of any other answer.
 */
export function refuseUnroutableUrl(reply: FastifyReply): FastifyReply {
  reply.server.setDocumentHeaders(reply);
  return reply.code(400).header('cache-control', 'no-store').send({ error: { code: 'bad_request', message: 'the URL is malformed' } });
}

export default fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const fields = error.validation.map((v) => String(v.instancePath || v.params?.['issue'] || '/'));
        return reply.code(400).send({ error: { code: 'validation_failed', message: 'request failed validation', fields } });
      }
      if (error instanceof ApiError) {
        if (error.statusCode >= 500) return reply.code(error.statusCode).send(internalErrorBody);
        return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message, ...error.details } });
      }
      const err = error as { statusCode?: number; code?: string; validation?: unknown };
      if (err.validation) {
        return reply.code(400).send({ error: { code: 'validation_failed', message: 'request failed validation' } });
      }
      const code = fromFastify(err);
      if (code) return reply.code(errorCodes[code]).send({ error: { code, message: code.replace(/_/g, ' ') } });
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: { type: (error as Error).name, code: err.code } }, 'database unavailable');
        return reply.code(503).header('retry-after', '1').send(unavailableBody);
      }
      request.log.error({ err: { type: (error as Error).name, code: err.code } }, 'unhandled error');
      return reply.code(500).send(internalErrorBody);
    });
    // Counted like any anonymous request by the rate-limit plugin's onRequest hook.
    app.setNotFoundHandler((_request, reply) =>
      reply.code(404).send({ error: { code: 'not_found', message: 'not found' } }),
    );
  },
  { name: 'tipline-errors', dependencies: ['tipline-rate-limit'] },
);
