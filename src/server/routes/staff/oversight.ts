import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addCalendarDays, channels, conclusionFigureNames, utcToDay, type Channel, type ConclusionFigureName } from '../../../domain/index.js';
import { auditOnly } from '../../db/audited.js';
import { agencyRules } from '../../db/workflow-calendar.js';
import { listDeadlines } from '../../db/workflow-queries.js';
import { OPEN_AGE_BUCKETS, workflowReportSeries } from '../../db/workflow-report-series.js';
import { workflowReport } from '../../db/workflow-reports.js';
import { errors } from '../../error-responses.js';
import { fail } from '../../errors.js';
import { day } from '../workflow-schemas.js';

// What a head of agency watches: what falls due, what is overdue, and the figures of the
// periodic reports. Metadata only.

const deadlineItem = z.object({
  kind: z.enum(['case', 'protection_request', 'duty']).describe('duty: what an acceptance or a conclusion brings after it (VN-2026), or an urgent protection request\'s written confirmation (confirm_protection_in_writing, with its protectionRequestId), named by phase'), caseId: z.uuid(),
  protectionRequestId: z.uuid().nullable().describe('the protection request that falls due, or whose confirmation is owed; null for a case deadline'), publicNumber: z.string(),
  state: z.string(), phase: z.string().nullable(), urgent: z.boolean(), due: day, overdue: z.boolean(),
});

const count = z.number().int();
const reportReply = z.object({
  agencyId: z.uuid(), from: day, to: day,
  cases: z.object({
    carriedOver: count, received: count,
    receivedBy: z.object({ online: count, inPerson: count, letter: count }).describe('arrivals by channel: online, or recorded in person or from a letter'),
    accepted: count, notAccepted: count,
    resolved: z.object({ total: count, true: count, partlyTrue: count, false: count, onTime: count, late: count }),
    extended: count, suspended: count, transferred: count, terminated: count, withdrawn: count, followUps: count,
  }),
  protection: z.object({
    received: count, urgent: count, granted: count, refused: count,
    receivedBy: z.object({ online: count, phone: count, inPerson: count }).describe('requests by channel: the denouncer\'s own online, or recorded by phone or in person (Art. 50(3))'),
  }),
  retaliationReports: count,
  handling: z.object({ referredForProsecution: count, falseDenouncerHandled: count })
    .describe('concluded cases handled (Law Art. 36(1)): file sent to an investigating body or the procuracy; deliberate false denouncer handled'),
  publications: z.object({ published: count, withdrawn: count }).describe('conclusions published and taken down (Decree 31 Art. 6)'),
  petitions: z.object({ reclassified: count, answered: count, onTime: count, late: count }).describe('petitions / feedback, answered within 10 working days'),
  information: z.object({ classified: count, inspection: count, checking: count, transferred: count, notProcessed: count })
    .describe('anonymous information, false names, non-conforming forms (Law Art. 25): taken into the track, and its outcomes'),
  outcomes: z.object({
    rewards: count,
    sanctions: z.object({ discipline: count, administrativeFine: count, criminalLiability: count }),
  }).describe('after a conclusion: rewards (Law Art. 62); deliberate false denouncers handled (Art. 36(1)(a)) and sanctioned (Art. 65)'),
  recommended: z.object(Object.fromEntries(conclusionFigureNames.map((name) => [name, count])) as Record<ConclusionFigureName, typeof count>)
    .describe('what the period\'s conclusions recommend, as signed with them: money to recover or return (đồng), land (m²), persons to handle'),
});

const seriesReply = z.object({
  from: day, to: day,
  arrivals: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), kind: z.string(), named: z.boolean().describe('an identity block came with it'),
    channel: z.enum(channels as [Channel, ...Channel[]]).describe('online, or recorded by an intake officer (PROTOCOL §5.3)'), count }))
    .describe('arrivals per month, by kind, by named or anonymous and by channel'),
  openByAge: z.array(z.object({ bucket: z.enum(OPEN_AGE_BUCKETS), count })).describe('cases open at the end of the period, by calendar days since receipt'),
  protectionOutcomes: z.object({ granted: count, refused: count, pending: count }).describe('protection requests made in the period, as they stand at its end'),
});
const period = z.object({ from: day, to: day });

const oversight: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/staff/deadlines', {
    preHandler: app.requireStaff('supervisor'),
    schema: {
      tags: ['workflow'], summary: 'What falls due within a number of days, and what is overdue',
      querystring: z.object({ withinDays: z.coerce.number().int().min(0).max(366).default(7), asOf: day.optional() }),
      response: { 200: z.object({ asOf: day, until: day, items: z.array(deadlineItem) }) },
    },
  }, async (request) => {
    const asOf = request.query.asOf ?? utcToDay(Date.now());
    const until = addCalendarDays(asOf, request.query.withinDays);
    const { jurisdiction, calendar } = await agencyRules(app.db, request.staff.agencyId);
    const items = await listDeadlines(app.db, request.staff.agencyId, asOf, until, jurisdiction, calendar);
    return { asOf, until, items };
  });

  app.get('/v1/staff/reports', {
    preHandler: app.requireStaff('supervisor', 'auditor'),
    schema: {
      tags: ['workflow'], summary: 'Figures of the periodic report for a period',
      querystring: z.object({ from: day, to: day, agencyId: z.uuid().optional() }),
      response: { 200: reportReply, ...errors('not_found', 'bad_request') },
    },
  }, async (request) => {
    const { from, to } = request.query;
    const agencyId = request.query.agencyId ?? request.staff.agencyId;
    // One agency's figures are its own business: another agency's id is simply unknown here.
    if (agencyId !== request.staff.agencyId) return fail('not_found', 'not found');
    if (from > to) return fail('bad_request', 'from must not be after to');
    const report = await workflowReport(app.db, agencyId, from, to);
    await auditOnly(app.db, { agencyId, staffId: request.staff.id, action: 'report.compute', detail: { from, to } });
    return report;
  });

  app.get('/v1/staff/reports/series', {
    preHandler: app.requireStaff('supervisor', 'auditor'),
    schema: {
      tags: ['workflow'], summary: "What the report's charts draw for a period: arrivals per month, open cases by age, protection outcomes",
      querystring: period,
      response: { 200: seriesReply, ...errors('bad_request') },
    },
  }, async (request) => {
    const { from, to } = request.query;
    if (from > to) return fail('bad_request', 'from must not be after to');
    const agencyId = request.staff.agencyId;
    const series = await workflowReportSeries(app.db, agencyId, from, to);
    await auditOnly(app.db, { agencyId, staffId: request.staff.id, action: 'report.compute', detail: { from, to, series: true } });
    return series;
  });
};
export default oversight;
