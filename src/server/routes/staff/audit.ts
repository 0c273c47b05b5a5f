import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { countAudit, listAudit } from '../../db/audit.js';
import { auditOnly } from '../../db/audited.js';
import { day } from '../../schemas.js';
import { enc, uuid } from '../staff-schemas.js';

// Auditors read their agency's chain, page by page, and verify it themselves
// (`tipline audit verify`, the console's Audit view); the hashes let them detect any
// edited or missing row. The filters only narrow what is listed: a filtered page is not a
// chain, and verification always reads the whole of it.

const row = z.object({
  seq: z.string(), at: z.string(), agencyId: uuid.nullable(), staffId: uuid.nullable(), action: z.string(),
  caseId: uuid.nullable(), detail: z.unknown(), prevHash: z.string(), hash: z.string(),
});

const audit: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/staff/audit',
    {
      preHandler: app.requireStaff('auditor'),
      schema: {
        tags: ['staff'], summary: 'The agency\'s hash-chained audit log, page by page (§14)',
        querystring: z.object({
          after: z.string().regex(/^\d{1,19}$/).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(500),
          staffId: uuid.optional().describe('only the rows of this actor'),
          caseId: uuid.optional().describe('only the rows about this case'),
          action: z.string().regex(/^[a-z][a-z0-9_.]{0,79}$/).optional().describe("only this action, e.g. 'case.grant'"),
          since: day.optional().describe('only rows from this day on (UTC, as `at`)'),
          until: day.optional().describe('only rows up to the end of this day (UTC)'),
        }),
        response: {
          200: z.object({
            rows: z.array(row), nextAfter: z.string().nullable(),
            total: z.number().int().nullable().describe('on the first page: how many rows the listing held when read (rows appended since, its own read among them, come later); null on later pages'),
          }),
        },
      },
    },
    async (request) => {
      const me = request.staff;
      const { after, limit, ...filter } = request.query;
      const rows = await listAudit(app.db, { agencyId: me.agencyId, afterSeq: after, limit, filter });
      // Counted with the read, before it is logged: the log as this listing found it.
      const total = after ? null : await countAudit(app.db, me.agencyId, filter);
      // Logged after the read, so a page never contains its own read.
      if (!after) await auditOnly(app.db, { agencyId: me.agencyId, staffId: me.id, action: 'audit.read' });
      const last = rows.length === limit ? rows[rows.length - 1] : undefined;
      return {
        rows: rows.map((r) => ({ ...r, detail: r.detail ?? {}, prevHash: enc(r.prevHash), hash: enc(r.hash) })),
        nextAfter: last ? last.seq : null,
        total,
      };
    },
  );
};
export default audit;
