import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { checkPublication, earliestTakeDown, mayTakeDown, publicationForm, publicationForms, rulesInForce, utcToDay, type CaseState } from '../../../domain/index.js';
import { audited } from '../../db/audited.js';
import { caseInReach, workflowRolesOn } from '../../db/workflow-access.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { insertPublication, listAgencyPublications, withdrawPublication } from '../../db/workflow-publications.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { text } from '../../schemas.js';
import { caseIdParams, day } from '../workflow-schemas.js';

// Publication of a conclusion (Law Art. 40; Decree 31/2019 Art. 6): a public summary with
// nothing about the denouncer, in one of the rule set's forms, each lasting at least its
// consecutive days or runs (a meeting: neither); the first publication meets the duty to
// publish that a conclusion opens (VN-2026: within 7 working days, Art. 40(1)). The
// server never writes the summary from the case (it cannot read the case anyway): the
// supervisor writes it for the public, acknowledges that it is public, and the day is
// always today's, so a publication cannot be backdated to shorten its display.

export const PUBLIC_WARNING = 'This summary is PUBLISHED: anyone can read it at GET /v1/publications without signing in. It must contain nothing about the denouncer.';

const publication = z.object({
  publicationId: z.uuid(), caseId: z.uuid(), publicNumber: z.string(),
  form: z.string().describe('the form of Decree 31 Art. 6(2)'), runs: z.number().int().nullable().describe('consecutive runs ordered (print, radio, TV)'),
  summary: z.string(), publishedOn: day,
  earliestTakeDown: day, withdrawnOn: day.nullable(), state: z.enum(['published', 'withdrawn']),
});
/** What publishable() refuses with: out of reach, no such step, a role or a state that may not. */
const refusals = ['not_found', 'not_in_profile', 'forbidden', 'conflict', 'validation_failed'] as const;
const refusalCode = { not_in_profile: 'not_in_profile', forbidden: 'forbidden', illegal_state: 'conflict', validation_failed: 'validation_failed' } as const;
const formField = z.enum(publicationForms).optional().describe("the form of Decree 31 Art. 6(2); the rule set's first (the portal) when none is named");

const publications: FastifyPluginAsyncZod = async (app) => {
  // Any staff session gets this far; who may publish is the profile's rule, checked on the case.
  const staff = app.requireStaff();

  /** The case, the agency's rule, and a refusal unless the caller's roles on this case may publish. */
  async function publishable(request: { staff: Parameters<typeof caseInReach>[1] }, caseId: string) {
    const kase = await caseInReach(app.db, request.staff, caseId);
    const profile = rulesInForce((await agencyRules(app.db, kase.agency_id)).jurisdiction, utcToDay(Date.now()));
    const refusal = checkPublication(profile, kase.status as CaseState, await workflowRolesOn(app.db, request.staff, kase));
    if (refusal) return fail(refusalCode[refusal.error], refusal.message);
    return { kase, rule: profile.publication! };
  }

  app.post('/v1/staff/cases/:caseId/publication', {
    preHandler: staff,
    schema: {
      tags: ['workflow'], summary: "Publish a conclusion's summary — PUBLIC: anyone can read it (Decree 31 Art. 6)",
      description: PUBLIC_WARNING,
      params: caseIdParams,
      body: z.object({
        summary: text(20_000, { min: 20, trim: true }).describe('plain text, published as written'),
        acknowledgePublic: z.literal(true).describe('the caller confirms the summary is public and names no denouncer'),
        form: formField,
        runs: z.number().int().min(1).max(1000).optional().describe('print, radio, TV: the consecutive runs ordered, at least the form\'s minimum'),
      }),
      response: { 201: publication.extend({ warning: z.string() }), ...errors(...refusals) },
    },
  }, async (request, reply) => {
    const { kase, rule } = await publishable(request, request.params.caseId);
    const chosen = publicationForm(rule, request.body.form, request.body.runs);
    if (!chosen.ok) return fail(refusalCode[chosen.refusal.error], chosen.refusal.message);
    const publishedOn = utcToDay(Date.now());
    const row = {
      id: randomUUID(), caseId: kase.id, agencyId: kase.agency_id, form: chosen.form.form, runs: chosen.runs, summary: request.body.summary, publishedOn,
      earliestTakeDown: earliestTakeDown(chosen.form, publishedOn), staffId: request.staff.id,
    };
    const inserted = await audited(app.db, async (trx) => {
      const result = await insertPublication(trx, row);
      return { result, audit: !result ? null : {
        agencyId: kase.agency_id, staffId: request.staff.id, action: 'case.publication.publish', caseId: kase.id,
        detail: { publicationId: row.id, form: row.form, runs: row.runs, publishedOn, earliestTakeDown: row.earliestTakeDown, summarySha256: createHash('sha256').update(row.summary).digest('hex') },
      } };
    });
    if (!inserted) return fail('conflict', `a summary of this case is already published by ${row.form}; withdraw it first`);
    return reply.code(201).send({
      publicationId: row.id, caseId: kase.id, publicNumber: kase.public_number, form: chosen.form.form, runs: row.runs, summary: row.summary, publishedOn,
      earliestTakeDown: row.earliestTakeDown, withdrawnOn: null, state: 'published' as const, warning: PUBLIC_WARNING,
    });
  });

  app.post('/v1/staff/cases/:caseId/publication/withdraw', {
    preHandler: staff,
    schema: {
      tags: ['workflow'], summary: 'Take a published summary down; refused (409) before its minimum display ends',
      params: caseIdParams, querystring: z.object({ form: formField }),
      response: { 200: publication, ...errors(...refusals, 'publication_period_running') },
    },
  }, async (request) => {
    const { kase, rule } = await publishable(request, request.params.caseId);
    const form = request.query.form ?? rule.forms[0].form;
    const onDay = utcToDay(Date.now());
    const outcome = await audited(app.db, async (trx) => {
      const result = await withdrawPublication(trx, kase.id, form, onDay, request.staff.id);
      return { result, audit: !result.ok ? null : {
        agencyId: kase.agency_id, staffId: request.staff.id, action: 'case.publication.withdraw', caseId: kase.id, detail: { form, withdrawnOn: onDay },
      } };
    });
    if (!outcome.ok && outcome.error === 'not_found') return fail('not_found', `no summary of this case is on display by ${form}`);
    if (!outcome.ok) {
      return fail('publication_period_running', `the summary must stay published until at least ${outcome.earliest}`, { earliestTakeDown: outcome.earliest });
    }
    return outcome.publication;
  });

  app.get('/v1/staff/publications', {
    preHandler: app.requireStaff('supervisor', 'auditor'),
    schema: {
      tags: ['workflow'], summary: "The agency's published conclusions, on display or withdrawn",
      querystring: z.object({ state: z.enum(['published', 'withdrawn']).optional() }),
      response: { 200: z.object({ asOf: day, publications: z.array(publication.extend({ mayTakeDown: z.boolean() })) }) },
    },
  }, async (request) => {
    const asOf = utcToDay(Date.now());
    const rows = await listAgencyPublications(app.db, request.staff.agencyId, request.query.state);
    return { asOf, publications: rows.map((p) => ({ ...p, mayTakeDown: p.state === 'published' && mayTakeDown(p.earliestTakeDown, asOf) })) };
  });
};
export default publications;
