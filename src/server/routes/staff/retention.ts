import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { purgeable, rulesInForce, utcToDay } from '../../../domain/index.js';
import { audited } from '../../db/audited.js';
import { caseInReach } from '../../db/workflow-access.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { isHeld, listRetention, placeHold, purgeCase, releaseHold } from '../../db/workflow-retention.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { text } from '../../schemas.js';
import { caseIdParams, day } from '../workflow-schemas.js';

// Records kept no longer than necessary, and not a day less while a legal hold is on.

const retentionItem = z.object({ caseId: z.uuid(), publicNumber: z.string(), closedOn: day, retainUntil: day, held: z.boolean() });
const ok = z.object({ caseId: z.uuid(), held: z.boolean(), purgedOn: day.nullable() });

const retention: FastifyPluginAsyncZod = async (app) => {
  const supervisor = app.requireStaff('supervisor');

  app.get('/v1/staff/retention', {
    preHandler: supervisor,
    schema: {
      tags: ['workflow'], summary: 'Closed cases whose retention period has ended', querystring: z.object({ asOf: day.optional() }),
      response: { 200: z.object({ asOf: day, due: z.array(retentionItem) }) },
    },
  }, async (request) => {
    const asOf = request.query.asOf ?? utcToDay(Date.now());
    const { jurisdiction } = await agencyRules(app.db, request.staff.agencyId);
    return { asOf, due: await listRetention(app.db, request.staff.agencyId, rulesInForce(jurisdiction, asOf), asOf) };
  });

  app.put('/v1/staff/cases/:caseId/legal-hold', {
    preHandler: supervisor,
    schema: { tags: ['workflow'], summary: 'Place a legal hold: the case is kept past its retention', params: caseIdParams, body: z.object({ basis: text(200, { min: 3 }) }), response: { 200: ok, ...errors('not_found') } },
  }, async (request) => {
    const kase = await caseInReach(app.db, request.staff, request.params.caseId);
    await audited(app.db, async (trx) => {
      await placeHold(trx, { caseId: kase.id, agencyId: kase.agency_id, staffId: request.staff.id, onDay: utcToDay(Date.now()), basis: request.body.basis });
      return { result: null, audit: { agencyId: kase.agency_id, staffId: request.staff.id, action: 'case.legal_hold.place', caseId: kase.id, detail: { basis: request.body.basis } } };
    });
    return { caseId: kase.id, held: true, purgedOn: null };
  });

  app.delete('/v1/staff/cases/:caseId/legal-hold', {
    preHandler: supervisor,
    schema: { tags: ['workflow'], summary: 'Release the legal hold', params: caseIdParams, response: { 200: ok, ...errors('not_found') } },
  }, async (request) => {
    const kase = await caseInReach(app.db, request.staff, request.params.caseId);
    await audited(app.db, async (trx) => {
      if (!(await releaseHold(trx, kase.id))) return fail('not_found', 'no legal hold on this case');
      return { result: null, audit: { agencyId: kase.agency_id, staffId: request.staff.id, action: 'case.legal_hold.release', caseId: kase.id } };
    });
    return { caseId: kase.id, held: false, purgedOn: null };
  });

  app.post('/v1/staff/cases/:caseId/purge', {
    preHandler: supervisor,
    schema: { tags: ['workflow'], summary: 'Purge a case whose retention has ended and that no hold keeps', params: caseIdParams, response: { 200: ok, ...errors('not_found', 'conflict') } },
  }, async (request) => {
    const kase = await caseInReach(app.db, request.staff, request.params.caseId);
    const today = utcToDay(Date.now());
    const profile = rulesInForce((await agencyRules(app.db, kase.agency_id)).jurisdiction, today);
    const held = await isHeld(app.db, kase.id);
    if (!purgeable(profile, kase.closed_on, held, today)) {
      return fail('conflict', held ? 'the case is under a legal hold' : 'the retention period has not ended');
    }
    const purged = await audited(app.db, async (trx) => {
      const result = await purgeCase(trx, kase.id, today);
      return { result, audit: result ? { agencyId: kase.agency_id, staffId: request.staff.id, action: 'case.purge', caseId: kase.id, detail: { closedOn: kase.closed_on } } : null };
    });
    if (!purged) return fail('conflict', 'the case is under a legal hold');
    return { caseId: kase.id, held: false, purgedOn: today };
  });
};
export default retention;
