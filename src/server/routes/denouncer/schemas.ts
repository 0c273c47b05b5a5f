import { z } from 'zod';
import { bytes, day, uuid } from '../../schemas.js';

// Shapes shared by the denouncer routes. Binary values travel as base64url strings;
// the limits here are generous outer bounds, the exact lengths are checked where the
// bytes are decoded.

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }).passthrough(),
});

/** The error statuses every denouncer route may answer with. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  404: errorBody,
  409: errorBody,
  413: errorBody,
  429: errorBody,
} as const;

export { day, uuid };
export const b64u = (max: number) => bytes(max);

export const receiptSecurity = [{ receipt: [] }];
