import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { caseKinds } from '../../../domain/index.js';
import { fromBase64Url } from '../../../protocol/index.js';
import { errors } from '../../error-responses.js';
import { writtenFast } from '../../plugins/response-serializer.js';
import { acceptSubmission, type SealedSubmission } from './accept-submission.js';
import { bytes, day, perCustodian, recipientList, threshold, uuid, wrappedKey } from '../../schemas.js';

// POST /v1/cases: a sealed case arrives. The server checks what it can without keys,
// then stores it in one statement (accept-submission.ts). Idempotent on the
// client-chosen case id: a retry with the same bytes is answered 200, not stored again.

const keyFor = z.object({ staffId: uuid, wrapped: wrappedKey() });

export const submissionBody = z.object({
  caseId: uuid.describe('chosen by the client; also the submission id (retries reuse it)'),
  agencyId: uuid,
  kind: z.enum(caseKinds),
  envelope: bytes(8 * 1024 * 1024),
  verifier: bytes(64),
  denouncerKey: wrappedKey(),
  recipientKeys: recipientList(keyFor),
  recoveryKey: bytes(512).optional().describe("the content key wrapped to the bundle's recovery recipient; exactly when the bundle lists one"),
  identity: z
    .object({
      block: bytes(128 * 1024),
      denouncerKey: wrappedKey(),
      threshold,
      shares: perCustodian(keyFor),
    })
    .optional(),
});

// A submission's receipt, on the busiest write: written without zod's per-value checks.
export const acceptedCase = (description: string) => writtenFast(z.object({
  caseId: uuid,
  publicNumber: z.string().describe('e.g. TL-2026-000042'),
  receivedOn: day,
}).describe(description));

/** The body's bytes decoded; the schema has checked they are canonical base64url. */
export function decodeSubmission(b: z.infer<typeof submissionBody>): SealedSubmission {
  const keys = (list: { staffId: string; wrapped: string }[]) => list.map((k) => ({ staffId: k.staffId.toLowerCase(), wrapped: fromBase64Url(k.wrapped) }));
  const s: SealedSubmission = {
    caseId: b.caseId.toLowerCase(),
    agencyId: b.agencyId.toLowerCase(),
    kind: b.kind,
    verifier: fromBase64Url(b.verifier),
    envelope: fromBase64Url(b.envelope),
    denouncerKey: fromBase64Url(b.denouncerKey),
    recipientKeys: keys(b.recipientKeys),
    ...(b.recoveryKey !== undefined ? { recoveryKey: fromBase64Url(b.recoveryKey) } : {}),
  };
  if (b.identity) {
    s.identity = {
      block: fromBase64Url(b.identity.block),
      denouncerKey: fromBase64Url(b.identity.denouncerKey),
      threshold: b.identity.threshold,
      shares: keys(b.identity.shares),
    };
  }
  return s;
}

const submit: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases',
    {
      // base64 adds a third to the sealed bytes; the envelope itself is capped by acceptSubmission.
      bodyLimit: Math.ceil((app.config.maxBodyBytes * 4) / 3) + 256 * 1024,
      config: { pow: true },
      schema: {
        tags: ['denouncer'],
        summary: 'Submit a sealed case (needs Tipline-PoW)',
        body: submissionBody,
        response: {
          200: acceptedCase('this case id was already submitted with these same bytes: the stored receipt again'),
          201: acceptedCase('the case is stored'),
          ...errors('validation_failed', 'payload_too_large', 'submission_conflict', 'bundle_invalid', 'not_found'),
        },
      },
    },
    async (request, reply) => {
      const result = await acceptSubmission(app.db, decodeSubmission(request.body), { maxEnvelopeBytes: app.config.maxBodyBytes });
      return reply
        .code(result.outcome === 'created' ? 201 : 200)
        .send({ caseId: result.caseId, publicNumber: result.publicNumber, receivedOn: result.receivedOn });
    },
  );
};
export default submit;
