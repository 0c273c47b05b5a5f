import fp from 'fastify-plugin';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { fail } from '../errors.js';
import type { StaffRole } from '../db/schema.js';
import { resolveSession, type StaffPrincipal } from '../db/sessions.js';

// `app.requireStaff(...roles)` is the preHandler on every staff route: a valid bearer
// session (401 otherwise) and, when roles are given, at least one of them (403).
// The session is re-checked against the database on every request: no cached trust.

export type { StaffPrincipal } from '../db/sessions.js';

declare module 'fastify' {
  interface FastifyInstance {
    requireStaff(...roles: StaffRole[]): preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    /** Set by requireStaff; reading it on a route without that preHandler is a bug. */
    staff: StaffPrincipal;
  }
}

// Which roles each preHandler made here admits, so the API document says of every route
// what this plugin enforces on it (plugins/route-contract.ts).
const admitted = new WeakMap<object, readonly StaffRole[]>();

/** The roles a `requireStaff` preHandler admits (empty: any staff member); undefined for any other function. */
export function staffRolesOf(handler: unknown): readonly StaffRole[] | undefined {
  return typeof handler === 'function' ? admitted.get(handler) : undefined;
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9_-]{20,128})$/.exec(header);
  return match ? match[1]! : null;
}

export default fp(
  async (app) => {
    app.decorateRequest('staff', null as unknown as StaffPrincipal);
    app.decorate('requireStaff', (...roles: StaffRole[]): preHandlerAsyncHookHandler => {
      const guard: preHandlerAsyncHookHandler = async (request) => {
        const token = bearerToken(request);
        if (!token) return fail('unauthorized', 'a staff session is required');
        const limits = { idleSeconds: app.config.sessionIdleSeconds, maxSeconds: app.config.sessionMaxSeconds };
        const principal = await resolveSession(app.db, token, limits);
        if (!principal) return fail('unauthorized', 'the session is not valid');
        if (roles.length > 0 && !roles.some((r) => principal.roles.includes(r))) {
          return fail('forbidden', 'your role does not allow this');
        }
        request.staff = principal;
      };
      admitted.set(guard, Object.freeze([...roles]));
      return guard;
    });
  },
  { name: 'tipline-staff-auth' },
);
