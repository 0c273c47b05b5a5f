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

/** What each code tells a client, for the API document (every status lists the codes it carries). */
export const errorMeanings: Record<ErrorCode, string> = {
  bad_request: 'the request is malformed (unreadable JSON, a bad URL encoding, an inconsistent value)',
  validation_failed: 'a field failed validation; `fields` may list where',
  receipt_invalid: 'the receipt code is not well formed',
  pow_required: 'the route needs a proof of work: POST /v1/pow, then send Tipline-PoW (PROTOCOL.md §11)',
  pow_invalid: 'the proof of work is not valid, has expired or was already used',
  unauthorized: 'no valid credential (receipt authorization, staff session, or the credential in the body)',
  forbidden: "the caller's role or position on this case does not allow it",
  not_found: 'nothing by that name within the caller\'s reach (a missing thing and one out of reach answer alike)',
  method_not_allowed: 'the method is not allowed on this path',
  conflict: 'the request conflicts with what is stored (an id in use, a state that does not allow it)',
  too_many_open_uploads: 'the case already has as many unfinished uploads as allowed',
  upload_superseded: 'another writer took over this upload',
  submission_conflict: 'this case id was already used for a different submission',
  illegal_transition: 'the workflow does not allow this action in the current state; `allowed` lists what does',
  extension_refused: 'the law allows no (further) extension here',
  not_in_profile: "the agency's jurisdiction profile has no such step",
  publication_period_running: 'the summary must stay published until `earliestTakeDown`',
  notice_required: 'the transition owes the denouncer a sealed notice, and none came with it',
  gone: 'the thing existed and has been removed',
  payload_too_large: 'the body, or the attachment, is larger than allowed',
  unsupported_media_type: 'the body is not of the media type the route takes',
  crypto_failed: 'a signature or sealed value does not verify',
  bundle_invalid: "the agency's key bundle is missing, does not verify, or changed",
  rate_limited: 'a budget is spent; retry after `Retry-After` seconds (`budget` names it)',
  internal: 'the server failed; the body is always the same and says nothing more',
  unavailable: 'the service is not available now',
};

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
