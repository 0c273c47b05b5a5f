import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fromBase64Url, loadBackend } from '../../../protocol/index.js';
import { submissionQueue } from '../../db/submission-queue.js';
import type { Submission } from '../../db/submissions.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { writtenFast } from '../../plugins/response-serializer.js';
import { bundleCache, type VerifiedBundle } from './bundle-cache.js';
import { checkSubmission } from './submission-checks.js';
import { b64u, day, uuid } from './schemas.js';

// POST /v1/cases: a sealed case arrives. The server checks what it can without keys,
// then stores it in one transaction. Idempotent on the client-chosen case id.

const keyFor = z.object({ staffId: uuid, wrapped: b64u(512) });

const body = z.object({
  caseId: uuid.describe('chosen by the client; also the submission id (retries reuse it)'),
  agencyId: uuid,
  kind: z.enum(['denunciation', 'petition', 'retaliation']),
  envelope: b64u(8 * 1024 * 1024),
  verifier: b64u(64),
  denouncerKey: b64u(512),
  recipientKeys: z.array(keyFor).min(1).max(256),
  identity: z
    .object({
      block: b64u(128 * 1024),
      denouncerKey: b64u(512),
      threshold: z.number().int().min(1).max(255),
      shares: z.array(keyFor).min(1).max(255),
    })
    .optional(),
});

// A submission's receipt, on the busiest write: written without zod's per-value checks.
const accepted = (description: string) => writtenFast(z.object({
  caseId: uuid,
  publicNumber: z.string().describe('e.g. TL-2026-000042'),
  receivedOn: day,
}).describe(description));

function decode(b: z.infer<typeof body>, bundleSerial: number): Submission {
  const keys = (list: { staffId: string; wrapped: string }[]) => list.map((k) => ({ staffId: k.staffId, wrapped: fromBase64Url(k.wrapped) }));
  const s: Submission = {
    caseId: b.caseId.toLowerCase(),
    agencyId: b.agencyId.toLowerCase(),
    kind: b.kind,
    bundleSerial,
    verifier: fromBase64Url(b.verifier),
    envelope: fromBase64Url(b.envelope),
    denouncerKey: fromBase64Url(b.denouncerKey),
    recipientKeys: keys(b.recipientKeys).map((k) => ({ ...k, staffId: k.staffId.toLowerCase() })),
  };
  if (b.identity) {
    s.identity = {
      block: fromBase64Url(b.identity.block),
      denouncerKey: fromBase64Url(b.identity.denouncerKey),
      threshold: b.identity.threshold,
      shares: keys(b.identity.shares).map((k) => ({ ...k, staffId: k.staffId.toLowerCase() })),
    };
  }
  return s;
}

const submit: FastifyPluginAsyncZod = async (app) => {
  const bundles = bundleCache(await loadBackend('sodium'));
  const queue = submissionQueue(app.db);

  /**
   * Checks and stores the submission against a verified bundle. Null when the bundle may
   * be out of date: the store refused it as no longer current, or, unless `final`, the
   * submission does not fit it (it may have been sealed to a bundle published since).
   */
  async function store(b: z.infer<typeof body>, bundle: VerifiedBundle, final: boolean) {
    let submission: Submission;
    try {
      submission = decode(b, bundle.serial);
    } catch {
      return fail('validation_failed', 'a binary field is not base64url');
    }
    if (submission.envelope.length > app.config.maxBodyBytes) return fail('payload_too_large', 'the case is too large');
    const problem = checkSubmission(submission, bundle.content);
    if (problem) return final ? fail('validation_failed', problem) : null;
    const result = await queue.submit(submission, bundle.stored);
    if (result.outcome === 'stale_bundle') return null;
    if (result.outcome === 'conflict') return fail('submission_conflict', 'this case id was already used for a different submission');
    if (result.outcome === 'unknown_staff') return fail('validation_failed', 'a recipient is not a staff member of the agency');
    return { ...result, caseId: submission.caseId };
  }

  app.post(
    '/v1/cases',
    {
      // base64 adds a third to the sealed bytes; the envelope itself is capped below.
      bodyLimit: Math.ceil((app.config.maxBodyBytes * 4) / 3) + 256 * 1024,
      config: { pow: true },
      schema: {
        tags: ['denouncer'],
        summary: 'Submit a sealed case (needs Tipline-PoW)',
        body,
        response: {
          200: accepted('this case id was already submitted with these same bytes: the stored receipt again'),
          201: accepted('the case is stored'),
          ...errors('validation_failed', 'payload_too_large', 'submission_conflict', 'bundle_invalid', 'not_found'),
        },
      },
    },
    async (request, reply) => {
      const agencyId = request.body.agencyId.toLowerCase();
      const cached = await bundles.get(app.db, agencyId);
      let result = await store(request.body, cached, false);
      if (!result) {
        // The agency may have published (or withdrawn) a bundle since this process verified
        // its copy: check once more against the bundle now stored, and fail closed after that.
        result = (await store(request.body, await bundles.refresh(app.db, agencyId, cached), true)) ?? fail('bundle_invalid', "the agency's key bundle changed during the submission; retry");
      }
      return reply
        .code(result.outcome === 'created' ? 201 : 200)
        .send({ caseId: result.caseId, publicNumber: result.publicNumber, receivedOn: result.receivedOn });
    },
  );
};
export default submit;
