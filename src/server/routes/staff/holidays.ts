import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { utcToDay, type CalendarEdit } from '../../../domain/index.js';
import { audited } from '../../db/audited.js';
import { addCalendarEdit, listAgencyCalendar, removeCalendarEdit, type CalendarChange } from '../../db/workflow-holidays.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { text } from '../../schemas.js';
import { day } from '../workflow-schemas.js';

// The agency's working-day calendar (LEGAL.md: working days skip "public holidays from a
// configurable calendar"). Anyone on the staff may read it — it is what their deadlines
// are counted with; only the head of agency edits it, because an edit moves statutory
// deadlines the head answers for (Art. 38). Admins run accounts and keys, not deadlines.

const calendarDay = z.object({
  day, name: z.string(), kind: z.enum(['holiday', 'working_day']), origin: z.enum(['shipped', 'agency']),
  observed: z.boolean(), source: z.string().nullable(),
});
const changeReply = z.object({
  day, kind: z.enum(['holiday', 'working_day', 'not_a_holiday']).nullable(),
  version: z.number().int().describe('the calendar version after the edit'),
  recomputed: z.number().int().describe('running deadlines moved by the edit'),
});
const dayParams = z.object({ day });
const name = text(120, { min: 1, trim: true });
/** What an edit is refused with (domain/calendar-edits.ts). */
const refusals = errors('conflict', 'bad_request', 'not_found');

function changed(outcome: CalendarChange, day: string, kind: CalendarEdit['kind'] | null) {
  if (!outcome.ok) return fail(outcome.error, outcome.message);
  return { day, kind, version: outcome.version, recomputed: outcome.recomputed };
}

const calendar: FastifyPluginAsyncZod = async (app) => {
  const supervisor = app.requireStaff('supervisor');

  app.get('/v1/staff/holidays', {
    preHandler: app.requireStaff(),
    schema: {
      tags: ['workflow'], summary: "The agency's holidays and worked rest days of a year: shipped and its own",
      querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
      response: { 200: z.object({ year: z.number().int(), profile: z.string(), version: z.number().int(), days: z.array(calendarDay) }) },
    },
  }, async (request) => {
    const year = request.query.year ?? Number(utcToDay(Date.now()).slice(0, 4));
    const { profileId, version, days } = await listAgencyCalendar(app.db, request.staff.agencyId, year);
    return { year, profile: profileId, version, days };
  });

  app.post('/v1/staff/holidays', {
    preHandler: supervisor,
    schema: {
      tags: ['workflow'], summary: 'Add a holiday, or a rest day worked by decree (kind working_day); running deadlines move',
      body: z.object({ day, name, kind: z.enum(['holiday', 'working_day']).default('holiday') }),
      response: { 201: changeReply, ...refusals },
    },
  }, async (request, reply) => {
    const { staff, body } = request;
    const edit: CalendarEdit = { day: body.day, kind: body.kind, name: body.name };
    const outcome = await audited(app.db, async (trx) => {
      const c = await addCalendarEdit(trx, staff.agencyId, edit);
      return { result: c, audit: c.ok ? { agencyId: staff.agencyId, staffId: staff.id, action: 'calendar.add', detail: { ...edit, version: c.version, recomputed: c.recomputed } } : null };
    });
    return reply.code(201).send(changed(outcome, edit.day, edit.kind));
  });

  app.post('/v1/staff/holidays/:day/not-observed', {
    preHandler: supervisor,
    schema: {
      tags: ['workflow'], summary: 'Mark a shipped holiday as not observed by this agency (a working day again)',
      params: dayParams, body: z.object({ note: name.optional() }).default({}),
      response: { 201: changeReply, ...refusals },
    },
  }, async (request, reply) => {
    const { staff } = request;
    const edit: CalendarEdit = { day: request.params.day, kind: 'not_a_holiday', name: request.body.note ?? '' };
    const outcome = await audited(app.db, async (trx) => {
      const c = await addCalendarEdit(trx, staff.agencyId, edit);
      return { result: c, audit: c.ok ? { agencyId: staff.agencyId, staffId: staff.id, action: 'calendar.not_observed', detail: { ...edit, version: c.version, recomputed: c.recomputed } } : null };
    });
    return reply.code(201).send(changed(outcome, edit.day, edit.kind));
  });

  app.delete('/v1/staff/holidays/:day', {
    preHandler: supervisor,
    schema: {
      tags: ['workflow'], summary: "Remove the agency's own entry on a day (a shipped holiday marked not observed is observed again)",
      params: dayParams, response: { 200: changeReply, ...refusals },
    },
  }, async (request) => {
    const { staff } = request;
    const { day: onDay } = request.params;
    const outcome = await audited(app.db, async (trx) => {
      const c = await removeCalendarEdit(trx, staff.agencyId, onDay);
      return { result: c, audit: c.ok ? { agencyId: staff.agencyId, staffId: staff.id, action: 'calendar.remove', detail: { day: onDay, version: c.version, recomputed: c.recomputed } } : null };
    });
    return changed(outcome, onDay, null);
  });
};
export default calendar;
