import { bytes, day, uuid } from '../schemas.js';

// Shapes shared by the denouncer routes. Binary values travel as base64url strings;
// the limits here are generous outer bounds, the exact lengths are checked where the
// bytes are decoded.

export { day, uuid };
export const b64u = (max: number) => bytes(max);
