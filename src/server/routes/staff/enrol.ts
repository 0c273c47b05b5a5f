import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadBackend, loginMessage, verifyDetached } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { completeEnrolment, enrolmentVerifier } from '../../db/staff.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { text } from '../../schemas.js';
import { staffBytes, bytesOf, ok, uuid } from '../staff-schemas.js';

// Enrolment: the invitee proves they hold the enrolment code and the new signing key
// at once, by signing (kind 'login') loginMessage(origin, verifier(code), staffId)
// with it. The code is single use; any failure is the same 401.

const enrol: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/staff/enrol',
    {
      schema: {
        tags: ['staff'], summary: 'Enrol: prove the enrolment code and register the signing and box keys',
        body: z.object({ staffId: uuid, enrolmentCode: text(200, { min: 8 }), signPublicKey: staffBytes, boxPublicKey: staffBytes, signature: staffBytes }),
        response: { 200: ok, ...errors('validation_failed', 'unauthorized') },
      },
    },
    async (request) => {
      const { staffId, enrolmentCode } = request.body;
      const signPublicKey = bytesOf(request.body.signPublicKey, 32);
      const boxPublicKey = bytesOf(request.body.boxPublicKey, 32);
      const signature = bytesOf(request.body.signature, 64);
      const verifier = enrolmentVerifier(enrolmentCode);
      const be = await loadBackend();
      if (!verifyDetached(be, 'login', signature, loginMessage(app.config.origin, verifier, staffId), signPublicKey)) {
        return fail('unauthorized', 'enrolment refused');
      }
      await audited(app.db, async (trx) => {
        const done = await completeEnrolment(trx, { staffId, verifier, signPublicKey, boxPublicKey });
        if (!done) return fail('unauthorized', 'enrolment refused');
        return { result: null, audit: { agencyId: done.agencyId, staffId, action: 'staff.enrol' } };
      });
      return { ok: true as const };
    },
  );
};
export default enrol;
