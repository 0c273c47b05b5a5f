import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, loginMessage, verifyDetached } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { consumeChallenge, createSession, issueChallenge, listSessions, revokeSession } from '../../db/sessions.js';
import { findStaff } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { staffBytes, bytesOf, enc, ok, role, uuid } from '../staff-schemas.js';

// Logging in = signing a single-use challenge bound to this server's origin with the
// key registered at enrolment. Every failure is the same 401, so the answer does not
// tell a prober whether a staff id exists.

const sessionInfo = z.object({ sessionId: uuid, createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string() });

const session: FastifyPluginAsyncZod = async (app) => {
  const limits = { idleSeconds: app.config.sessionIdleSeconds, maxSeconds: app.config.sessionMaxSeconds };

  app.post('/v1/staff/challenge', { schema: { tags: ['staff'], summary: 'A single-use login challenge bound to this origin', response: { 200: z.object({ nonce: staffBytes, origin: z.string() }) } } }, async () => ({
    nonce: enc(await issueChallenge(app.db)),
    origin: app.config.origin,
  }));

  app.post(
    '/v1/staff/login',
    {
      schema: {
        tags: ['staff'], summary: 'Log in by signing a challenge with the enrolled key (§8.2)',
        body: z.object({ staffId: uuid, nonce: staffBytes, signature: staffBytes }),
        response: { 200: z.object({ token: z.string(), sessionId: uuid, expiresAt: z.string(), staffId: uuid, agencyId: uuid, roles: z.array(role) }), ...errors('validation_failed', 'unauthorized') },
      },
    },
    async (request) => {
      const { staffId } = request.body;
      const nonce = bytesOf(request.body.nonce, 32);
      const signature = bytesOf(request.body.signature, 64);
      // Spend the nonce first, whatever happens next: a challenge is never usable twice.
      const fresh = await consumeChallenge(app.db, nonce);
      const staff = await findStaff(app.db, staffId);
      const be = await loadBackend();
      const valid =
        fresh && staff?.status === 'active' && staff.signPublicKey !== null &&
        verifyDetached(be, 'login', signature, loginMessage(app.config.origin, nonce, staffId), staff.signPublicKey);
      if (!valid || !staff) return fail('unauthorized', 'login refused');
      const s = await audited(app.db, async (trx) => {
        const result = await createSession(trx, staff.id, limits);
        return { result, audit: { agencyId: staff.agencyId, staffId: staff.id, action: 'staff.login', detail: { sessionId: result.sessionId } } };
      });
      return { token: s.token, sessionId: s.sessionId, expiresAt: s.expiresAt.toISOString(), staffId: staff.id, agencyId: staff.agencyId, roles: staff.roles };
    },
  );

  app.post('/v1/staff/logout', { preHandler: app.requireStaff(), schema: { tags: ['staff'], summary: 'End this session', response: { 200: ok } } }, async (request) => {
    const me = request.staff;
    await audited(app.db, async (trx) => {
      await revokeSession(trx, me.id, me.sessionId);
      return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'staff.logout', detail: { sessionId: me.sessionId } } };
    });
    return { ok: true as const };
  });

  app.get(
    '/v1/staff/me',
    { preHandler: app.requireStaff(), schema: { tags: ['staff'], summary: 'Who this session is', response: { 200: z.object({ staffId: uuid, agencyId: uuid, displayName: z.string(), roles: z.array(role), sessionId: uuid }) } } },
    async (request) => {
      const me = request.staff;
      const staff = await findStaff(app.db, me.id);
      return { staffId: me.id, agencyId: me.agencyId, displayName: staff?.displayName ?? '', roles: me.roles, sessionId: me.sessionId };
    },
  );

  app.get('/v1/staff/sessions', { preHandler: app.requireStaff(), schema: { tags: ['staff'], summary: 'The caller\'s open sessions', response: { 200: z.object({ sessions: z.array(sessionInfo) }) } } }, async (request) => ({
    sessions: await listSessions(app.db, request.staff.id),
  }));

  app.delete(
    '/v1/staff/sessions/:sessionId',
    { preHandler: app.requireStaff(), schema: { tags: ['staff'], summary: 'End one of the caller\'s own sessions', params: z.object({ sessionId: uuid }), response: { 200: ok, ...errors('not_found') } } },
    async (request) => {
      const me = request.staff;
      await audited(app.db, async (trx) => {
        if (!(await revokeSession(trx, me.id, request.params.sessionId))) return fail('not_found', 'no such session');
        return { result: null, audit: { agencyId: me.agencyId, staffId: me.id, action: 'staff.session_revoke', detail: { sessionId: request.params.sessionId } } };
      });
      return { ok: true as const };
    },
  );
};
export default session;
