// Every error a client can see, in one registry: a stable code and its HTTP status.
// Clients branch on `code`; `message` is for people and never echoes input.

export const errorCodes = {
  bad_request: 400,
  validation_failed: 400,
  receipt_invalid: 400,
  pow_required: 401,
  pow_invalid: 401,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_many_open_uploads: 409,
  upload_superseded: 409,
  submission_conflict: 409,
  illegal_transition: 409,
  extension_refused: 409,
  not_in_profile: 409,
  publication_period_running: 409,
  notice_required: 422,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  crypto_failed: 422,
  bundle_invalid: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.statusCode = errorCodes[code];
  }
}

export const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): never => {
  throw new ApiError(code, message, details);
};

/** The fixed body of every 5xx: nothing from the request or the failure leaks out. */
export const internalErrorBody = Object.freeze({ error: { code: 'internal', message: 'internal error' } });
