import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allowedTransitions, CASEWORK_ROLES, decisionDay, replay, rulesFor, utcToDay, viewClock } from '../../../domain/index.js';
import { toBase64Url, transitionSigningBytes, verifyDetached } from '../../../protocol/index.js';
import { audited } from '../../db/audited.js';
import { performTransition, loadEvents } from '../../db/workflow.js';
import { caseInReach, workflowRolesOn } from '../../db/workflow-access.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { caseDuties } from '../../db/workflow-duties.js';
import { listEvents } from '../../db/workflow-queries.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { bytesOf } from '../staff-schemas.js';
import { signatureCheck, signedNotice } from '../workflow-signatures.js';
import { caseIdParams, clockView, day, dutyView, refusalCode, transitionBody, transitionReply } from '../workflow-schemas.js';

// Staff move a case through the statutory workflow. The server checks the role, the
// state and the law's limits (src/domain), and refuses a transition that owes the
// denouncer a notice unless the sealed notice comes with it (Art. 9.1.c). Every staff
// transition carries its actor's signature (PROTOCOL.md §8.3, transition) over the
// states the server holds when it applies it: a missing, forged or stale one is refused.

const workflowReply = z.object({
  caseId: z.uuid(),
  agencyId: z.uuid(),
  receivedOn: day,
  state: z.string(),
  clock: clockView,
  /** What the steps opened after them (VN-2026: the conclusion sent, handled, published), owed or met. */
  duties: z.array(dutyView),
  allowed: z.array(z.string()),
  events: z.array(z.object({
    seq: z.number().int(), action: z.string(), from: z.string(), to: z.string(), onDay: day, actorId: z.uuid().nullable(),
    legalBasis: z.string(), reason: z.string().nullable(), due: day.nullable(), late: z.boolean(), noticeMessageId: z.uuid().nullable(),
    // What the actor signed beyond the fields above, and the signature (PROTOCOL.md §8.3.4): the
    // staff client rebuilds the signed bytes and checks them before it shows or builds on the event.
    finding: z.string().nullable(), extension: z.object({ complexity: z.string(), days: z.number().int() }).nullable(), ground: z.string().nullable(),
    figures: z.record(z.string(), z.number()).nullable(),
    citedBasis: z.string().nullable(), noticeDigest: z.string().nullable(), signature: z.string().nullable(),
  })),
});

const b64OrNull = (bytes: Uint8Array | null) => (bytes ? toBase64Url(bytes) : null);

const staffTransitions: FastifyPluginAsyncZod = async (app) => {
  const staffRoles = app.requireStaff(...CASEWORK_ROLES);

  app.post('/v1/staff/cases/:caseId/transitions', {
    preHandler: staffRoles,
    schema: {
      tags: ['workflow'], summary: 'Move the case through the statutory workflow, signed (§8.3.4)', params: caseIdParams, body: transitionBody,
      response: {
        201: transitionReply,
        ...errors('not_found', 'bad_request', 'validation_failed', 'crypto_failed', 'illegal_transition', 'extension_refused', 'notice_required', 'forbidden'),
      },
    },
  }, async (request, reply) => {
    const { body, staff } = request;
    const kase = await caseInReach(app.db, staff, request.params.caseId);
    const onDay = decisionDay(body.onDay, utcToDay(Date.now())) ?? fail('bad_request', 'a transition cannot be dated in the future');
    const check = await signatureCheck(app.db, staff.id, body.signature);
    const reason = bytesOf(body.reason);
    const notice = body.notice && signedNotice(check, kase.id, body.notice);
    // Verified inside the transaction, over the states the server holds; kept for the audit entry.
    let signedBytes: Uint8Array | undefined;
    const signatureMatches = (from: string, to: string) => {
      const bytes = transitionSigningBytes({
        caseId: kase.id, action: body.action, from, to, onDay, reason,
        notice: notice ? { messageId: notice.messageId, ciphertext: notice.ciphertext } : null,
        finding: body.finding ?? null, extension: body.extension ?? null, legalBasis: body.legalBasis || null, ground: body.ground ?? null,
        figures: body.figures ?? null,
      }, check.be);
      if (!check.signPublicKey || !verifyDetached(check.be, 'transition', check.signature, bytes, check.signPublicKey)) return false;
      signedBytes = bytes;
      return true;
    };
    // Read before the transaction: the embedded database has one connection, which the
    // transaction holds until it ends.
    const roles = await workflowRolesOn(app.db, staff, kase);
    const outcome = await audited(app.db, async (trx) => {
      const done = await performTransition(trx, {
        caseId: kase.id, action: body.action, onDay, actorId: staff.id, roles,
        reason, requireNotice: true, signatureMatches, signature: check.signature,
        ...(body.finding ? { finding: body.finding } : {}),
        ...(body.extension ? { extension: { complexity: body.extension.complexity, amount: body.extension.days } } : {}),
        ...(body.ground ? { ground: body.ground } : {}),
        ...(body.figures ? { figures: body.figures } : {}),
        notice,
        ...(body.legalBasis ? { extraBasis: body.legalBasis } : {}),
      });
      return { result: done, audit: !done.ok ? null : {
        agencyId: kase.agency_id, staffId: staff.id, action: `case.transition.${body.action}`, caseId: kase.id,
        detail: {
          seq: done.seq, from: done.from, to: done.result.snapshot.state, onDay, due: done.result.due, late: done.result.late,
          notice: body.notice?.messageId ?? null, ...(body.ground ? { ground: body.ground } : {}),
          ...(body.figures ? { figures: body.figures } : {}),
        },
        ...(signedBytes ? { signed: { kind: 'transition' as const, signer: staff.id, bytes: signedBytes, signature: check.signature } } : {}),
      } };
    });
    if (!outcome.ok) return fail(refusalCode[outcome.error], outcome.message, { allowed: outcome.allowed });
    const { result, seq, from } = outcome;
    return reply.code(201).send({
      caseId: kase.id, seq, action: body.action, from, to: result.snapshot.state, onDay, legalBasis: result.legalBasis,
      due: result.due, late: result.late, noticeMessageId: body.notice?.messageId ?? null,
    });
  });

  app.get('/v1/staff/cases/:caseId/workflow', {
    preHandler: staffRoles,
    schema: {
      tags: ['workflow'], summary: 'The case\'s state, clock, allowed actions and history', params: caseIdParams, querystring: z.object({ asOf: day.optional() }),
      response: { 200: workflowReply, ...errors('not_found') },
    },
  }, async (request) => {
    const kase = await caseInReach(app.db, request.staff, request.params.caseId);
    const { jurisdiction, calendar } = await agencyRules(app.db, kase.agency_id);
    const snap = replay(jurisdiction, { receivedOn: kase.received_on, events: await loadEvents(app.db, kase.id) }, calendar);
    const roles = await workflowRolesOn(app.db, request.staff, kase);
    const asOf = request.query.asOf ?? utcToDay(Date.now());
    const allowed = allowedTransitions(rulesFor(jurisdiction, kase.received_on, utcToDay(Date.now())), snap, ...roles);
    const events = await listEvents(app.db, kase.id);
    return {
      caseId: kase.id, agencyId: kase.agency_id, receivedOn: kase.received_on, state: snap.state, allowed,
      clock: viewClock(rulesFor(jurisdiction, kase.received_on, asOf), snap.clock, calendar, asOf),
      duties: await caseDuties(app.db, kase.id),
      events: events.map((e) => ({ ...e, reason: b64OrNull(e.reason), noticeDigest: b64OrNull(e.noticeDigest), signature: b64OrNull(e.signature) })),
    };
  });
};
export default staffTransitions;
