// When the database cannot answer at all — the primary stopped, a standby is being promoted,
// the proxy cut the connection (docs/OPERATIONS.md, "Failover drill") — the request did not
// fail on its merits. It is answered 503 `unavailable` with Retry-After, which the SDK and
// the page send again by themselves; every write is idempotent on its client-chosen id, so
// a write that was committed before its answer was lost is answered as its own retry.
// Any other error stays a 500.

// SQLSTATE class 08 (connection exception) is matched by prefix; these are the others:
// the server shutting down or starting, out of connection slots, or a write that reached a
// standby during the switch.
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);
// The socket itself: refused, reset, timed out, or the proxy's address gone.
const SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-pg's own words when a connection ends with no error from the server.
const DRIVER_MESSAGE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (/^08[0-9A-Z]{3}$/.test(code) || SQLSTATES.has(code) || SOCKET.has(code))) return true;
  return typeof message === 'string' && DRIVER_MESSAGE.test(message);
}
